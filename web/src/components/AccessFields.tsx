// Shared fields for inviting and editing users: roles, clearance, compartments.
import type { ReactNode } from 'react';
import { CLASSIFICATIONS } from '../classification.tsx';
import type { RoleInfo } from '../types.ts';
import { CheckboxField, SelectField, TextField } from './Field.tsx';

export function rolesForKind(roles: readonly RoleInfo[], kind: string): RoleInfo[] {
  return roles.filter((r) => r.orgKinds.length === 0 || r.orgKinds.includes(kind));
}

export interface RoleCheckboxesProps {
  idPrefix: string;
  roles: readonly RoleInfo[];
  selected: readonly string[];
  onChange: (roles: string[]) => void;
  error?: string;
  legend?: ReactNode;
}

export function RoleCheckboxes({ idPrefix, roles, selected, onChange, error, legend = 'Roles' }: RoleCheckboxesProps) {
  function toggle(role: string, checked: boolean) {
    onChange(checked ? [...selected, role] : selected.filter((r) => r !== role));
  }
  return (
    <fieldset className={`usa-fieldset usa-form-group${error ? ' usa-form-group--error' : ''}`}>
      <legend className="usa-legend">{legend}</legend>
      {error ? (
        <span className="usa-error-message" id={`${idPrefix}-roles-error`}>
          {error}
        </span>
      ) : null}
      {roles.length === 0 ? <p className="usa-hint">No roles are available for this kind of organisation.</p> : null}
      {roles.map((r) => (
        <CheckboxField
          key={r.role}
          id={`${idPrefix}-role-${r.role.replace(/[^a-zA-Z0-9_-]/g, '-')}`}
          name="roles"
          value={r.role}
          label={r.label}
          checked={selected.includes(r.role)}
          onChange={(e) => toggle(r.role, e.target.checked)}
        />
      ))}
    </fieldset>
  );
}

export function ClearanceSelect({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <SelectField id={id} name="clearance" label="Clearance" value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      {CLASSIFICATIONS.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </SelectField>
  );
}

export function CompartmentsField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <TextField
      id={id}
      name="compartments"
      label="Compartments"
      hint="Comma-separated compartment names (capital letters, digits, _ or -), for example: BENCH, ALPHA. Leave empty for none."
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}
