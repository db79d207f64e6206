// USWDS form fields with label, hint, error message and aria wiring.
import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import type { ApiError } from '../api.ts';

function RequiredMarker() {
  return (
    <>
      {' '}
      <abbr title="required" className="usa-hint usa-hint--required">
        *
      </abbr>
    </>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The message for a field from a problem's `errors` list (path "email", "/email", "body.email"...). */
export function fieldError(error: ApiError | undefined, field: string): string | undefined {
  const errors = error?.problem.errors;
  if (!errors) return undefined;
  const match = errors.find((e) => {
    const path = e.path.replace(/^\/+/, '').replace(/^body[./]/, '');
    return path === field || path.split(/[./]/)[0] === field;
  });
  return match?.message;
}

interface CommonProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
}

/** The USWDS form-group frame every field shares: label, required marker, hint and error message. */
function FieldFrame({ id, label, hint, error, required, children }: CommonProps & { required?: boolean; children: ReactNode }) {
  return (
    <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor={id}>
        {label}
        {required ? <RequiredMarker /> : null}
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
      {children}
    </div>
  );
}

export type TextFieldProps = CommonProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & { ref?: Ref<HTMLInputElement> };

export function TextField({ id, label, hint, error, className, required, ref, ...input }: TextFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <input
        ref={ref}
        id={id}
        name={input.name ?? id}
        type={input.type ?? 'text'}
        className={['usa-input', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        required={required}
        {...input}
      />
    </FieldFrame>
  );
}

export type SelectFieldProps = CommonProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode };

export function SelectField({ id, label, hint, error, className, required, children, ...select }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <select
        id={id}
        name={select.name ?? id}
        className={['usa-select', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        required={required}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  );
}

export type TextAreaFieldProps = CommonProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>;

export function TextAreaField({ id, label, hint, error, className, required, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} required={required}>
      <textarea
        id={id}
        name={textarea.name ?? id}
        className={['usa-textarea', error ? 'usa-input--error' : '', className ?? ''].filter(Boolean).join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        required={required}
        {...textarea}
      />
    </FieldFrame>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> {
  id: string;
  label: ReactNode;
  description?: ReactNode;
}

export function CheckboxField({ id, label, description, className, ...input }: CheckboxProps) {
  return (
    <div className={`usa-checkbox ${className ?? ''}`}>
      <input className="usa-checkbox__input" id={id} type="checkbox" name={input.name ?? id} {...input} />
      <label className="usa-checkbox__label" htmlFor={id}>
        {label}
        {description ? <span className="usa-checkbox__label-description">{description}</span> : null}
      </label>
    </div>
  );
}
