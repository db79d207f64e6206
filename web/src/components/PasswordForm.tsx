// Account → change password.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { useAction } from '../hooks.ts';
import { MIN_PASSWORD_LENGTH } from '../pages/AcceptInvite.tsx';
import { fieldError, TextField } from './Field.tsx';
import { Notice } from './Notice.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const action = useAction(async () => {
    await api('/me/password', { method: 'POST', body: { currentPassword: current, newPassword: next }, quiet401: true });
    setDone(true);
    setCurrent('');
    setNext('');
    setConfirm('');
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    if (next !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void action.run();
  }

  return (
    <section aria-labelledby="password-heading" className="fw-section">
      <h2 id="password-heading">Change password</h2>
      {done ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">Your password has been changed.</p>
        </Notice>
      ) : null}
      <ProblemAlert
        error={action.error}
        message={
          action.error?.is('/invalid-credentials') || action.error?.status === 401 ? (
            <p className="margin-0">Your current password is not correct.</p>
          ) : undefined
        }
      />
      <form className="usa-form" onSubmit={onSubmit} aria-labelledby="password-heading">
        <TextField
          id="current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fieldError(action.error, 'currentPassword')}
        />
        <TextField
          id="new-password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A long passphrase is best.`}
          required
          minLength={MIN_PASSWORD_LENGTH}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fieldError(action.error, 'newPassword')}
        />
        <TextField
          id="confirm-new-password"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? 'The new passwords do not match' : undefined}
        />
        <button className="usa-button" type="submit" disabled={action.pending}>
          Change password
        </button>
      </form>
    </section>
  );
}
