// Selection and appeal panels: the members declare conflicts and vote with a rationale citing the criteria.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { CheckboxField, fieldError, SelectField, TextAreaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { StaffAppealForm } from './PanelForms.tsx';
import type { Panel } from './types.ts';

export function PanelsPage() {
  usePageTitle('Selection panels');
  useReportClassification({ classification: 'CUI' });
  const me = useMe();
  const { data, error, loading } = useResource<{ items: Panel[] }>('/partners/panels');
  return (
    <>
      <h1>Selection panels</h1>
      {me.abilities.includes('partners:vet') ? (
        <p>
          <Link className="usa-button" to="/partners/panels/new">
            Constitute a selection panel
          </Link>
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <ScrollTable captionId="panels-caption">
          <table className="usa-table usa-table--borderless">
            <caption id="panels-caption">Panels you sit on or can see</caption>
            <thead>
              <tr>
                <th scope="col">Applicant</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/partners/panels/${p.id}`}>
                      {p.applicantName}
                    </Link>
                  </th>
                  <td>{p.kind}</td>
                  <td>{p.status.replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function PanelPage() {
  usePageTitle('Selection panel');
  useReportClassification({ classification: 'CUI' });
  const { id } = useParams();
  const me = useMe();
  const { data, error, loading, reload } = useResource<Panel>(`/partners/panels/${id}`);
  const [conflicted, setConflicted] = useState('false');
  const [conflictNote, setConflictNote] = useState('');
  const [vote, setVote] = useState('approve');
  const [rationale, setRationale] = useState('');
  const [cited, setCited] = useState<string[]>([]);
  const declare = useAction(async () => {
    await api(`/partners/panels/${id}/conflicts`, { method: 'POST', body: { conflicted: conflicted === 'true', note: conflictNote } });
    reload();
  });
  const cast = useAction(async () => {
    await api(`/partners/panels/${id}/votes`, { method: 'POST', body: { vote, rationale, citedCriteria: cited } });
    reload();
  });
  const mine = data?.members.find((m) => m.userId === me.user.id);
  return (
    <>
      <h1>{data?.kind === 'appeal' ? 'Appeal panel' : 'Joint selection panel'}</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary">
            <dt>Applicant</dt>
            <dd>{data.applicantName}</dd>
            <dt>Vetted eligible</dt>
            <dd>{data.applicantEligible ? 'Yes' : 'No'}</dd>
            <dt>Status</dt>
            <dd data-testid="panel-status">{data.status.replace('_', ' ')}</dd>
            <dt>Reasons</dt>
            <dd>{data.reasons ?? '—'}</dd>
            {data.appealGrounds ? (
              <>
                <dt>Grounds of appeal</dt>
                <dd>{data.appealGrounds}</dd>
              </>
            ) : null}
          </dl>
          <ScrollTable captionId="members-caption">
            <table className="usa-table usa-table--borderless">
              <caption id="members-caption">Members, declarations and votes</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Side</th>
                  <th scope="col">Conflict</th>
                  <th scope="col">Vote</th>
                  <th scope="col">Rationale</th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">
                      {m.name} ({m.orgName})
                    </th>
                    <td>{m.side}</td>
                    <td>{m.conflicted === null ? 'not declared' : m.conflicted ? 'conflicted' : 'none'}</td>
                    <td>{m.vote ?? '—'}</td>
                    <td>{m.rationale ? `${m.rationale} (cites ${m.citedCriteria.join(', ')})` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          {data.kind === 'appeal' && data.status === 'awaiting_panel' && me.abilities.includes('partners:vet') ? <StaffAppealForm appealId={data.id} onDone={reload} /> : null}
          {mine && data.status === 'open' && mine.conflicted === null ? (
            <form
              className="usa-form"
              aria-label="Declare conflicts of interest"
              onSubmit={(e) => {
                e.preventDefault();
                void declare.run();
              }}
            >
              <h2>Declare conflicts of interest</h2>
              <ProblemAlert error={declare.error} />
              <SelectField id="conflicted" label="Do you have a conflict of interest with this applicant?" value={conflicted} onChange={(e) => setConflicted(e.target.value)}>
                <option value="false">No</option>
                <option value="true">Yes (you will not vote)</option>
              </SelectField>
              <TextAreaField id="conflict-note" label="Describe the conflict" value={conflictNote} onChange={(e) => setConflictNote(e.target.value)} error={fieldError(declare.error, 'note')} />
              <button className="usa-button" type="submit">
                Declare
              </button>
            </form>
          ) : null}
          {mine && data.status === 'open' && mine.conflicted === false && !mine.vote ? (
            <form
              className="usa-form"
              aria-label="Vote"
              onSubmit={(e) => {
                e.preventDefault();
                void cast.run();
              }}
            >
              <h2>Vote</h2>
              <ProblemAlert error={cast.error} />
              <SelectField id="vote" label="Your vote" value={vote} onChange={(e) => setVote(e.target.value)}>
                <option value="approve">Approve</option>
                <option value="refuse">Refuse</option>
              </SelectField>
              <fieldset className="usa-fieldset">
                <legend className="usa-legend">Criteria your rationale relies on</legend>
                {data.criteria.map((c) => (
                  <CheckboxField key={c.key} id={`cite-${c.key}`} label={`${c.title} (${c.key})`} checked={cited.includes(c.key)} onChange={(e) => setCited(e.target.checked ? [...cited, c.key] : cited.filter((k) => k !== c.key))} />
                ))}
              </fieldset>
              <TextAreaField id="rationale" label="Written rationale" required value={rationale} onChange={(e) => setRationale(e.target.value)} error={fieldError(cast.error, 'rationale') ?? fieldError(cast.error, 'citedCriteria')} />
              <button className="usa-button" type="submit" disabled={cast.pending}>
                Cast vote
              </button>
            </form>
          ) : null}
        </>
      ) : null}
    </>
  );
}
