// Audit trail: filter, page through (cursor), export, verify the hash chain.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, apiUrl } from '../api.ts';
import { AuditFilterForm, auditQuery, EMPTY_FILTERS } from '../components/AuditFilterForm.tsx';
import type { AuditFilters } from '../components/AuditFilterForm.tsx';
import { Loading } from '../components/Loading.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { markingText, useReportClassification } from '../classification.tsx';
import { formatDateTime } from '../format.ts';
import { useAction, usePageTitle } from '../hooks.ts';
import { useMe } from '../session.tsx';
import type { AuditEvent, Page, VerifyResult } from '../types.ts';

export const AUDIT_PAGE_SIZE = 50;

/** UUIDs are shortened in the table (the export has them in full). */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
}

export function AuditTrail() {
  usePageTitle('Audit trail');
  const me = useMe();
  const canVerify = me.abilities.includes('audit:verify');
  const canExport = me.abilities.includes('audit:export');
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_FILTERS);
  const [rows, setRows] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [verify, setVerify] = useState<VerifyResult>();

  useReportClassification(rows.map((r) => r.marking));

  const load = useCallback(async (f: AuditFilters, after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api<Page<AuditEvent>>('/audit/events', {
        query: { ...auditQuery(f), limit: AUDIT_PAGE_SIZE, cursor: after ?? undefined },
        signal,
      });
      setRows((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      if (signal?.aborted) return;
      setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 0 }));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(filters, null, controller.signal);
    return () => controller.abort();
  }, [filters, load]);

  const verifyAction = useAction(async () => {
    setVerify(undefined);
    setVerify(await api<VerifyResult>('/audit/verify', { method: 'POST' }));
  });

  const exportQuery = auditQuery(filters);

  return (
    <>
      <h1>Audit trail</h1>
      <p className="usa-intro">
        Every change, and every access to model, benchmark and finding data, is recorded in a tamper-evident hash chain.
      </p>

      {canVerify ? (
        <section aria-labelledby="verify-heading" className="fw-section">
          <h2 id="verify-heading">Chain integrity</h2>
          <button className="usa-button" type="button" onClick={() => void verifyAction.run()} disabled={verifyAction.pending}>
            {verifyAction.pending ? 'Verifying…' : 'Verify chain'}
          </button>
          <ProblemAlert error={verifyAction.error} />
          <div aria-live="polite" data-testid="verify-result">
            {verify ? (
              verify.ok ? (
                <Notice type="success" slim>
                  <p className="margin-0">
                    The audit chain is intact: {verify.checked.toLocaleString('en-US')} events checked.
                  </p>
                </Notice>
              ) : (
                <Notice type="error" slim>
                  <p className="margin-0">
                    The audit chain is broken
                    {verify.firstBroken ? ` at event ${verify.firstBroken.seq}: ${verify.firstBroken.reason}` : ''}.{' '}
                    {verify.checked.toLocaleString('en-US')} events checked.
                  </p>
                </Notice>
              )
            ) : null}
          </div>
        </section>
      ) : null}

      <div className="fw-section">
        <AuditFilterForm initial={filters} onApply={setFilters} />
      </div>

      <section aria-labelledby="events-heading" className="fw-section">
        <h2 id="events-heading">Events</h2>
        {canExport ? (
          <ul className="usa-list usa-list--unstyled fw-export-links">
            <li>
              <a className="usa-link" href={apiUrl('/audit/export', { ...exportQuery, format: 'csv' })} download>
                Export CSV<span className="usa-sr-only"> of events matching the filters</span>
              </a>
            </li>
            <li>
              <a className="usa-link" href={apiUrl('/audit/export', { ...exportQuery, format: 'json' })} download>
                Export JSON<span className="usa-sr-only"> of events matching the filters</span>
              </a>
            </li>
          </ul>
        ) : null}
        <ProblemAlert error={error} />
        {rows.length === 0 && !loading ? <p data-testid="no-events">No events match these filters.</p> : null}
        {rows.length > 0 ? (
          <ScrollTable captionId="events-caption">
            <table className="usa-table usa-table--borderless usa-table--striped usa-table--compact width-full" data-testid="audit-table">
              <caption id="events-caption">
                {rows.length} {rows.length === 1 ? 'event' : 'events'} shown{cursor ? '; more are available' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Action</th>
                  <th scope="col">Record</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Marking</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id} data-seq={e.seq}>
                    <td className="fw-nowrap">{formatDateTime(e.at)}</td>
                    <td>{e.actorEmail ?? 'System'}</td>
                    <td>{e.actorOrgName ?? '—'}</td>
                    <td className="fw-mono">{e.action}</td>
                    <td>
                      {e.recordType ?? '—'}
                      {e.recordId ? (
                        <span className="fw-mono fw-record-id" title={e.recordId}>
                          {' '}
                          {shortId(e.recordId)}
                        </span>
                      ) : null}
                    </td>
                    <td>{e.outcome}</td>
                    <td className="fw-mono">{e.ip ?? '—'}</td>
                    <td className="fw-nowrap">{markingText(e.marking)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : null}
        {loading ? <Loading label="Loading events…" /> : null}
        {cursor && !loading ? (
          <button className="usa-button usa-button--outline margin-top-2" type="button" onClick={() => void load(filters, cursor)}>
            Load more events
          </button>
        ) : null}
      </section>
    </>
  );
}
