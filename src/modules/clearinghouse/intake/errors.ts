// Refused submissions: every problem names its path (a JSON pointer; for JSON Lines the pointer
// starts with the zero-based line index, and the message says the line number). A ValidationError,
// so the problem mapper answers 400 with the same list.
import { ValidationError } from '../../../lib/errors.ts';

export interface IntakeError {
  path: string;
  message: string;
}

export const MAX_REPORTED_ERRORS = 50;

export class IntakeRejectedError extends ValidationError {
  readonly intakeErrors: IntakeError[];
  constructor(summary: string, errors: IntakeError[]) {
    const list = errors.slice(0, MAX_REPORTED_ERRORS);
    super(summary, list);
    this.name = 'IntakeRejectedError';
    this.intakeErrors = list;
  }
}

export function reject(summary: string, errors: IntakeError[] | IntakeError): never {
  throw new IntakeRejectedError(summary, Array.isArray(errors) ? errors : [errors]);
}

export function pointer(segments: readonly (string | number | symbol)[]): string {
  return segments.map((s) => '/' + (typeof s === 'symbol' ? String(s.description) : String(s)).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function zodErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: readonly (string | number)[] = []): IntakeError[] {
  return issues.map((i) => ({ path: pointer([...prefix, ...i.path]), message: i.message }));
}
