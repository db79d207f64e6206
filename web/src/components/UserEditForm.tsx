// Organisation → edit one user's roles, clearance, compartments and status.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { parseCompartments } from '../format.ts';
import { useAction } from '../hooks.ts';
import type { OrgUser, RoleInfo } from '../types.ts';
import { ClearanceSelect, CompartmentsField, RoleCheckboxes } from './AccessFields.tsx';
import { CheckboxField, fieldError } from './Field.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';

export interface UserEditFormProps {
  user: OrgUser;
  roles: readonly RoleInfo[];
  onSaved: (user: OrgUser) => void;
  onCancel: () => void;
}

export function UserEditForm({ user, roles, onSaved, onCancel }: UserEditFormProps) {
  const [selected, setSelected] = useState<string[]>(user.roles);
  const [clearance, setClearance] = useState<string>(user.clearance);
  const [compartments, setCompartments] = useState(user.compartments.join(', '));
  const [disabled, setDisabled] = useState(user.disabled);
  const [resetTotp, setResetTotp] = useState(false);

  const save = useAction(async () => {
    const updated = await api<OrgUser>(`/users/${encodeURIComponent(user.id)}`, {
      method: 'PATCH',
      body: { roles: selected, clearance, compartments: parseCompartments(compartments), disabled, ...(resetTotp ? { resetTotp: true } : {}) },
    });
    onSaved(updated);
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save.run();
  }

  // Keep roles the user already holds visible even if the kind filter would hide them.
  const choices = [...roles, ...user.roles.filter((r) => !roles.some((x) => x.role === r)).map((r) => ({ role: r, label: r, orgKinds: [] }))];

  return (
    <section aria-labelledby="edit-user-heading" className="fw-panel" data-testid="edit-user">
      <h3 id="edit-user-heading">
        Edit {user.name} ({user.email})
      </h3>
      <ProblemAlert error={save.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="edit-user-heading">
        <RoleCheckboxes idPrefix="edit" roles={choices} selected={selected} onChange={setSelected} error={fieldError(save.error, 'roles')} />
        <ClearanceSelect id="edit-clearance" value={clearance} onChange={setClearance} error={fieldError(save.error, 'clearance')} />
        <CompartmentsField id="edit-compartments" value={compartments} onChange={setCompartments} error={fieldError(save.error, 'compartments')} />
        <fieldset className="usa-fieldset usa-form-group">
          <legend className="usa-legend">Account status</legend>
          <CheckboxField
            id="edit-disabled"
            name="disabled"
            label="Disabled"
            description="A disabled user cannot sign in and their sessions and API tokens stop working."
            checked={disabled}
            onChange={(e) => setDisabled(e.target.checked)}
          />
          {user.totpEnrolled ? (
            <CheckboxField
              id="edit-reset-totp"
              name="resetTotp"
              label="Reset two-factor authentication"
              description="Removes the user's authenticator app; they enrol a new one after signing in."
              checked={resetTotp}
              onChange={(e) => setResetTotp(e.target.checked)}
            />
          ) : null}
        </fieldset>
        <div className="usa-button-group margin-top-2">
          <button className="usa-button" type="submit" disabled={save.pending}>
            Save changes
          </button>
          <button className="usa-button usa-button--unstyled" type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
