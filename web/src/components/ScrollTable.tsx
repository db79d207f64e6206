// Horizontally scrollable, keyboard-focusable container for a USWDS table.
import type { ReactNode } from 'react';

export function ScrollTable({ captionId, children }: { captionId: string; children: ReactNode }) {
  return (
    <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-labelledby={captionId}>
      {children}
    </div>
  );
}
