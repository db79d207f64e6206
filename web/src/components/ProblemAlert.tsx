// Shows an API error (RFC 9457 problem) in a USWDS error alert with role=alert.
import type { ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { Notice } from './Notice.tsx';

export interface ProblemAlertProps {
  error: ApiError | undefined | null;
  /** Replaces the problem title/detail with a friendlier message. */
  message?: ReactNode;
}

export function ProblemAlert({ error, message }: ProblemAlertProps) {
  if (!error) return null;
  const { title, detail, errors } = error.problem;
  return (
    <Notice type="error" slim role="alert" testId="problem-alert">
      {message ?? (
        <p className="margin-0">
          <strong>{title}</strong>
          {detail && detail !== title ? <>. {detail}</> : null}
        </p>
      )}
      {errors && errors.length > 0 ? (
        <ul className="margin-bottom-0">
          {errors.map((e, i) => (
            <li key={`${e.path}-${i}`}>
              {e.path ? <span className="text-bold">{e.path}: </span> : null}
              {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
