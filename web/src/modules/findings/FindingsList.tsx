// Findings the reader may see: a reviewer's organisation's (and those shared with it), or, for a
// developer, the findings reviewers shared with it.
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { FINDING_KIND_LABELS, STATUS_LABELS, type FindingSummary } from './types.ts';

export function FindingsList() {
  const me = useMe();
  const reviewer = me.abilities.includes('findings:file');
  const title = reviewer ? 'Findings' : 'Findings shared with you';
  usePageTitle(title);
  const { data, error, loading } = useResource<{ items: FindingSummary[] }>('/findings');
  const items = data?.items ?? [];
  useReportClassification(data ? (items.length ? items.map((f) => f.marking) : { classification: 'UNCLASSIFIED' }) : null);
  return (
    <>
      <h1>{title}</h1>
      <p className="usa-intro">
        {reviewer
          ? 'Findings your organisation filed against models under review, and those other reviewers shared with it. Findings inform the developer; they never hold a release back.'
          : 'What reviewers found in your models and shared with you. Accept, dispute or report a mitigation; the decision to release stays yours.'}
      </p>
      {reviewer ? (
        <p>
          <Link className="usa-button" to="/findings/new">
            File a finding
          </Link>
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="no-findings">No findings yet.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="findings-caption">
          <table className="usa-table usa-table--borderless" data-testid="findings">
            <caption id="findings-caption">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Finding</th>
                <th scope="col">Model</th>
                <th scope="col">Kind</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col">Filed by</th>
                <th scope="col">Marking</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/findings/${f.id}`}>
                      {f.title}
                    </Link>
                    {f.duplicate ? <span className="usa-tag margin-left-1">Possible duplicate</span> : null}
                  </th>
                  <td>
                    {f.modelName} {f.modelVersion}
                  </td>
                  <td>{FINDING_KIND_LABELS[f.kind] ?? f.kind}</td>
                  <td>
                    {f.rating}
                    {f.cvssScore !== null ? ` (${f.cvssScore})` : ''}
                  </td>
                  <td>{STATUS_LABELS[f.status] ?? f.status}</td>
                  <td>{formatDate(f.dueAt)}</td>
                  <td>{f.filerOrgName}</td>
                  <td>{f.markingText}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
