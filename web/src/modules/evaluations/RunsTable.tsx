// A list of runs: what ran on which model, its marking, status and progress.
import { Link } from 'react-router-dom';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { percent, runTitle, STATUS_LABEL, type Run } from './types.ts';

export function RunsTable({ runs, caption }: { runs: Run[]; caption: string }) {
  if (runs.length === 0) return <p data-testid="no-runs">No runs yet.</p>;
  const captionId = `runs-caption-${caption.length}`;
  return (
    <ScrollTable captionId={captionId}>
      <table className="usa-table usa-table--borderless" data-testid="runs">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Marking</th>
            <th scope="col">Model</th>
            <th scope="col">Suite</th>
            <th scope="col">Status</th>
            <th scope="col">Done</th>
            <th scope="col">Correct</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run-id={r.id}>
              <th scope="row">
                <Link className="usa-link" to={`/evaluations/runs/${r.id}`}>
                  {runTitle(r)}
                </Link>
              </th>
              <td className="fw-mono">{r.marking.banner}</td>
              <td>{r.modelName ?? '—'}</td>
              <td>
                {r.suiteName} {r.suiteVersion}
              </td>
              <td>{STATUS_LABEL[r.status] ?? r.status}</td>
              <td>
                {r.progress.done} of {r.progress.total}
              </td>
              <td>{r.progress.done > 0 ? percent(r.progress.correct / r.progress.done) : '—'}</td>
              <td>{formatDateTime(r.startedAt ?? r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
