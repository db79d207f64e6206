// For clearinghouse coordinators: advisories indexed for matching, and for one, who it affects, their
// remediation state and the delivery of their notices.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { words, type AdvisorySummary, type Delivery, type RemediationState } from './types.ts';

interface Affected {
  advisory: AdvisorySummary;
  organisations: { orgId: string; orgName: string; sector: string | null; assets: number; components: number; unknown: number; firstMatchedAt: string }[];
  totals: { organisations: number; components: number; cleared: number };
}
interface Deliveries {
  advisoryId: string;
  operators: { orgId: string; orgName: string; sector: string | null; remediationId: string; state: RemediationState; dueAt: string; deliveries: Delivery[] }[];
  totals: Record<string, number>;
}

export function AffectedAdvisories() {
  usePageTitle('Affected operators');
  useReportClassification({ classification: 'CUI' });
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const { data, error, loading } = useResource<{ items: (AdvisorySummary & { packages: number; openMatches: number })[]; total: number }>('/matching/advisories', { q: query || undefined, limit: 100 });
  return (
    <>
      <h1>Affected operators</h1>
      <p className="usa-intro">Advisories matched against operators’ inventories: who each affects, and whether its notices arrived.</p>
      <form
        className="usa-search usa-search--small margin-bottom-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <TextField id="advisory-q" type="search" label="Find an advisory (identifier or title)" maxLength={200} value={q} onChange={(e) => setQ(e.target.value)} />
        <button className="usa-button" type="submit">
          Search
        </button>
      </form>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No advisory found.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="aa-caption">
          <table className="usa-table usa-table--borderless" data-testid="matching-advisories">
            <caption id="aa-caption">Advisories ({data.total})</caption>
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Source</th>
                <th scope="col">TLP</th>
                <th scope="col">Severity</th>
                <th scope="col">Open matches</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/affected-operators/${a.id}`}>{a.externalId}</Link>
                    <span className="display-block text-normal">{a.title}</span>
                  </th>
                  <td>{a.source === 'osv' ? 'OSV import' : 'clearinghouse'}</td>
                  <td>TLP:{a.tlp}</td>
                  <td>{a.severity ?? '—'}</td>
                  <td>{a.openMatches}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

export function AffectedAdvisory() {
  const { id = '' } = useParams();
  const affected = useResource<Affected>(`/matching/advisories/${id}/affected`);
  const deliveries = useResource<Deliveries>(`/remediation/advisories/${id}/deliveries`);
  const a = affected.data?.advisory;
  usePageTitle(a ? `Affected by ${a.externalId}` : 'Affected operators');
  useReportClassification({ classification: 'CUI' });
  const byOrg = new Map((deliveries.data?.operators ?? []).map((o) => [o.orgId, o]));
  return (
    <>
      <p>
        <Link to="/affected-operators">Affected operators</Link>
      </p>
      <h1>{a ? `Affected by ${a.externalId}` : 'Affected operators'}</h1>
      <ProblemAlert error={affected.error ?? deliveries.error} />
      {affected.loading && !affected.data ? <Loading /> : null}
      {affected.data ? (
        <>
          <p>
            {affected.data.advisory.title}. {affected.data.totals.organisations} organisations, {affected.data.totals.components} components; {affected.data.totals.cleared} matches cleared since.
          </p>
          <ScrollTable captionId="ao-caption">
            <table className="usa-table usa-table--borderless" data-testid="affected-operators">
              <caption id="ao-caption">Operators affected now, their remediation and notices</caption>
              <thead>
                <tr>
                  <th scope="col">Operator</th>
                  <th scope="col">Sector</th>
                  <th scope="col">Components</th>
                  <th scope="col">First matched</th>
                  <th scope="col">Remediation</th>
                  <th scope="col">Notices</th>
                </tr>
              </thead>
              <tbody>
                {affected.data.organisations.map((o) => {
                  const d = byOrg.get(o.orgId);
                  return (
                    <tr key={o.orgId}>
                      <th scope="row">{o.orgName}</th>
                      <td>{words(o.sector)}</td>
                      <td>
                        {o.components} in {o.assets} assets{o.unknown ? ` (${o.unknown} to check by hand)` : ''}
                      </td>
                      <td>{formatDateTime(o.firstMatchedAt)}</td>
                      <td>{d ? words(d.state) : '—'}</td>
                      <td>
                        {d && d.deliveries.length > 0
                          ? d.deliveries.map((x) => (
                              <span key={x.id} className="display-block">
                                {x.channelKind} {x.address}: {x.status}
                                {x.lastStatusCode ? ` (HTTP ${x.lastStatusCode})` : ''}
                              </span>
                            ))
                          : 'none yet'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}
