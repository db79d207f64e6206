// The hiring agency: postings (draft, open, close), each posting's applicants moved through the
// stages with internal notes, and the dashboard.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { CLEARANCE_LABELS, PATH_LABELS, pay, words, type AgencyApplication, type AgencyPosting, type Dashboard } from './types.ts';

export function HiringHome() {
  usePageTitle('Hiring');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading, reload } = useResource<{ items: AgencyPosting[] }>('/job-postings');
  const [f, setF] = useState({ announcementNumber: '', title: '', summary: '', duties: '', hiringPath: 'tech_force', payPlan: '', payMinUsd: '', payMaxUsd: '', location: '', workplace: 'hybrid', clearanceRequired: 'secret', closesAt: '' });
  const [created, setCreated] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const create = useAction(async () => {
    await api('/job-postings', { method: 'POST', body: { ...f, payMinUsd: Number(f.payMinUsd), payMaxUsd: Number(f.payMaxUsd), closesAt: f.closesAt ? new Date(f.closesAt).toISOString() : '' } });
    setCreated(true);
    reload();
  });
  const act = useAction(async (id: string, verb: 'open' | 'close') => {
    await api(`/job-postings/${id}/${verb}`, { method: 'POST' });
    reload();
  });
  return (
    <>
      <h1>Hiring</h1>
      <p>
        <Link className="usa-link" to="/hiring/dashboard">
          Hiring dashboard
        </Link>
      </p>
      <ProblemAlert error={error ?? act.error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <ScrollTable captionId="agency-postings-caption">
          <table className="usa-table usa-table--borderless" data-testid="agency-postings">
            <caption id="agency-postings-caption">Your agency’s postings</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Hiring path</th>
                <th scope="col">Status</th>
                <th scope="col">Applications</th>
                <th scope="col">Closes</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/hiring/postings/${p.id}`}>
                      {p.title} ({p.announcementNumber})
                    </Link>
                  </th>
                  <td>{PATH_LABELS[p.hiringPath] ?? p.hiringPath}</td>
                  <td>{p.status === 'open' ? p.phase : p.status}</td>
                  <td>{p.applications}</td>
                  <td>{formatDateTime(p.closesAt)}</td>
                  <td>
                    {p.status === 'draft' ? (
                      <button className="usa-button usa-button--unstyled" type="button" onClick={() => void act.run(p.id, 'open')}>
                        Open {p.announcementNumber}
                      </button>
                    ) : p.status === 'open' ? (
                      <button className="usa-button usa-button--unstyled" type="button" onClick={() => void act.run(p.id, 'close')}>
                        Close {p.announcementNumber}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      <form
        className="usa-form maxw-tablet"
        aria-labelledby="new-posting-h"
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(false);
          void create.run();
        }}
      >
        <h2 id="new-posting-h">Post a position</h2>
        {created ? (
          <Notice type="success" slim role="status">
            <p className="margin-0">Draft posting saved. Open it from the table above to make it public.</p>
          </Notice>
        ) : null}
        <ProblemAlert error={create.error} />
        <TextField id="p-number" label="Announcement number" hint="Upper-case letters, digits and hyphens" required maxLength={40} value={f.announcementNumber} onChange={set('announcementNumber')} />
        <TextField id="p-title" label="Title" required maxLength={200} value={f.title} onChange={set('title')} />
        <TextAreaField id="p-summary" label="Summary" required maxLength={4000} value={f.summary} onChange={set('summary')} />
        <TextAreaField id="p-duties" label="Duties" required maxLength={8000} value={f.duties} onChange={set('duties')} />
        <SelectField id="p-path" label="Hiring path" value={f.hiringPath} onChange={set('hiringPath')}>
          {Object.entries(PATH_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        <TextField id="p-plan" label="Grade or pay band" required maxLength={60} value={f.payPlan} onChange={set('payPlan')} />
        <TextField id="p-min" label="Pay from (USD a year)" type="number" required value={f.payMinUsd} onChange={set('payMinUsd')} />
        <TextField id="p-max" label="Pay to (USD a year)" type="number" required value={f.payMaxUsd} onChange={set('payMaxUsd')} />
        <TextField id="p-location" label="Location" required maxLength={200} value={f.location} onChange={set('location')} />
        <SelectField id="p-workplace" label="Workplace" value={f.workplace} onChange={set('workplace')}>
          <option value="onsite">On site</option>
          <option value="hybrid">Hybrid</option>
          <option value="remote">Remote</option>
        </SelectField>
        <SelectField id="p-clearance" label="Clearance required" value={f.clearanceRequired} onChange={set('clearanceRequired')}>
          {Object.entries(CLEARANCE_LABELS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        <TextField id="p-closes" label="Closing date and time (your local time)" type="datetime-local" required value={f.closesAt} onChange={set('closesAt')} />
        <button className="usa-button" type="submit" disabled={create.pending}>
          Save draft posting
        </button>
      </form>
    </>
  );
}

function ApplicantCard({ a, onChange }: { a: AgencyApplication; onChange: () => void }) {
  const [to, setTo] = useState(a.allowedMoves[0] ?? '');
  const [note, setNote] = useState('');
  const move = useAction(async () => {
    await api(`/hiring/applications/${a.id}/stage`, { method: 'POST', body: { to, ...(note.trim() ? { note: note.trim() } : {}) } });
    setNote('');
    onChange();
  });
  const h = `cand-${a.id}`;
  return (
    <section aria-labelledby={h} className="fw-section border-top border-base-lighter padding-top-2" data-testid="applicant">
      <h2 id={h}>{a.candidateName}</h2>
      <p>
        {a.profile.headline}. Skills: {a.profile.skills.join(', ') || '—'}. Certifications: {a.profile.certifications.join(', ') || '—'}. Clearance held:{' '}
        {CLEARANCE_LABELS[a.profile.clearanceHeld] ?? a.profile.clearanceHeld}. Résumé: {a.resumeFilename}.
      </p>
      <p>
        Stage: <strong data-testid="agency-stage">{a.stageLabel}</strong>
      </p>
      <ul aria-label={`History of ${a.candidateName}'s application`}>
        {a.events.map((e, i) => (
          <li key={i}>
            {formatDateTime(e.at)}: {words(e.toStage)}
            {e.movedBy ? ` by ${e.movedBy}` : ''}
            {e.internalNote ? ` — internal note: ${e.internalNote}` : ''}
          </li>
        ))}
      </ul>
      {a.allowedMoves.length ? (
        <form
          className="usa-form"
          onSubmit={(e) => {
            e.preventDefault();
            void move.run();
          }}
        >
          <ProblemAlert error={move.error} />
          <SelectField id={`${h}-to`} label={`Move ${a.candidateName} to`} value={to} onChange={(e) => setTo(e.target.value)}>
            {a.allowedMoves.map((m) => (
              <option key={m} value={m}>
                {words(m)}
              </option>
            ))}
          </SelectField>
          <TextAreaField id={`${h}-note`} label="Internal note (never shown to the candidate)" maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
          <button className="usa-button" type="submit" disabled={move.pending}>
            Move
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function PostingApplicants() {
  const { id = '' } = useParams();
  const { data, error, loading, reload } = useResource<{ items: AgencyApplication[] }>(`/job-postings/${id}/applications`);
  const { data: postings } = useResource<{ items: AgencyPosting[] }>('/job-postings');
  const p = postings?.items.find((x) => x.id === id);
  usePageTitle(p ? `Applicants: ${p.title}` : 'Applicants');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  return (
    <>
      <h1>Applicants{p ? `: ${p.title}` : ''}</h1>
      {p ? (
        <p>
          {p.announcementNumber}, {PATH_LABELS[p.hiringPath]}, {pay(p)}
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No applications yet.</p> : null}
      {data?.items.map((a) => <ApplicantCard key={a.id} a={a} onChange={reload} />)}
    </>
  );
}

export function HiringDashboard() {
  usePageTitle('Hiring dashboard');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<Dashboard>('/hiring/dashboard');
  const paths = Object.keys(PATH_LABELS);
  return (
    <>
      <h1>Hiring dashboard</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary" data-testid="hiring-summary">
            <dt>Applications</dt>
            <dd>{data.totalApplications}</dd>
            <dt>Time to hire</dt>
            <dd>{data.timeToHireDays.hires ? `median ${data.timeToHireDays.median} days, mean ${data.timeToHireDays.mean} days over ${data.timeToHireDays.hires} hire(s)` : 'no hires yet'}</dd>
            <dt>Clearance sponsorships in progress</dt>
            <dd data-testid="sponsorships">{data.clearanceSponsorshipsInProgress}</dd>
          </dl>
          <ScrollTable captionId="pipeline-caption">
            <table className="usa-table usa-table--borderless" data-testid="pipeline">
              <caption id="pipeline-caption">Pipeline by stage and hiring path</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  {paths.map((p) => (
                    <th scope="col" key={p}>
                      {PATH_LABELS[p]}
                    </th>
                  ))}
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                {data.pipeline.map((r) => (
                  <tr key={r.stage}>
                    <th scope="row">{words(r.stage)}</th>
                    {paths.map((p) => (
                      <td key={p}>{r.byPath[p] ?? 0}</td>
                    ))}
                    <td>{r.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}
