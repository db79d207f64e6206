// A modal confirmation (native <dialog>: focus stays inside, Escape cancels, focus returns to the
// button that opened it).
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  heading: string;
  children?: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, heading, children, confirmLabel, pending, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    } else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-heading`}
      aria-describedby={`${id}-body`}
      className="padding-4 radius-md border-1px border-base-lighter shadow-3 maxw-mobile-lg"
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-heading`} className="margin-top-0">
        {heading}
      </h2>
      <div id={`${id}-body`}>{children}</div>
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button className="usa-button usa-button--secondary" type="button" disabled={pending} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button className="usa-button usa-button--outline" type="button" onClick={onCancel}>
            Cancel
          </button>
        </li>
      </ul>
    </dialog>
  );
}
