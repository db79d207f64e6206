// SBOM refusals: every problem names where in the document it is (a JSON pointer into the JSON
// form; for XML an element path such as /bom/components/component[3]/purl), so a user can fix the
// file without guessing. The error is a ValidationError so the problem mapper answers 400 with the
// same list.
import { ValidationError } from '../../../lib/errors.ts';

export interface SbomError {
  /** JSON pointer (RFC 6901) into the document, or an XML element path; '' for the whole document. */
  path: string;
  message: string;
}

/** At most this many problems are reported: a broken file can fail everywhere, and one screenful says enough. */
export const MAX_REPORTED_ERRORS = 50;

export class SbomRejectedError extends ValidationError {
  readonly sbomErrors: SbomError[];
  constructor(summary: string, errors: SbomError[]) {
    const list = errors.slice(0, MAX_REPORTED_ERRORS);
    super(summary, list);
    this.name = 'SbomRejectedError';
    this.sbomErrors = list;
  }
}

export function reject(summary: string, errors: SbomError[] | SbomError): never {
  throw new SbomRejectedError(summary, Array.isArray(errors) ? errors : [errors]);
}

/** RFC 6901 pointer from path segments. */
export function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
