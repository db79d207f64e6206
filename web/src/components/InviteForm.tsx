// Organisation → invite a user.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { formatDateTime, parseCompartments } from '../format.ts';
import { useAction } from '../hooks.ts';
import type { Invitation, Organisation, RoleInfo } from '../types.ts';
import { ClearanceSelect, CompartmentsField, RoleCheckboxes, rolesForKind } from './AccessFields.tsx';
import { fieldError, TextField } from './Field.tsx';
import { Notice } from './Notice.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

export function InviteForm({ org, roles, onInvited }: { org: Organisation; roles: readonly RoleInfo[]; onInvited?: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [clearance, setClearance] = useState('UNCLASSIFIED');
  const [compartments, setCompartments] = useState('');
  const [sent, setSent] = useState<Invitation>();

  const invite = useAction(async () => {
    const invitation = await api<Invitation>(`/organisations/${encodeURIComponent(org.id)}/invitations`, {
      method: 'POST',
      body: { email: email.trim(), name: name.trim(), roles: selected, clearance, compartments: parseCompartments(compartments) },
    });
    setSent(invitation);
    setEmail('');
    setName('');
    setSelected([]);
    setClearance('UNCLASSIFIED');
    setCompartments('');
    onInvited?.();
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(undefined);
    void invite.run();
  }

  return (
    <section aria-labelledby="invite-heading" className="fw-section">
      <h2 id="invite-heading">Invite a user</h2>
      <p>The person receives an email with a link to set their name and password. The link expires.</p>
      {sent ? (
        <Notice type="success" slim role="status" testId="invitation-sent">
          <p className="margin-0">
            Invitation sent to {sent.email}. It expires {formatDateTime(sent.expiresAt)}.
          </p>
        </Notice>
      ) : null}
      <ProblemAlert error={invite.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="invite-heading">
        <TextField
          id="invite-email"
          name="email"
          label="Email address"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fieldError(invite.error, 'email')}
        />
        <TextField
          id="invite-name"
          name="name"
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(invite.error, 'name')}
        />
        <RoleCheckboxes
          idPrefix="invite"
          roles={rolesForKind(roles, org.kind)}
          selected={selected}
          onChange={setSelected}
          error={fieldError(invite.error, 'roles')}
        />
        <ClearanceSelect id="invite-clearance" value={clearance} onChange={setClearance} error={fieldError(invite.error, 'clearance')} />
        <CompartmentsField
          id="invite-compartments"
          value={compartments}
          onChange={setCompartments}
          error={fieldError(invite.error, 'compartments')}
        />
        <button className="usa-button" type="submit" disabled={invite.pending}>
          Send invitation
        </button>
      </form>
    </section>
  );
}
