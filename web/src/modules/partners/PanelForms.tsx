// Constituting panels: a joint selection panel (officials and the developer's representatives, with a
// decision rule) and the staffing of an appeal panel, whose members must not have sat on the first.
import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import type { ApiError } from '../../api.ts';
import { CheckboxField, fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import type { ApplicationSummary, Panel } from './types.ts';

interface MemberRow {
  userId: string;
  side: 'government' | 'developer';
}
interface Rule {
  govMajority: boolean;
  developerMajority: boolean;
  developerConcurrenceRequired: true;
}
interface WindowSummary {
  id: string;
  modelName: string;
  modelVersion: string;
  developerOrgName: string | null;
  status: string;
  closesAt: string;
}

/** People already seen on panels, offered as suggestions so a vetting reviewer need not copy identifiers. */
function useKnownPeople(): { userId: string; label: string }[] {
  const me = useMe();
  const panels = useResource<{ items: Panel[] }>('/partners/panels');
  return useMemo(() => {
    const seen = new Map<string, string>([[me.user.id, `${me.user.name} (${me.organisation.name})`]]);
    for (const p of panels.data?.items ?? []) for (const m of p.members) seen.set(m.userId, `${m.name} (${m.orgName})`);
    return [...seen].map(([userId, label]) => ({ userId, label }));
  }, [me, panels.data]);
}

/** The members and the decision rule, shared by both forms. */
function MembersAndRule({
  prefix,
  members,
  setMembers,
  rule,
  setRule,
  error,
}: {
  prefix: string;
  members: MemberRow[];
  setMembers: (m: MemberRow[]) => void;
  rule: Rule;
  setRule: (r: Rule) => void;
  error: ApiError | undefined;
}) {
  const people = useKnownPeople();
  const listId = `${prefix}-people`;
  const update = (i: number, change: Partial<MemberRow>) => setMembers(members.map((m, j) => (j === i ? { ...m, ...change } : m)));
  return (
    <>
      <datalist id={listId}>
        {people.map((p) => (
          <option key={p.userId} value={p.userId} label={p.label} />
        ))}
      </datalist>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Members</legend>
        <p className="usa-hint">Name agency officials on the government side and the developer’s representatives on the developer side. Each member declares conflicts before voting.</p>
        {members.map((m, i) => (
          <fieldset key={i} className="usa-fieldset margin-top-2">
            <legend className="usa-legend">Member {i + 1}</legend>
            <TextField
              id={`${prefix}-member-${i}-user`}
              label="User identifier"
              hint="Start typing to pick someone already known, or paste the identifier from the directory."
              required
              list={listId}
              value={m.userId}
              onChange={(e) => update(i, { userId: e.target.value.trim() })}
              error={fieldError(error, `members.${i}.userId`)}
            />
            <SelectField id={`${prefix}-member-${i}-side`} label="Side" value={m.side} onChange={(e) => update(i, { side: e.target.value as MemberRow['side'] })}>
              <option value="government">Government official</option>
              <option value="developer">Developer representative</option>
            </SelectField>
            {members.length > 2 ? (
              <button type="button" className="usa-button usa-button--unstyled margin-top-1" onClick={() => setMembers(members.filter((_, j) => j !== i))}>
                Remove member {i + 1}
              </button>
            ) : null}
          </fieldset>
        ))}
        {members.length < 20 ? (
          <button type="button" className="usa-button usa-button--outline margin-top-2" onClick={() => setMembers([...members, { userId: '', side: 'government' }])}>
            Add a member
          </button>
        ) : null}
      </fieldset>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend usa-legend--large">Decision rule</legend>
        <CheckboxField id={`${prefix}-gov-majority`} label="A majority of the government members must approve" checked={rule.govMajority} onChange={(e) => setRule({ ...rule, govMajority: e.target.checked })} />
        <CheckboxField
          id={`${prefix}-dev-majority`}
          label="A majority of the developer’s representatives must approve"
          checked={rule.developerMajority}
          onChange={(e) => setRule({ ...rule, developerMajority: e.target.checked })}
        />
        <CheckboxField
          id={`${prefix}-dev-concurrence`}
          label="The developer concurs"
          description="Always required: the model and its intellectual property are the developer’s."
          checked
          disabled
          readOnly
        />
      </fieldset>
    </>
  );
}

const START: MemberRow[] = [
  { userId: '', side: 'government' },
  { userId: '', side: 'developer' },
];
const DEFAULT_RULE: Rule = { govMajority: true, developerMajority: true, developerConcurrenceRequired: true };

export function NewPanelPage() {
  usePageTitle('Constitute a selection panel');
  useReportClassification({ classification: 'CUI' });
  const navigate = useNavigate();
  const apps = useResource<{ items: ApplicationSummary[] }>('/partners/applications', { status: 'eligible' });
  const windows = useResource<{ items: WindowSummary[] }>('/windows');
  const [applicationId, setApplicationId] = useState('');
  const [windowId, setWindowId] = useState('');
  const [members, setMembers] = useState<MemberRow[]>(START);
  const [rule, setRule] = useState<Rule>(DEFAULT_RULE);
  const create = useAction(async () => {
    const p = await api<Panel>('/partners/panels', { method: 'POST', body: { applicationId, windowId, members, rule } });
    navigate(`/partners/panels/${p.id}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const open = (windows.data?.items ?? []).filter((w) => w.status === 'open');
  return (
    <>
      <h1>Constitute a joint selection panel</h1>
      <p className="usa-intro">A panel decides, for one eligible applicant and one open review window, whether the applicant joins the window’s grants.</p>
      <ProblemAlert error={apps.error ?? create.error} />
      <form className="usa-form usa-form--large" aria-label="Constitute a joint selection panel" onSubmit={submit}>
        <SelectField id="panel-application" label="Eligible applicant" required value={applicationId} onChange={(e) => setApplicationId(e.target.value)} error={fieldError(create.error, 'applicationId')}>
          <option value="">- Select -</option>
          {(apps.data?.items ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.applicantName} (criteria version {a.criteriaVersion})
            </option>
          ))}
        </SelectField>
        <datalist id="panel-windows">
          {open.map((w) => (
            <option key={w.id} value={w.id} label={`${w.modelName} ${w.modelVersion}${w.developerOrgName ? ` — ${w.developerOrgName}` : ''}`} />
          ))}
        </datalist>
        <TextField
          id="panel-window"
          label="Open review window"
          hint="The window’s identifier; windows your agency takes part in are suggested."
          required
          list="panel-windows"
          value={windowId}
          onChange={(e) => setWindowId(e.target.value.trim())}
          error={fieldError(create.error, 'windowId')}
        />
        <MembersAndRule prefix="panel" members={members} setMembers={setMembers} rule={rule} setRule={setRule} error={create.error} />
        <button className="usa-button margin-top-3" type="submit" disabled={create.pending}>
          Constitute the panel
        </button>
      </form>
    </>
  );
}

/** Staffing of an appeal that awaits its panel; shown on the appeal's page to vetting reviewers. */
export function StaffAppealForm({ appealId, onDone }: { appealId: string; onDone: () => void }) {
  const [members, setMembers] = useState<MemberRow[]>(START);
  const [rule, setRule] = useState<Rule>(DEFAULT_RULE);
  const staff = useAction(async () => {
    await api(`/partners/appeals/${appealId}/panel`, { method: 'POST', body: { members, rule } });
    onDone();
  });
  return (
    <form
      className="usa-form usa-form--large"
      aria-label="Staff the appeal panel"
      onSubmit={(e) => {
        e.preventDefault();
        void staff.run();
      }}
    >
      <h2>Staff the appeal panel</h2>
      <p className="usa-hint">No member of the first panel may sit on the appeal.</p>
      <ProblemAlert error={staff.error} />
      <MembersAndRule prefix="appeal" members={members} setMembers={setMembers} rule={rule} setRule={setRule} error={staff.error} />
      <button className="usa-button margin-top-3" type="submit" disabled={staff.pending}>
        Staff the panel
      </button>
    </form>
  );
}
