// Funding opportunities: the public list and one opportunity's full announcement.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useSession } from '../../session.tsx';
import { usd, words, type Application, type Opportunity } from './types.ts';

export function OpportunityList() {
  usePageTitle('Funding opportunities');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading } = useResource<{ items: Opportunity[] }>('/public/grant-opportunities');
  return (
    <>
      <h1>Funding opportunities</h1>
      <p className="usa-intro">Grants for AI vulnerability-detection tools. These announcements are public: anyone can read them at <code>/api/v1/public/grant-opportunities</code>.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No funding opportunities are published.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="opps-caption">
          <table className="usa-table usa-table--borderless" data-testid="opportunities">
            <caption id="opps-caption">Published funding opportunities</caption>
            <thead>
              <tr>
                <th scope="col">Opportunity</th>
                <th scope="col">Agency</th>
                <th scope="col">Award range</th>
                <th scope="col">Closes</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/funding/${o.id}`}>
                      {o.number}: {o.title}
                    </Link>
                  </th>
                  <td>{o.agencyName}</td>
                  <td>
                    {usd(o.floorUsd)} – {usd(o.ceilingUsd)}
                  </td>
                  <td>{o.closesAt.display}</td>
                  <td>{o.phase}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function OpportunityPage() {
  const { id = '' } = useParams();
  // Public page: works signed out too, where there are no abilities.
  const abilities = useSession().me?.abilities ?? [];
  const navigate = useNavigate();
  const { data: o, error, loading } = useResource<Opportunity>(`/public/grant-opportunities/${id}`);
  usePageTitle(o ? o.title : 'Funding opportunity');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [projectTitle, setProjectTitle] = useState('');
  const start = useAction(async () => {
    const a = await api<Application>('/grant-applications', { method: 'POST', body: { opportunityId: id, projectTitle: projectTitle.trim() } });
    navigate(`/grants/applications/${a.id}`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void start.run();
  }
  return (
    <>
      <ProblemAlert error={error} />
      {loading && !o ? <Loading /> : null}
      {o ? (
        <>
          <h1>{o.title}</h1>
          <p className="usa-intro">{o.summary}</p>
          <dl className="fw-summary">
            <dt>Number</dt>
            <dd>{o.number}</dd>
            <dt>Agency and program</dt>
            <dd>
              {o.agencyName}, {o.program}
            </dd>
            <dt>Opens</dt>
            <dd>
              {o.opensAt.display} <span className="text-base">({o.opensAt.at})</span>
            </dd>
            <dt>Closes</dt>
            <dd data-testid="closes">
              {o.closesAt.display} <span className="text-base">({o.closesAt.at})</span>
            </dd>
            <dt>Funding</dt>
            <dd>
              {usd(o.totalFundingUsd)} in total, about {o.expectedAwards} award(s) of {usd(o.floorUsd)} to {usd(o.ceilingUsd)}
            </dd>
            <dt>Status</dt>
            <dd>{o.phase}</dd>
          </dl>
          <section aria-labelledby="elig-h" className="fw-section">
            <h2 id="elig-h">Eligibility</h2>
            <ul>
              {o.eligibility.orgKinds.length ? <li>Organisations of kind: {o.eligibility.orgKinds.map(words).join(', ')}</li> : null}
              {o.eligibility.minEmployees !== null ? <li>At least {o.eligibility.minEmployees} employees</li> : null}
              {o.eligibility.maxEmployees !== null ? <li>At most {o.eligibility.maxEmployees} employees</li> : null}
              {o.eligibility.requiredAttestations.map((a) => (
                <li key={a.key}>Attest: {a.text}</li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="sections-h" className="fw-section">
            <h2 id="sections-h">Required sections</h2>
            <ul>
              {o.requiredSections.map((s) => (
                <li key={s.key}>
                  <strong>{s.title}</strong> {s.guidance ? `: ${s.guidance}` : ''} (up to {s.maxChars.toLocaleString()} characters)
                </li>
              ))}
            </ul>
            <p>A budget table for {o.budgetYears} year(s) is required.</p>
          </section>
          <section aria-labelledby="rubric-h" className="fw-section">
            <h2 id="rubric-h">How applications are scored</h2>
            <ScrollTable captionId="rubric-caption">
              <table className="usa-table usa-table--borderless">
                <caption id="rubric-caption">Scoring rubric (each criterion 0–{o.scoreMax})</caption>
                <thead>
                  <tr>
                    <th scope="col">Criterion</th>
                    <th scope="col">Weight</th>
                    <th scope="col">What reviewers look for</th>
                  </tr>
                </thead>
                <tbody>
                  {o.rubric.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.title}</th>
                      <td>{c.weight}</td>
                      <td>{c.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
          {abilities.includes('grants:apply') && o.phase === 'open' ? (
            <section aria-labelledby="apply-h" className="fw-section">
              <h2 id="apply-h">Apply</h2>
              <form className="usa-form" onSubmit={onSubmit}>
                <ProblemAlert error={start.error} />
                <TextField id="project-title" label="Project title" required maxLength={300} value={projectTitle} onChange={(e) => setProjectTitle(e.target.value)} />
                <button className="usa-button" type="submit" disabled={start.pending}>
                  Start an application
                </button>
              </form>
            </section>
          ) : null}
          <p>
            <Link className="usa-link" to="/funding">
              All funding opportunities
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}
