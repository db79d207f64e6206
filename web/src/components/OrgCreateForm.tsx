// Organisations → create (platform administrators).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { useAction } from '../hooks.ts';
import { AGENCY_CODES, ORG_KINDS, orgKindLabel, SECTORS, sectorLabel } from '../types.ts';
import type { Organisation, OrgKind } from '../types.ts';
import { fieldError, SelectField, TextField } from './Field.tsx';
import { Notice } from './Notice.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

export function OrgCreateForm({ onCreated }: { onCreated: (org: Organisation) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrgKind>('operator');
  const [agencyCode, setAgencyCode] = useState('');
  const [sector, setSector] = useState('');
  const [created, setCreated] = useState<Organisation>();

  const create = useAction(async () => {
    const org = await api<Organisation>('/organisations', {
      method: 'POST',
      body: {
        name: name.trim(),
        kind,
        ...(kind === 'agency' ? { agencyCode } : {}),
        ...(kind === 'operator' ? { sector } : {}),
      },
    });
    setCreated(org);
    setName('');
    setAgencyCode('');
    setSector('');
    onCreated(org);
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(undefined);
    void create.run();
  }

  return (
    <section aria-labelledby="create-org-heading" className="fw-section">
      <h2 id="create-org-heading">Create an organisation</h2>
      {created ? (
        <Notice type="success" slim role="status" testId="org-created">
          <p className="margin-0">
            Created <Link className="usa-link" to={`/organisations/${encodeURIComponent(created.id)}`}>{created.name}</Link>.
            Invite its first administrator from its page.
          </p>
        </Notice>
      ) : null}
      <ProblemAlert error={create.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="create-org-heading">
        <TextField
          id="org-name"
          name="name"
          label="Name"
          required
          minLength={2}
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(create.error, 'name')}
        />
        <SelectField
          id="org-kind"
          name="kind"
          label="Kind"
          required
          value={kind}
          onChange={(e) => setKind(e.target.value as OrgKind)}
          error={fieldError(create.error, 'kind')}
        >
          {ORG_KINDS.map((k) => (
            <option key={k} value={k}>
              {orgKindLabel(k)}
            </option>
          ))}
        </SelectField>
        {kind === 'agency' ? (
          <SelectField
            id="org-agency-code"
            name="agencyCode"
            label="Agency"
            required
            value={agencyCode}
            onChange={(e) => setAgencyCode(e.target.value)}
            error={fieldError(create.error, 'agencyCode')}
          >
            <option value="">- Select -</option>
            {AGENCY_CODES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        ) : null}
        {kind === 'operator' ? (
          <SelectField
            id="org-sector"
            name="sector"
            label="Critical-infrastructure sector"
            required
            value={sector}
            onChange={(e) => setSector(e.target.value)}
            error={fieldError(create.error, 'sector')}
          >
            <option value="">- Select -</option>
            {SECTORS.map((s) => (
              <option key={s} value={s}>
                {sectorLabel(s)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <button className="usa-button" type="submit" disabled={create.pending}>
          Create organisation
        </button>
      </form>
    </section>
  );
}
