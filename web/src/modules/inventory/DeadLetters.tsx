// Failed notification deliveries: webhook notices that ran out of retries ("dead letters"), and
// sending one again. Coordinators see advisory notices, operators their own, administrators all.
import { useState } from 'react';
import { api } from '../../api.ts';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import type { Delivery } from './types.ts';

interface DeadLetter extends Delivery {
  orgId: string;
  orgName: string;
  advisoryIds: string[];
  redeliveries: number;
}

function failure(d: DeadLetter): string {
  const code = d.lastStatusCode === null ? '' : `HTTP ${d.lastStatusCode}`;
  return [code, d.lastError ?? ''].filter(Boolean).join(': ') || 'No answer recorded';
}

export function DeadLetters() {
  usePageTitle('Failed deliveries');
  const { data, error, loading, reload } = useResource<{ items: DeadLetter[] }>('/notifications/dead-letters', { limit: 200 });
  const [sent, setSent] = useState<string>();
  const redeliver = useAction(async (d: DeadLetter) => {
    await api(`/notifications/dead-letters/${encodeURIComponent(d.id)}/redeliver`, { method: 'POST' });
    setSent(`The ${d.event} notice to ${d.orgName} (${d.address}) is queued to be sent again.`);
    reload();
  });

  return (
    <>
      <h1>Failed deliveries</h1>
      <p className="usa-intro">
        Notices that could not be delivered after every retry. Once the receiving end is fixed, send one again: the same notice goes out,
        signed afresh, with a new retry schedule.
      </p>
      {sent ? (
        <Notice type="success" slim role="status" testId="redeliver-result">
          {sent}
        </Notice>
      ) : null}
      <ProblemAlert error={error ?? redeliver.error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p data-testid="dead-letters-empty">No failed deliveries: every notice arrived or is still being tried.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="dead-letters-caption">
          <table className="usa-table usa-table--borderless" data-testid="dead-letters">
            <caption id="dead-letters-caption">Failed deliveries ({data.items.length})</caption>
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col">Notice</th>
                <th scope="col">Sent to</th>
                <th scope="col">Last failure</th>
                <th scope="col">Gave up</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id} data-delivery-id={d.id}>
                  <th scope="row">{d.orgName}</th>
                  <td>
                    {d.event}
                    {d.advisoryIds.length > 0 ? <div>{d.advisoryIds.length === 1 ? '1 advisory' : `${d.advisoryIds.length} advisories`}</div> : null}
                  </td>
                  <td className="fw-mono fw-break">{d.address}</td>
                  <td className="fw-break">
                    {failure(d)}
                    <div>
                      {d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`}
                      {d.redeliveries > 0 ? `, sent again ${d.redeliveries}×` : ''}
                    </div>
                  </td>
                  <td className="fw-break">{d.deadAt ? formatDateTime(d.deadAt) : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="usa-button usa-button--outline margin-0"
                      disabled={redeliver.pending}
                      onClick={() => void redeliver.run(d)}
                      aria-label={`Send again: ${d.event} to ${d.orgName}, ${d.address}`}
                    >
                      Send again
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
