// Small shared pieces for the determinations pages.
import type { TextareaHTMLAttributes } from 'react';
import { formatDateTime } from '../../format.ts';
import { POSITION_LABEL, type Position } from './types.ts';

export function TextAreaField({ id, label, hint, error, required, ...rest }: { id: string; label: string; hint?: string; error?: string } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
        {required ? (
          <>
            {' '}
            <abbr title="required" className="usa-hint usa-hint--required">
              *
            </abbr>
          </>
        ) : null}
      </label>
      {hint ? (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <span className="usa-error-message" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
      <textarea
        id={id}
        name={id}
        className={`usa-textarea${error ? ' usa-input--error' : ''}`}
        aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
        required={required}
        {...rest}
      />
    </div>
  );
}

export function PositionsList({ positions, empty }: { positions: Position[]; empty: string }) {
  if (positions.length === 0) return <p>{empty}</p>;
  return (
    <ul className="usa-list" data-testid="positions">
      {positions.map((p) => (
        <li key={p.id}>
          <strong>{p.agencyCode ?? p.agencyName}</strong>: {POSITION_LABEL[p.position]} ({p.userEmail ?? 'unknown'}, {formatDateTime(p.at)})
          {p.comment ? <div className="fw-prewrap">“{p.comment}”</div> : null}
        </li>
      ))}
    </ul>
  );
}
