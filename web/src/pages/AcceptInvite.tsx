// Accept an invitation: the emailed link carries ?token=...; set name and password, then signed in.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api.ts';
import { fieldError, TextField } from '../components/Field.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { useAction, usePageTitle } from '../hooks.ts';
import { useSession } from '../session.tsx';
import type { Me } from '../types.ts';

export const MIN_PASSWORD_LENGTH = 12;

export function AcceptInvite() {
  usePageTitle('Accept your invitation');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const { signedIn } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction(async () => {
    const me = await api<Me>('/auth/invitations/accept', {
      method: 'POST',
      body: { token, name: name.trim(), password },
      quiet401: true,
    });
    signedIn(me);
    navigate('/', { replace: true });
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void action.run();
  }

  if (!token) {
    return (
      <>
        <h1>Accept your invitation</h1>
        <Notice type="error" role="alert" slim>
          <p className="margin-0">
            This link has no invitation token. Open the link from your invitation email again, or ask your organisation
            administrator for a new invitation.
          </p>
        </Notice>
        <p>
          <Link className="usa-link" to="/sign-in">
            Sign in
          </Link>
        </p>
      </>
    );
  }

  const error: ApiError | undefined = action.error;
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <h1>Accept your invitation</h1>
        <p className="usa-intro">Choose the name others will see and a password to finish setting up your account.</p>
        <ProblemAlert error={error} />
        <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="Accept invitation">
          <TextField
            id="name"
            label="Full name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, 'name')}
          />
          <TextField
            id="new-password"
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A long passphrase is best.`}
            required
            minLength={MIN_PASSWORD_LENGTH}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={fieldError(error, 'password')}
          />
          <TextField
            id="confirm-password"
            label="Confirm password"
            type="password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={mismatch ? 'The passwords do not match' : undefined}
          />
          <button className="usa-button margin-top-3" type="submit" disabled={action.pending}>
            {action.pending ? 'Setting up…' : 'Accept and sign in'}
          </button>
        </form>
      </div>
    </div>
  );
}
