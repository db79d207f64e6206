// Jobs: background jobs that failed permanently (dead letters).
import { Loading } from '../components/Loading.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import type { DeadJob, Items } from '../types.ts';

function json(value: unknown): string {
  if (value === null || value === undefined) return '—';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export function Jobs() {
  usePageTitle('Jobs');
  const jobs = useResource<Items<DeadJob>>('/admin/jobs/dead');
  const items = jobs.data?.items ?? [];

  return (
    <>
      <h1>Dead-lettered jobs</h1>
      <p className="usa-intro">Background jobs that failed after all their retries. Investigate each one; the data and last output are below.</p>
      <div className="usa-button-group margin-bottom-2">
        <button className="usa-button usa-button--outline" type="button" onClick={jobs.reload} disabled={jobs.loading}>
          Refresh
        </button>
      </div>
      <ProblemAlert error={jobs.error} />
      {jobs.loading && !jobs.data ? (
        <Loading label="Loading jobs…" />
      ) : items.length === 0 ? (
        <p data-testid="no-dead-jobs">No jobs have been dead-lettered.</p>
      ) : (
        <ScrollTable captionId="jobs-caption">
          <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="jobs-table">
            <caption id="jobs-caption">{items.length} dead-lettered jobs</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Retries</th>
                <th scope="col">Created</th>
                <th scope="col">Completed</th>
                <th scope="col">Data and output</th>
              </tr>
            </thead>
            <tbody>
              {items.map((j) => (
                <tr key={j.id}>
                  <th scope="row">
                    {j.name}
                    <span className="display-block fw-mono fw-record-id">{j.id}</span>
                  </th>
                  <td>{j.state}</td>
                  <td>{j.retryCount ?? '—'}</td>
                  <td>{formatDateTime(j.createdOn)}</td>
                  <td>{formatDateTime(j.completedOn)}</td>
                  <td>
                    <details>
                      <summary>
                        Show<span className="usa-sr-only"> data and output of job {j.id}</span>
                      </summary>
                      <p className="text-bold margin-bottom-05">Data</p>
                      <pre className="fw-pre">{json(j.data)}</pre>
                      <p className="text-bold margin-bottom-05">Output</p>
                      <pre className="fw-pre">{json(j.output)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
