// The framework policy: the longest review window and the compute trigger, versioned.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api.ts';
import { fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import type { Policy } from './types.ts';

export function PolicyPage() {
  usePageTitle('Policy');
  const { data, error, loading, reload } = useResource<Policy>('/policy');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [days, setDays] = useState('');
  const [flop, setFlop] = useState('');
  const [reason, setReason] = useState('');
  const [saved, setSaved] = useState<number>();
  const save = useAction(async () => {
    const p = await api<Policy>('/policy', {
      method: 'POST',
      body: { maxWindowDays: Number(days || data?.current.maxWindowDays), computeTriggerFlop: Number(flop || data?.current.computeTriggerFlop), reason: reason.trim() },
    });
    setSaved(p.current.version);
    setDays('');
    setFlop('');
    setReason('');
    reload();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(undefined);
    void save.run();
  }
  return (
    <>
      <h1>Framework policy</h1>
      <p className="usa-intro">
        The longest review window a developer may open and the training-compute trigger for determinations. Each change is a new version with a reason and an audit
        event; windows already open keep the version they were opened under.
      </p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary" data-testid="current-policy">
            <dt>Version</dt>
            <dd>{data.current.version}</dd>
            <dt>Longest review window</dt>
            <dd data-testid="current-max-days">{data.current.maxWindowDays} days</dd>
            <dt>Compute trigger</dt>
            <dd>{data.current.computeTriggerFlop.toExponential()} FLOP</dd>
          </dl>
          <section aria-labelledby="change-heading" className="fw-section">
            <h2 id="change-heading">Record a new version</h2>
            {saved ? (
              <Notice type="success" slim role="status">
                <p className="margin-0">Version {saved} is now in force.</p>
              </Notice>
            ) : null}
            <ProblemAlert error={save.error} />
            <form className="usa-form" onSubmit={onSubmit} aria-labelledby="change-heading">
              <TextField
                id="policy-days"
                type="number"
                min={1}
                max={365}
                label="Longest review window (days)"
                hint={`1 to 365. Now ${data.current.maxWindowDays}; the earlier draft order said 90.`}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                error={fieldError(save.error, 'maxWindowDays')}
              />
              <TextField
                id="policy-flop"
                label="Compute trigger (FLOP)"
                hint={`For example 1e26. Now ${data.current.computeTriggerFlop.toExponential()}.`}
                value={flop}
                onChange={(e) => setFlop(e.target.value)}
                error={fieldError(save.error, 'computeTriggerFlop')}
              />
              <TextField id="policy-reason" label="Reason" required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(save.error, 'reason')} />
              <button className="usa-button margin-top-2" type="submit" disabled={save.pending}>
                Save new version
              </button>
            </form>
          </section>
          <section aria-labelledby="history-heading" className="fw-section">
            <h2 id="history-heading">History</h2>
            <ScrollTable captionId="history-caption">
              <table className="usa-table usa-table--borderless">
                <caption id="history-caption">Every policy version, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Longest window</th>
                    <th scope="col">Compute trigger</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Recorded</th>
                  </tr>
                </thead>
                <tbody>
                  {data.history.map((p) => (
                    <tr key={p.version}>
                      <td>{p.version}</td>
                      <td>{p.maxWindowDays} days</td>
                      <td>{p.computeTriggerFlop.toExponential()} FLOP</td>
                      <td>{p.reason}</td>
                      <td>{formatDateTime(p.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
        </>
      ) : null}
    </>
  );
}
