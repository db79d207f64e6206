// Typed errors, each mapped to one RFC 9457 problem type in server/problem.ts. Services throw these;
// nothing else decides status codes.
export interface ProblemFieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail?: string,
    readonly errors?: ProblemFieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors?: ProblemFieldError[]) {
    super(400, 'validation-failed', 'Your request is not valid', detail, errors);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(detail = 'Sign in, or send a valid API token.') {
    super(401, 'unauthenticated', 'Authentication required', detail);
  }
}
export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, 'invalid-credentials', 'Email or password is wrong', 'Check your email address and password.');
  }
}
export class TotpRequiredError extends AppError {
  constructor(detail = 'Enter the 6-digit code from your authenticator app.') {
    super(401, 'totp-required', 'Authenticator code required', detail);
  }
}
export class AccountLockedError extends AppError {
  constructor(until: Date) {
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    super(423, 'account-locked', 'Account temporarily locked', `Too many failed sign-ins. Try again after ${until.toISOString()}.`, undefined, {
      'retry-after': String(seconds),
    });
  }
}
/** The subject may know the record exists but lacks the role to do this. */
export class ForbiddenError extends AppError {
  constructor(detail = 'Your role does not allow this action.') {
    super(403, 'forbidden', 'Not allowed', detail);
  }
}
/** Absent, or not readable by this subject: the two are indistinguishable on purpose. */
export class NotFoundError extends AppError {
  constructor(
    what = 'record',
    readonly denied = false,
  ) {
    super(404, 'not-found', 'Not found', `No such ${what}.`);
  }
}
export class ConflictError extends AppError {
  constructor(detail: string) {
    super(409, 'conflict', 'Conflicts with the current state', detail);
  }
}
export class InvalidTransitionError extends AppError {
  constructor(machine: string, from: string, event: string) {
    super(409, 'invalid-transition', 'That change is not allowed now', `${machine}: cannot ${event} from ${from}.`);
  }
}
export class CsrfError extends AppError {
  constructor() {
    super(403, 'csrf-failed', 'Missing or wrong CSRF token', 'Send the x-csrf-token header with the value of the fw_csrf cookie.');
  }
}
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate-limited', 'Too many requests', `Try again in ${retryAfterSeconds} seconds.`, undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}
