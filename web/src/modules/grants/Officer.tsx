// The program officer's side: opportunities (draft, publish), the ranking, reviewer assignment and decisions.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { usd, words, type Application, type Assignment, type OfficerOpportunity, type Ranking } from './types.ts';

const ATTESTATION_KEYS = ['us_entity', 'us_ownership', 'key_personnel_citizens', 'not_debarred', 'responsible_disclosure'];

/** "key | title | weight | description" per line → rubric; "key | title" per line → sections. */
function parseRows(text: string) {
  return text
    .split('\n')
    .map((l) => l.split('|').map((x) => x.trim()))
    .filter((p) => p[0]);
}

export function ManageOpportunities() {
  usePageTitle('Manage funding opportunities');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading, reload } = useResource<{ items: OfficerOpportunity[] }>('/grant-opportunities');
  const [f, setF] = useState({
    number: '',
    title: '',
    program: 'AI Cyber Defense Tools Program',
    summary: '',
    floorUsd: '100000',
    ceilingUsd: '500000',
    totalFundingUsd: '2000000',
    expectedAwards: '4',
    opensAtLocal: '',
    closesAtLocal: '',
    timeZone: 'America/New_York',
    budgetYears: '2',
    maxEmployees: '',
    sections: 'technical_approach | Technical approach\nimpact | Impact on critical infrastructure',
    rubric: 'merit | Technical merit | 60 | Soundness of the approach\nimpact | Impact | 40 | Reach into critical infrastructure',
  });
  const [created, setCreated] = useState<string>();
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const create = useAction(async () => {
    const o = await api<OfficerOpportunity>('/grant-opportunities', {
      method: 'POST',
      body: {
        number: f.number.trim(),
        title: f.title.trim(),
        program: f.program.trim(),
        summary: f.summary.trim(),
        eligibility: { orgKinds: ['grantee', 'vendor', 'trusted_partner'], minEmployees: null, maxEmployees: f.maxEmployees ? Number(f.maxEmployees) : null, requiredAttestations: ATTESTATION_KEYS.filter((k) => k !== 'key_personnel_citizens') },
        floorUsd: Number(f.floorUsd),
        ceilingUsd: Number(f.ceilingUsd),
        totalFundingUsd: Number(f.totalFundingUsd),
        expectedAwards: Number(f.expectedAwards),
        opensAtLocal: f.opensAtLocal,
        closesAtLocal: f.closesAtLocal,
        timeZone: f.timeZone,
        budgetYears: Number(f.budgetYears),
        requiredSections: parseRows(f.sections).map(([key, title]) => ({ key, title: title ?? key })),
        rubric: parseRows(f.rubric).map(([key, title, weight, description]) => ({ key, title: title ?? key, weight: Number(weight ?? 1), description: description ?? title ?? key })),
      },
    });
    setCreated(o.id);
    reload();
  });
  const publish = useAction(async (id: string) => {
    await api(`/grant-opportunities/${id}/publish`, { method: 'POST' });
    reload();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void create.run();
  }
  return (
    <>
      <h1>Manage funding opportunities</h1>
      <ProblemAlert error={error ?? publish.error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <ScrollTable captionId="manage-caption">
          <table className="usa-table usa-table--borderless" data-testid="managed-opportunities">
            <caption id="manage-caption">Your agency’s opportunities</caption>
            <thead>
              <tr>
                <th scope="col">Opportunity</th>
                <th scope="col">Status</th>
                <th scope="col">Closes</th>
                <th scope="col">Submitted</th>
                <th scope="col">Awarded / available</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/grants/manage/${o.id}`}>
                      {o.number}: {o.title}
                    </Link>
                  </th>
                  <td>{o.status}</td>
                  <td>{o.closesAt.display}</td>
                  <td>{o.applicationsSubmitted}</td>
                  <td>
                    {usd(o.awardedUsd)} / {usd(o.availableUsd)}
                  </td>
                  <td>
                    {o.status === 'draft' ? (
                      <button className="usa-button usa-button--unstyled" type="button" onClick={() => void publish.run(o.id)}>
                        Publish {o.number}
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
      <form className="usa-form maxw-tablet" onSubmit={onSubmit} aria-labelledby="new-opp-h">
        <h2 id="new-opp-h">Draft a new opportunity</h2>
        {created ? (
          <Notice type="success" slim role="status">
            <p className="margin-0">Draft created. Publish it from the table above.</p>
          </Notice>
        ) : null}
        <ProblemAlert error={create.error} />
        <TextField id="opp-number" label="Number" hint="Upper-case letters, digits and hyphens, e.g. CISA-AIVD-2027-01" required value={f.number} onChange={set('number')} maxLength={40} />
        <TextField id="opp-title" label="Title" required value={f.title} onChange={set('title')} maxLength={300} />
        <TextField id="opp-program" label="Program" required value={f.program} onChange={set('program')} maxLength={200} />
        <TextAreaField id="opp-summary" label="Summary" required value={f.summary} onChange={set('summary')} maxLength={8000} />
        <TextField id="opp-floor" label="Award floor (USD)" type="number" required value={f.floorUsd} onChange={set('floorUsd')} />
        <TextField id="opp-ceiling" label="Award ceiling (USD)" type="number" required value={f.ceilingUsd} onChange={set('ceilingUsd')} />
        <TextField id="opp-total" label="Total funding (USD)" type="number" required value={f.totalFundingUsd} onChange={set('totalFundingUsd')} />
        <TextField id="opp-awards" label="Number of awards" type="number" required value={f.expectedAwards} onChange={set('expectedAwards')} />
        <TextField id="opp-max-employees" label="Largest eligible organisation (employees)" hint="Leave empty for no size rule." type="number" value={f.maxEmployees} onChange={set('maxEmployees')} />
        <TextField id="opp-opens" label="Opens (local time)" type="datetime-local" required value={f.opensAtLocal} onChange={set('opensAtLocal')} />
        <TextField id="opp-closes" label="Closes (local time)" type="datetime-local" required value={f.closesAtLocal} onChange={set('closesAtLocal')} />
        <SelectField id="opp-zone" label="Time zone of these dates" value={f.timeZone} onChange={set('timeZone')}>
          {['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'UTC'].map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
        <TextField id="opp-years" label="Budget years" type="number" min={1} max={5} required value={f.budgetYears} onChange={set('budgetYears')} />
        <TextAreaField id="opp-sections" label="Required sections" hint="One per line: key | title" value={f.sections} onChange={set('sections')} />
        <TextAreaField id="opp-rubric" label="Scoring rubric" hint="One criterion per line: key | title | weight | description" value={f.rubric} onChange={set('rubric')} />
        <button className="usa-button" type="submit" disabled={create.pending}>
          Save draft opportunity
        </button>
      </form>
    </>
  );
}

export function ManageOpportunity() {
  const { id = '' } = useParams();
  const { data: o, error } = useResource<OfficerOpportunity>(`/grant-opportunities/${id}`);
  const { data: ranking, error: rError } = useResource<Ranking>(`/grant-opportunities/${id}/ranking`);
  usePageTitle(o ? `${o.number}: review and awards` : 'Opportunity');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  return (
    <>
      <ProblemAlert error={error ?? rError} />
      {!o ? <Loading /> : null}
      {o ? (
        <>
          <h1>
            {o.number}: {o.title}
          </h1>
          <dl className="fw-summary">
            <dt>Status</dt>
            <dd>
              {o.status} ({o.phase})
            </dd>
            <dt>Closes</dt>
            <dd>
              {o.closesAt.display} ({o.closesAt.at})
            </dd>
            <dt>Funds</dt>
            <dd data-testid="funds">
              {usd(o.awardedUsd)} awarded of {usd(o.totalFundingUsd)}; {usd(o.availableUsd)} available; {o.awardsMade} of {o.expectedAwards} awards made
            </dd>
          </dl>
        </>
      ) : null}
      {ranking ? (
        <section aria-labelledby="rank-h" className="fw-section">
          <h2 id="rank-h">Applications ranked</h2>
          <p className="usa-hint">{ranking.normalisation}</p>
          <ScrollTable captionId="rank-caption">
            <table className="usa-table usa-table--borderless" data-testid="ranking">
              <caption id="rank-caption">Ranking by normalised score</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Project</th>
                  <th scope="col">Applicant</th>
                  <th scope="col">Status</th>
                  <th scope="col">Eligible</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Reviews (conflicts)</th>
                  <th scope="col">Mean raw</th>
                  <th scope="col">Normalised</th>
                </tr>
              </thead>
              <tbody>
                {ranking.rows.map((r) => (
                  <tr key={r.applicationId}>
                    <td>{r.rank ?? '—'}</td>
                    <th scope="row">
                      <Link className="usa-link" to={`/grants/applications/${r.applicationId}`}>
                        {r.projectTitle}
                      </Link>
                    </th>
                    <td>{r.applicantOrgName}</td>
                    <td>{words(r.status)}</td>
                    <td>{r.eligible === null ? '—' : r.eligible ? 'yes' : 'no'}</td>
                    <td>{usd(r.budgetTotalUsd)}</td>
                    <td>
                      {r.reviews} ({r.conflicts})
                    </td>
                    <td>{r.meanRaw ?? '—'}</td>
                    <td>{r.normalised ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </section>
      ) : null}
    </>
  );
}

/** On an application page, for the awarding agency's program officer. */
export function OfficerActions({ app, onChange }: { app: Application; onChange: () => void }) {
  const { data: reviewers, reload } = useResource<{ items: Assignment[] }>(`/grant-applications/${app.id}/reviewers`);
  const [email, setEmail] = useState('');
  const [decision, setDecision] = useState('award');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const assign = useAction(async () => {
    await api(`/grant-applications/${app.id}/reviewers`, { method: 'POST', body: { reviewerEmail: email.trim() } });
    setEmail('');
    reload();
    onChange();
  });
  const decide = useAction(async () => {
    await api(`/grant-applications/${app.id}/decision`, { method: 'POST', body: { decision, reason: reason.trim(), ...(decision === 'award' ? { amountUsd: Number(amount) } : {}) } });
    onChange();
  });
  const open = app.status === 'submitted' || app.status === 'under_review';
  return (
    <section aria-labelledby="officer-h" className="fw-section">
      <h2 id="officer-h">Review and decision</h2>
      {reviewers && reviewers.items.length ? (
        <ScrollTable captionId="reviewers-caption">
          <table className="usa-table usa-table--borderless" data-testid="reviewers">
            <caption id="reviewers-caption">Reviewers</caption>
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">Status</th>
                <th scope="col">Raw score</th>
                <th scope="col">Conflict</th>
              </tr>
            </thead>
            <tbody>
              {reviewers.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.reviewerEmail}</th>
                  <td>{r.status}</td>
                  <td>{r.rawScore === null ? '—' : r.rawScore.toFixed(1)}</td>
                  <td>{r.conflictNote ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>No reviewers assigned yet.</p>
      )}
      {open ? (
        <>
          <form
            className="usa-form"
            onSubmit={(e) => {
              e.preventDefault();
              void assign.run();
            }}
          >
            <ProblemAlert error={assign.error} />
            <TextField id="reviewer-email" label="Assign a reviewer (email)" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
            <button className="usa-button usa-button--outline" type="submit" disabled={assign.pending}>
              Assign reviewer
            </button>
          </form>
          {app.status === 'under_review' ? (
            <form
              className="usa-form"
              onSubmit={(e) => {
                e.preventDefault();
                void decide.run();
              }}
            >
              <ProblemAlert error={decide.error} />
              <SelectField id="decision" label="Decision" value={decision} onChange={(e) => setDecision(e.target.value)}>
                <option value="award">Award</option>
                <option value="decline">Decline</option>
              </SelectField>
              {decision === 'award' ? <TextField id="award-amount" label="Award amount (USD)" type="number" required value={amount} onChange={(e) => setAmount(e.target.value)} /> : null}
              <TextAreaField id="decision-reason" label="Reasons" required value={reason} onChange={(e) => setReason(e.target.value)} maxLength={4000} />
              <button className="usa-button" type="submit" disabled={decide.pending}>
                Record decision
              </button>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
