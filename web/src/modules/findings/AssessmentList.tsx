// The open review windows the reader's organisation is on, with their assessment plans at a glance.
import { Link } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { WORKSTREAM_STATUSES, type BoardSummary } from './types.ts';

export function AssessmentList() {
  usePageTitle('Assessment boards');
  const { data, error, loading } = useResource<{ items: BoardSummary[] }>('/assessments');
  const items = data?.items ?? [];
  useReportClassification(data ? { classification: items.length ? 'CUI' : 'UNCLASSIFIED' } : null);
  return (
    <>
      <h1>Assessment boards</h1>
      <p className="usa-intro">Coordinated assessments of the open review windows your organisation is on. Each board shows the workstreams you are cleared to see.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="no-boards">Your organisation is on no open review window.</p> : null}
      {items.length ? (
        <ScrollTable captionId="boards-caption">
          <table className="usa-table usa-table--borderless" data-testid="boards">
            <caption id="boards-caption">Open review windows and their workstreams</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Developer</th>
                <th scope="col">Window closes</th>
                {WORKSTREAM_STATUSES.map(([s, label]) => (
                  <th scope="col" key={s}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.window.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/assessments/${b.window.id}`}>
                      {b.window.modelName} {b.window.modelVersion}
                    </Link>
                  </th>
                  <td>{b.window.developerOrgName}</td>
                  <td>{formatDateTime(b.window.closesAt)}</td>
                  {WORKSTREAM_STATUSES.map(([s]) => (
                    <td key={s}>{b.byStatus[s] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
