// Review windows: those shared with the reader's agency (and, for a developer, its own).
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { closeReasonText, type ReviewWindow } from './types.ts';

function daysLeft(iso: string): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000));
}

export function WindowList() {
  usePageTitle('Review windows');
  const me = useMe();
  const { data, error, loading } = useResource<{ items: ReviewWindow[] }>('/windows');
  const items = data?.items ?? [];
  useReportClassification(data ? (items.length ? items.map((w) => w.marking) : { classification: 'UNCLASSIFIED' }) : null);
  const developer = me.abilities.includes('windows:manage');
  return (
    <>
      <h1>Review windows</h1>
      <p className="usa-intro">
        {developer
          ? 'The review windows your organisation has opened. Each one is yours to revoke, shorten or end at any time.'
          : 'Models that developers have voluntarily shared with your agency for review, and until when.'}
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="no-windows">No review windows {developer ? 'yet' : 'are shared with your agency now'}.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="windows-caption">
          <table className="usa-table usa-table--borderless" data-testid="windows">
            <caption id="windows-caption">Review windows</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Developer</th>
                <th scope="col">Status</th>
                <th scope="col">Closes</th>
                <th scope="col">Days left</th>
                <th scope="col">Planned release</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/models/${w.modelId}/window`}>
                      {w.modelName} {w.modelVersion}
                    </Link>
                  </th>
                  <td>{w.developerOrgName}</td>
                  <td>
                    {w.status}
                    {w.closeReason ? ` (${closeReasonText(w.closeReason)})` : ''}
                  </td>
                  <td>{formatDateTime(w.closesAt)}</td>
                  <td>{w.status === 'open' ? daysLeft(w.closesAt) : '—'}</td>
                  <td>{formatDateTime(w.plannedReleaseAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
