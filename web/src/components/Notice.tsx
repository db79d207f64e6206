// A USWDS alert (usa-alert) that can hold rich content.
import type { ReactNode } from 'react';

export interface NoticeProps {
  type: 'success' | 'warning' | 'error' | 'info';
  heading?: ReactNode;
  headingLevel?: 'h2' | 'h3' | 'h4';
  slim?: boolean;
  /** 'alert' for errors and urgent messages, 'status' for confirmations. */
  role?: 'alert' | 'status';
  children?: ReactNode;
  className?: string;
  testId?: string;
}

export function Notice({ type, heading, headingLevel = 'h2', slim, role, children, className, testId }: NoticeProps) {
  const Heading = headingLevel;
  const classes = ['usa-alert', `usa-alert--${type}`, slim ? 'usa-alert--slim' : '', 'margin-y-2', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} role={role} data-testid={testId}>
      <div className="usa-alert__body">
        {heading ? <Heading className="usa-alert__heading">{heading}</Heading> : null}
        {children ? <div className="usa-alert__text">{children}</div> : null}
      </div>
    </div>
  );
}
