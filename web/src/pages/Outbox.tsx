// Mail outbox (platform administrators): queued and sent email, body viewable.
import { useState } from 'react';
import { Loading } from '../components/Loading.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import type { Outbox as OutboxList } from '../types.ts';
import { Notice } from '../components/Notice.tsx';

export function Outbox() {
  usePageTitle('Mail outbox');
  const mails = useResource<OutboxList>('/admin/outbox');
  const [openId, setOpenId] = useState<string>();
  const items = mails.data?.items ?? [];
  const open = items.find((m) => m.id === openId);

  return (
    <>
      <h1>Mail outbox</h1>
      <p className="usa-intro">Email Forewarn has queued or sent: invitations, notifications and alerts.</p>
      <div className="usa-button-group margin-bottom-2">
        <button className="usa-button usa-button--outline" type="button" onClick={mails.reload} disabled={mails.loading}>
          Refresh
        </button>
      </div>
      <ProblemAlert error={mails.error} />
      {mails.data?.smtpConfigured === false ? (
        <Notice type="info" slim>
          <p className="margin-0">No SMTP server is configured, so mail is held here and not delivered.</p>
        </Notice>
      ) : null}
      {mails.loading && !mails.data ? (
        <Loading label="Loading mail…" />
      ) : items.length === 0 ? (
        <p>The outbox is empty.</p>
      ) : (
        <ScrollTable captionId="outbox-caption">
          <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="outbox-table">
            <caption id="outbox-caption">{items.length === 1 ? '1 message' : `${items.length} messages`}</caption>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Sent</th>
                <th scope="col">
                  <span className="usa-sr-only">Message body</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td>{m.to}</td>
                  <th scope="row">{m.subject}</th>
                  <td>{m.status}</td>
                  <td>{formatDateTime(m.createdAt)}</td>
                  <td>{m.sentAt ? formatDateTime(m.sentAt) : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="usa-button usa-button--unstyled"
                      aria-expanded={openId === m.id}
                      aria-controls="mail-body"
                      onClick={() => setOpenId(openId === m.id ? undefined : m.id)}
                    >
                      {openId === m.id ? 'Hide' : 'View'}
                      <span className="usa-sr-only"> message to {m.to}: {m.subject}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <div id="mail-body" aria-live="polite">
        {open ? (
          <section aria-labelledby="mail-body-heading" className="fw-panel" data-testid="mail-body">
            <h2 id="mail-body-heading">{open.subject}</h2>
            <p>
              To {open.to} · {open.status} · created {formatDateTime(open.createdAt)}
            </p>
            <pre className="fw-pre">{open.body}</pre>
          </section>
        ) : null}
      </div>
    </>
  );
}
