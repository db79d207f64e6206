// Sign-in: email + password, and an authenticator (TOTP) code.
//
// The code field is always shown, marked optional: users with SECRET/TOP SECRET clearance
// need TOTP at sign-in to get their full clearance, and a visible field lets them sign in
// with one submission. When the API answers /totp-required (code needed, or wrong), the
// field becomes required, gets an error message and receives focus.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, isProblem } from '../api.ts';
import { fieldError, TextField } from '../components/Field.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { usePageTitle } from '../hooks.ts';
import { useSession } from '../session.tsx';
import type { Me } from '../types.ts';

/** Only same-site paths are allowed as the post-sign-in destination. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/accept-invite')) return '/';
  return value;
}

function loginMessage(error: ApiError, codeEntered: boolean): string | undefined {
  if (error.is('/invalid-credentials')) return 'The email address or password is incorrect.';
  if (error.is('/totp-required')) {
    return codeEntered
      ? 'That authenticator code was not accepted. Enter the current 6-digit code from your authenticator app.'
      : 'This account needs a code from your authenticator app. Enter the 6-digit code and sign in again.';
  }
  if (error.is('/account-locked')) {
    return `This account is locked after too many failed sign-in attempts.${error.problem.detail ? ` ${error.problem.detail}` : ''}`;
  }
  if (error.is('/rate-limited')) return 'Too many sign-in attempts. Wait a minute, then try again.';
  return undefined;
}

export function SignIn() {
  usePageTitle('Sign in');
  const { state, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [totpRequired, setTotpRequired] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (totpRequired) totpRef.current?.focus();
  }, [totpRequired, error]);

  if (state.status === 'signed-in' && !pending) return <Navigate to={next} replace />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    const code = totp.replace(/\s+/g, '');
    try {
      const me = await api<Me>('/auth/login', {
        method: 'POST',
        body: { email: email.trim(), password, ...(code ? { totp: code } : {}) },
        quiet401: true,
      });
      signedIn(me);
      navigate(next, { replace: true });
    } catch (err) {
      const apiError =
        err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: 'Sign-in failed', status: 0, detail: String(err) });
      setError(apiError);
      if (isProblem(apiError, '/totp-required')) {
        setTotpRequired(true);
        setTotp('');
      }
      setPending(false);
    }
  }

  const message = error ? loginMessage(error, totp !== '' || totpRequired) : undefined;
  const totpError = error && error.is('/totp-required') ? 'Enter the 6-digit code from your authenticator app' : undefined;

  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Sign in to Forewarn</h1>
        <ProblemAlert error={error} message={message ? <p className="margin-0">{message}</p> : undefined} />
        {state.status === 'error' ? <ProblemAlert error={state.error} /> : null}
        <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} aria-label="Sign in">
          <TextField
            id="email"
            label="Email address"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fieldError(error, 'email')}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(error, 'password')}
          />
          <TextField
            ref={totpRef}
            id="totp"
            label={totpRequired ? 'Authenticator code' : 'Authenticator code (optional)'}
            hint="The 6-digit code from your authenticator app. Required if you have enrolled one; SECRET and TOP SECRET access needs it."
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={10}
            required={totpRequired}
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
            error={totpError}
            className="usa-input--small"
          />
          <button className="usa-button margin-top-3" type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="margin-top-4">
          Invited to Forewarn? Open the link in your invitation email to set your password.
        </p>
      </div>
    </div>
  );
}
