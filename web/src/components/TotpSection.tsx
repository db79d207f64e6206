// Account → two-factor authentication (TOTP) enrolment.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { useAction } from '../hooks.ts';
import { useMe, useSession } from '../session.tsx';
import { CopyField } from './CopyField.tsx';
import { fieldError, TextField } from './Field.tsx';
import { Notice } from './Notice.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

interface Enrolment {
  secret: string;
  otpauthUrl: string;
}

export function TotpSection() {
  const me = useMe();
  const { refresh } = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [code, setCode] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const enrol = useAction(async () => {
    setConfirmed(false);
    setEnrolment(await api<Enrolment>('/me/totp/enrol', { method: 'POST' }));
  });
  const confirm = useAction(async () => {
    await api('/me/totp/confirm', { method: 'POST', body: { code: code.replace(/\s+/g, '') }, quiet401: true });
    setEnrolment(undefined);
    setCode('');
    setConfirmed(true);
    await refresh();
  });

  function onConfirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void confirm.run();
  }

  return (
    <section aria-labelledby="totp-heading" className="fw-section" id="totp">
      <h2 id="totp-heading">Two-factor authentication</h2>
      <p data-testid="totp-status">
        {me.user.totpEnrolled
          ? 'An authenticator app is enrolled. Enter its code when you sign in.'
          : 'No authenticator app is enrolled. Users cleared for SECRET or TOP SECRET need one to use their full clearance.'}
      </p>
      {confirmed ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">Your authenticator app is enrolled. Use a code from it the next time you sign in.</p>
        </Notice>
      ) : null}
      <ProblemAlert error={enrol.error} />
      {me.user.totpEnrolled && !enrolment ? (
        <p>To move to a new device, ask your organisation administrator to reset your authenticator, then enrol again.</p>
      ) : !enrolment ? (
        <button className="usa-button usa-button--outline" type="button" onClick={() => void enrol.run()} disabled={enrol.pending}>
          Enrol an authenticator app
        </button>
      ) : (
        <div className="fw-panel">
          <h3>Add Forewarn to your authenticator app</h3>
          <p>
            In your authenticator app, add an account with this setup key (time-based, 6 digits, 30 seconds), or paste
            the otpauth link if your app accepts it.
          </p>
          <CopyField id="totp-secret" label="Setup key" value={enrolment.secret} />
          <CopyField id="totp-url" label="otpauth link" value={enrolment.otpauthUrl} />
          <ProblemAlert
            error={confirm.error}
            message={
              confirm.error && (confirm.error.status === 400 || confirm.error.status === 401 || confirm.error.status === 422) ? (
                <p className="margin-0">That code was not accepted. Enter the current code shown in your app.</p>
              ) : undefined
            }
          />
          <form className="usa-form" onSubmit={onConfirm} aria-label="Confirm authenticator code">
            <TextField
              id="totp-code"
              name="code"
              label="Code from your app"
              hint="6 digits"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              className="usa-input--small"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={fieldError(confirm.error, 'code')}
            />
            <button className="usa-button" type="submit" disabled={confirm.pending}>
              Confirm code
            </button>
            <button className="usa-button usa-button--unstyled margin-left-2" type="button" onClick={() => setEnrolment(undefined)}>
              Cancel
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
