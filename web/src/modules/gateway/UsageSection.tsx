// The developer's view of use of its model through the gateway: who, when and how much. Never the
// prompts or responses — the API does not return them to the developer.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { BarChart, type Bar } from './BarChart.tsx';
import { formatCount, statusText, type Usage, type UsageRow } from './types.ts';

const PAGE = 100;

/** Tokens per user over the records loaded, largest first. */
export function tokensByUser(rows: UsageRow[]): Bar[] {
  const by = new Map<string, number>();
  for (const r of rows) {
    const who = r.userEmail ?? r.orgName ?? 'Unknown';
    by.set(who, (by.get(who) ?? 0) + r.promptTokens + r.completionTokens);
  }
  return [...by].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value);
}

/** Requests per day (UTC) over the records loaded, oldest first. */
export function requestsByDay(rows: UsageRow[]): Bar[] {
  const by = new Map<string, number>();
  for (const r of rows) {
    const day = r.at.slice(0, 10);
    by.set(day, (by.get(day) ?? 0) + 1);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([label, value]) => ({ label, value }));
}

export function UsageSection({ modelId, refreshKey }: { modelId: string; refreshKey: number }) {
  const [pages, setPages] = useState<Usage[]>([]);
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api<Usage>(`/models/${modelId}/gateway/usage`, { query: { limit: PAGE }, signal: controller.signal })
      .then((u) => {
        setPages([u]);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 0 }));
        setLoading(false);
      });
    return () => controller.abort();
  }, [modelId, refreshKey, tick]);

  async function older() {
    const before = pages[pages.length - 1]?.nextBefore;
    if (!before) return;
    setLoading(true);
    try {
      const u = await api<Usage>(`/models/${modelId}/gateway/usage`, { query: { limit: PAGE, before } });
      setPages((p) => [...p, u]);
    } catch (err) {
      setError(err instanceof ApiError ? err : undefined);
    } finally {
      setLoading(false);
    }
  }

  const rows = pages.flatMap((p) => p.items);
  const totals = pages[0]?.totals;
  const next = pages[pages.length - 1]?.nextBefore;
  return (
    <section aria-labelledby="usage-heading" className="fw-section" data-testid="usage-section">
      <h2 id="usage-heading">Usage</h2>
      <p>Every request through the gateway is recorded. You see who used your model, when and how much; prompts and responses are not shown to you.</p>
      <button className="usa-button usa-button--outline" type="button" disabled={loading} onClick={() => setTick((t) => t + 1)}>
        Refresh usage
      </button>
      <ProblemAlert error={error} />
      {loading && pages.length === 0 ? <Loading /> : null}
      {totals ? (
        <dl className="fw-summary" data-testid="usage-totals">
          <dt>Requests</dt>
          <dd data-testid="usage-requests">{formatCount(totals.requests)}</dd>
          <dt>Prompt tokens</dt>
          <dd>{formatCount(totals.promptTokens)}</dd>
          <dt>Completion tokens</dt>
          <dd>{formatCount(totals.completionTokens)}</dd>
        </dl>
      ) : null}
      {pages.length > 0 && rows.length === 0 ? <p data-testid="no-usage">Nobody has used this model through the gateway yet.</p> : null}
      {rows.length > 0 ? (
        <>
          <h3>Charts{next ? ` (the latest ${rows.length} requests)` : ''}</h3>
          <BarChart title="Tokens by user" labelHeading="User" valueLabel="Tokens" bars={tokensByUser(rows)} testId="chart-tokens" />
          <BarChart title="Requests by day (UTC)" labelHeading="Day" valueLabel="Requests" bars={requestsByDay(rows)} testId="chart-requests" />
          <h3>Requests</h3>
          <ScrollTable captionId="usage-caption">
            <table className="usa-table usa-table--borderless usa-table--compact" data-testid="usage-table">
              <caption id="usage-caption">Requests, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Call</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="text-right">
                    Latency (ms)
                  </th>
                  <th scope="col" className="text-right">
                    Prompt tokens
                  </th>
                  <th scope="col" className="text-right">
                    Completion tokens
                  </th>
                  <th scope="col">Streamed</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td className="fw-nowrap">{formatDateTime(r.at)}</td>
                    <th scope="row">{r.userEmail ?? 'Unknown'}</th>
                    <td>{r.orgName ?? '—'}</td>
                    <td>{r.endpoint}</td>
                    <td>{statusText(r.status, r.errorCode)}</td>
                    <td className="text-right">{Math.round(r.latencyMs)}</td>
                    <td className="text-right">{formatCount(r.promptTokens)}</td>
                    <td className="text-right">{formatCount(r.completionTokens)}</td>
                    <td>{r.streamed ? 'Yes' : 'No'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          {next ? (
            <button className="usa-button usa-button--outline margin-top-2" type="button" disabled={loading} onClick={() => void older()}>
              Show older requests
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
