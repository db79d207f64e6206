// One coordination case. Coordinators: vendors and their silence, every statement (shared or not),
// the embargo with its history, the thread with its audiences, close/reopen. A vendor: the embargo,
// its own per-product statements, what was shared with it, and its thread with the coordinators.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { remaining, STATEMENT_LABELS, STATEMENT_STATUSES, VEX_JUSTIFICATIONS, VISIBILITY_LABELS, type CaseView } from './coordination-types.ts';

type Done = (c: CaseView) => void;

function StatementForm({ c, onDone }: { c: CaseView; onDone: Done }) {
  const [product, setProduct] = useState(c.affectedPurls[0] ?? '');
  const [status, setStatus] = useState<string>('under_investigation');
  const [justification, setJustification] = useState('');
  const [fixedVersion, setFixedVersion] = useState('');
  const [remediation, setRemediation] = useState('');
  const act = useAction(async () => {
    const body = {
      product: product.trim(),
      status,
      ...(status === 'not_affected' && justification ? { justification } : {}),
      ...(fixedVersion.trim() && status === 'fixed' ? { fixedVersion: fixedVersion.trim() } : {}),
      ...(remediation.trim() ? { remediation: remediation.trim() } : {}),
    };
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/statements`, { method: 'PUT', body }));
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  const err = (p: string) => fieldError(act.error, p);
  return (
    <section aria-labelledby="statement-heading" className="margin-top-4">
      <h2 id="statement-heading">State a product’s status</h2>
      <ProblemAlert error={act.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="statement-heading">
        <TextField
          id="statement-product"
          label="Product (package-url)"
          hint={c.affectedPurls.length ? `Reported as affected: ${c.affectedPurls.join(', ')}` : 'The package-url of your product.'}
          required
          maxLength={1000}
          list="statement-products"
          value={product}
          onChange={(e) => setProduct(e.target.value)}
          error={err('product')}
        />
        <datalist id="statement-products">
          {c.affectedPurls.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <SelectField id="statement-status" label="Status" value={status} onChange={(e) => setStatus(e.target.value)} error={err('status')}>
          {STATEMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATEMENT_LABELS[s]}
            </option>
          ))}
        </SelectField>
        {status === 'not_affected' ? (
          <SelectField id="statement-justification" label="Justification (VEX)" required value={justification} onChange={(e) => setJustification(e.target.value)} error={err('justification')}>
            <option value="">- Select -</option>
            {VEX_JUSTIFICATIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        ) : null}
        {status === 'fixed' ? <TextField id="statement-fixed" label="Fixed in version" required maxLength={200} value={fixedVersion} onChange={(e) => setFixedVersion(e.target.value)} error={err('fixedVersion')} /> : null}
        <TextAreaField id="statement-remediation" label="Remediation (optional)" hint="What operators should do: upgrade, configuration, workaround." maxLength={4000} value={remediation} onChange={(e) => setRemediation(e.target.value)} error={err('remediation')} />
        <button className="usa-button margin-top-2" type="submit" disabled={act.pending || !product.trim()}>
          Save the statement
        </button>
      </form>
    </section>
  );
}

function Statements({ c, onDone }: { c: CaseView; onDone: Done }) {
  const share = useAction(async (id: string, shared: boolean) => {
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/statements/${id}/share`, { method: 'POST', body: { shared } }));
  });
  return (
    <section aria-labelledby="statements-heading" className="margin-top-4">
      <h2 id="statements-heading">Statements</h2>
      <ProblemAlert error={share.error} />
      {c.statements.length === 0 ? (
        <p>No statements yet.</p>
      ) : (
        <ScrollTable captionId="statements-caption">
          <table className="usa-table usa-table--borderless" data-testid="statements">
            <caption id="statements-caption" className="usa-sr-only">
              Per-product statements
            </caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Vendor</th>
                <th scope="col">Status</th>
                <th scope="col">Details</th>
                <th scope="col">Stated</th>
                <th scope="col">Shared with other vendors</th>
              </tr>
            </thead>
            <tbody>
              {c.statements.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="text-mono">
                    {s.product}
                  </th>
                  <td>{s.vendorName}</td>
                  <td>{STATEMENT_LABELS[s.status] ?? s.status}</td>
                  <td>
                    {[s.justification ? (VEX_JUSTIFICATIONS.find(([k]) => k === s.justification)?.[1] ?? s.justification) : null, s.fixedVersion ? `fixed in ${s.fixedVersion}` : null, s.remediation]
                      .filter(Boolean)
                      .join('; ')}
                  </td>
                  <td>{formatDateTime(s.statedAt)}</td>
                  <td>
                    {c.view === 'coordinator' ? (
                      <button className="usa-button usa-button--unstyled" type="button" disabled={share.pending || c.status !== 'open'} onClick={() => void share.run(s.id, !s.shared)}>
                        {s.shared ? 'Shared — stop sharing' : 'Not shared — share'}
                        <span className="usa-sr-only"> the statement on {s.product}</span>
                      </button>
                    ) : s.shared ? (
                      'Yes'
                    ) : (
                      'No'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </section>
  );
}

function Thread({ c, onDone }: { c: CaseView; onDone: Done }) {
  const coordinator = c.view === 'coordinator';
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState('all_vendors');
  const [vendorOrgId, setVendorOrgId] = useState(c.vendors[0]?.orgId ?? '');
  const post = useAction(async () => {
    const payload = coordinator ? { body: body.trim(), visibility, ...(visibility === 'vendor' ? { vendorOrgId } : {}) } : { body: body.trim() };
    await api(`/clearinghouse/cases/${c.id}/messages`, { method: 'POST', body: payload });
    setBody('');
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}`));
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void post.run();
  }
  const vendorName = (id: string | null) => c.vendors.find((v) => v.orgId === id)?.name ?? 'a vendor';
  return (
    <section aria-labelledby="thread-heading" className="margin-top-4">
      <h2 id="thread-heading">Thread</h2>
      {c.messages.length === 0 ? <p>No messages yet.</p> : null}
      <ol className="usa-list usa-list--unstyled" data-testid="thread">
        {c.messages.map((m) => (
          <li key={m.id} className="border-left-05 border-base-lighter padding-left-2 margin-bottom-2">
            <p className="margin-0 text-bold">
              {m.authorName} ({m.authorOrgName}) · {formatDateTime(m.postedAt)}
              {coordinator ? <span className="usa-tag margin-left-1">{m.visibility === 'vendor' ? `To ${vendorName(m.vendorOrgId)}` : VISIBILITY_LABELS[m.visibility]}</span> : null}
            </p>
            <p className="margin-top-05" style={{ whiteSpace: 'pre-wrap' }}>
              {m.body}
            </p>
          </li>
        ))}
      </ol>
      {c.status === 'open' ? (
        <>
          <ProblemAlert error={post.error} />
          <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="thread-heading">
            {coordinator ? (
              <>
                <SelectField id="message-visibility" label="Who reads it" value={visibility} onChange={(e) => setVisibility(e.target.value)}>
                  <option value="all_vendors">{VISIBILITY_LABELS.all_vendors}</option>
                  <option value="vendor">{VISIBILITY_LABELS.vendor}</option>
                  <option value="internal">{VISIBILITY_LABELS.internal}</option>
                </SelectField>
                {visibility === 'vendor' ? (
                  <SelectField id="message-vendor" label="Vendor" value={vendorOrgId} onChange={(e) => setVendorOrgId(e.target.value)} error={fieldError(post.error, 'vendorOrgId')}>
                    {c.vendors.map((v) => (
                      <option key={v.orgId} value={v.orgId}>
                        {v.name}
                      </option>
                    ))}
                  </SelectField>
                ) : null}
              </>
            ) : null}
            <TextAreaField
              id="message-body"
              label="Message"
              hint={coordinator ? undefined : 'Read by the clearinghouse coordinators only, never by other vendors.'}
              required
              maxLength={20000}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              error={fieldError(post.error, 'body')}
            />
            <button className="usa-button margin-top-2" type="submit" disabled={post.pending || !body.trim()}>
              Send the message
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}

function Vendors({ c, onDone }: { c: CaseView; onDone: Done }) {
  const directory = useResource<{ items: { orgId: string; name: string; products: number }[] }>(c.status === 'open' ? '/clearinghouse/vendors' : null);
  const [vendorOrgId, setVendorOrgId] = useState('');
  const add = useAction(async () => {
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/vendors`, { method: 'POST', body: { vendorOrgId } }));
    setVendorOrgId('');
  });
  const [queued, setQueued] = useState<number | null>(null);
  const remind = useAction(async () => {
    setQueued((await api<{ queued: number }>(`/clearinghouse/cases/${c.id}/reminders`, { method: 'POST' })).queued);
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}`));
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void add.run();
  }
  const others = (directory.data?.items ?? []).filter((d) => !c.vendors.some((v) => v.orgId === d.orgId));
  const silent = c.vendors.filter((v) => v.silentDays !== null).length;
  return (
    <section aria-labelledby="vendors-heading" className="margin-top-4">
      <h2 id="vendors-heading">Vendors</h2>
      {c.vendors.length === 0 ? (
        <p>No vendor yet: none registered a matching product. Add one by hand.</p>
      ) : (
        <ScrollTable captionId="vendors-caption">
          <table className="usa-table usa-table--borderless" data-testid="case-vendors">
            <caption id="vendors-caption" className="usa-sr-only">
              Vendors of the case
            </caption>
            <thead>
              <tr>
                <th scope="col">Vendor</th>
                <th scope="col">Added</th>
                <th scope="col">Notified</th>
                <th scope="col">Answered</th>
                <th scope="col">Silent</th>
                <th scope="col">Reminders</th>
              </tr>
            </thead>
            <tbody>
              {c.vendors.map((v) => (
                <tr key={v.orgId}>
                  <th scope="row">{v.name}</th>
                  <td>{v.addedHow === 'purl' ? `Product match (${v.matchedPurls.join(', ')})` : 'By hand'}</td>
                  <td>{formatDateTime(v.notifiedAt)}</td>
                  <td>{formatDateTime(v.respondedAt)}</td>
                  <td>{v.silentDays === null ? '—' : `${v.silentDays} day${v.silentDays === 1 ? '' : 's'}`}</td>
                  <td>
                    {v.remindersSent}
                    {v.lastRemindedAt ? ` (last ${formatDateTime(v.lastRemindedAt)})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {c.status === 'open' ? (
        <>
          <ProblemAlert error={add.error ?? remind.error ?? directory.error} />
          {silent > 0 ? (
            <button className="usa-button usa-button--outline" type="button" disabled={remind.pending} onClick={() => void remind.run()}>
              Remind the {silent} silent vendor{silent === 1 ? '' : 's'} now
            </button>
          ) : null}
          {queued !== null ? <p role="status">{queued} reminder{queued === 1 ? '' : 's'} queued.</p> : null}
          <form className="usa-form" onSubmit={onSubmit} aria-label="Add a vendor">
            <SelectField id="case-add-vendor" label="Add a vendor by hand" value={vendorOrgId} onChange={(e) => setVendorOrgId(e.target.value)} error={fieldError(add.error, 'vendorOrgId')}>
              <option value="">- Select -</option>
              {others.map((d) => (
                <option key={d.orgId} value={d.orgId}>
                  {d.name} ({d.products} product{d.products === 1 ? '' : 's'})
                </option>
              ))}
            </SelectField>
            <button className="usa-button margin-top-1" type="submit" disabled={add.pending || !vendorOrgId}>
              Add and notify
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}

const COMMON_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'UTC', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];

function EmbargoControls({ c, onDone }: { c: CaseView; onDone: Done }) {
  const [localTime, setLocalTime] = useState(c.embargo.local.slice(0, 16));
  const [timeZone, setTimeZone] = useState(c.embargo.timeZone);
  const [reason, setReason] = useState('');
  const change = useAction(async () => {
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/embargo`, { method: 'PUT', body: { localTime, timeZone, reason: reason.trim() } }));
    setReason('');
  });
  const end = useAction(async () => {
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/embargo/end`, { method: 'POST', body: { reason: reason.trim() } }));
    setReason('');
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void change.run();
  }
  const zones = COMMON_ZONES.includes(c.embargo.timeZone) ? COMMON_ZONES : [c.embargo.timeZone, ...COMMON_ZONES];
  const err = (p: string) => fieldError(change.error ?? end.error, p);
  return (
    <section aria-labelledby="embargo-heading" className="margin-top-4">
      <h2 id="embargo-heading">Change the embargo</h2>
      <ProblemAlert error={change.error ?? end.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="embargo-heading">
        <TextField id="embargo-local" type="datetime-local" label="Ends at (wall-clock time in the zone below)" required value={localTime} onChange={(e) => setLocalTime(e.target.value)} error={err('localTime')} />
        <SelectField id="embargo-zone" label="Time zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} error={err('timeZone')}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
        <TextAreaField id="embargo-reason" label="Reason" hint="Required; kept in the embargo history." required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} error={err('reason')} />
        <div className="margin-top-2">
          <button className="usa-button" type="submit" disabled={change.pending || !reason.trim() || !localTime}>
            Change the embargo
          </button>
          {c.embargo.active ? (
            <button className="usa-button usa-button--secondary" type="button" disabled={end.pending || !reason.trim()} onClick={() => void end.run()}>
              End the embargo now
            </button>
          ) : null}
        </div>
      </form>
      {c.embargoHistory.length ? (
        <ScrollTable captionId="embargo-history-caption">
          <table className="usa-table usa-table--borderless" data-testid="embargo-history">
            <caption id="embargo-history-caption">Embargo history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Zone</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {c.embargoHistory.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{formatDateTime(h.at)}</th>
                  <td>{h.action.replace(/_/g, ' ')}</td>
                  <td>{formatDateTime(h.from)}</td>
                  <td>{formatDateTime(h.to)}</td>
                  <td>{h.timeZone}</td>
                  <td>{[h.basis, h.reason].filter(Boolean).join(' — ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </section>
  );
}

function CloseReopen({ c, onDone }: { c: CaseView; onDone: Done }) {
  const [reason, setReason] = useState('');
  const verb = c.status === 'open' ? 'close' : 'reopen';
  const act = useAction(async () => {
    onDone(await api<CaseView>(`/clearinghouse/cases/${c.id}/${verb}`, { method: 'POST', body: { reason: reason.trim() } }));
    setReason('');
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  return (
    <section aria-labelledby="close-heading" className="margin-top-4">
      <h2 id="close-heading">{c.status === 'open' ? 'Close the case' : 'Reopen the case'}</h2>
      <ProblemAlert error={act.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="close-heading">
        <TextAreaField id="close-reason" label="Reason" required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(act.error, 'reason')} />
        <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={act.pending || !reason.trim()}>
          {c.status === 'open' ? 'Close the case' : 'Reopen the case'}
        </button>
      </form>
    </section>
  );
}

export function CasePage() {
  const { id = '' } = useParams();
  const res = useResource<CaseView>(`/clearinghouse/cases/${id}`);
  const [c, setC] = useState<CaseView | undefined>();
  useEffect(() => setC(res.data), [res.data]);
  usePageTitle(c?.title ?? 'Coordination case');
  useReportClassification(c ? { classification: 'CUI' } : null);
  if (res.loading && !c) return <Loading />;
  if (!c)
    return (
      <>
        <h1>Coordination case</h1>
        <ProblemAlert error={res.error} />
      </>
    );
  const coordinator = c.view === 'coordinator';
  const version = `${c.status}-${c.embargo.releaseAt}-${c.statements.length}-${c.messages.length}-${c.vendors.length}`;
  return (
    <>
      <h1>{c.title}</h1>
      <p>
        {coordinator ? (
          <>
            <Link className="usa-link" to="/clearinghouse/cases">
              All cases
            </Link>{' '}
            ·{' '}
            <Link className="usa-link" to={`/clearinghouse/vulnerabilities/${c.vulnerabilityId}`}>
              The vulnerability
            </Link>{' '}
            ·{' '}
            <Link className="usa-link" to={`/clearinghouse/advisories?vulnerability=${c.vulnerabilityId}`}>
              Its advisory
            </Link>
          </>
        ) : (
          <Link className="usa-link" to="/vendor/cases">
            Your cases
          </Link>
        )}
      </p>
      <Notice type={c.embargo.active ? 'warning' : 'info'} slim headingLevel="h2" testId="embargo">
        <p className="margin-0">
          {c.embargo.active ? (
            <>
              <strong>Embargoed until {c.embargo.display}</strong> ({remaining(c.embargo)}). Do not disclose anything about this vulnerability before then.
            </>
          ) : (
            <>The embargo ended {c.embargo.display}.</>
          )}
        </p>
      </Notice>
      {c.warnings?.length ? (
        <Notice type="warning" slim testId="case-warnings">
          <ul className="margin-0">
            {c.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <dl className="fw-summary" data-testid="case-summary">
        <dt>Case</dt>
        <dd>{c.status === 'open' ? 'Open' : `Closed ${formatDateTime(c.closedAt)}`}</dd>
        <dt>Opened</dt>
        <dd>{formatDateTime(c.openedAt)}</dd>
        <dt>Embargo ends</dt>
        <dd>
          {c.embargo.display} <span className="text-base">({new Date(c.embargo.releaseAt).toISOString().replace('.000Z', 'Z')})</span>
        </dd>
        <dt>Scores</dt>
        <dd>{c.cvss.length ? c.cvss.map((s) => `CVSS ${s.version} ${s.baseScore} ${s.severity}`).join('; ') : '—'}</dd>
        <dt>Weaknesses</dt>
        <dd>{c.cwe.length ? c.cwe.join(', ') : '—'}</dd>
        <dt>Affected products</dt>
        <dd className="text-mono">{c.affectedPurls.length ? c.affectedPurls.join(', ') : '—'}</dd>
        <dt>Marking</dt>
        <dd>CUI</dd>
      </dl>
      {coordinator ? <Vendors key={`vendors-${version}`} c={c} onDone={setC} /> : null}
      <Statements c={c} onDone={setC} />
      {!coordinator && c.status === 'open' ? <StatementForm key={`statement-${version}`} c={c} onDone={setC} /> : null}
      <Thread key={`thread-${version}`} c={c} onDone={setC} />
      {coordinator && c.status === 'open' ? <EmbargoControls key={`embargo-${version}`} c={c} onDone={setC} /> : null}
      {coordinator ? <CloseReopen key={`close-${version}`} c={c} onDone={setC} /> : null}
    </>
  );
}
