// A model's review window, for its developer: open one, revoke grants, shorten, end it, move the
// release, withdraw from the framework, and read the timeline. Agencies see the window they are in.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { CheckboxField, fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { TimelineTable } from './Timeline.tsx';
import { closeReasonText, isoToLocal, localToIso, type AgencyOption, type Eligibility, type ReviewWindow, type Timeline } from './types.ts';

function OpenWindowForm({ modelId, eligibility, onDone }: { modelId: string; eligibility: Eligibility; onDone: () => void }) {
  const agencies = useResource<{ items: AgencyOption[] }>('/review-agencies');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [closesAt, setClosesAt] = useState('');
  const open = useAction(async () => {
    await api(`/models/${modelId}/windows`, { method: 'POST', body: { agencyOrgIds: [...chosen], closesAt: localToIso(closesAt) } });
    setChosen(new Set());
    setClosesAt('');
    onDone();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void open.run();
  }
  function toggle(id: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }
  const agencyError = fieldError(open.error, 'agencyOrgIds');
  return (
    <section aria-labelledby="open-heading" className="fw-section">
      <h2 id="open-heading">Open a review window</h2>
      <p>
        You may give the agencies you choose early access to this model, for at most <strong data-testid="policy-max">{eligibility.maxWindowDays} days</strong>{' '}
        (the policy maximum) and ending no later than your planned release ({formatDateTime(eligibility.plannedReleaseAt)}). You can revoke, shorten or end it at
        any time.
      </p>
      <ProblemAlert error={open.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="open-heading">
        <fieldset className={`usa-fieldset usa-form-group${agencyError ? ' usa-form-group--error' : ''}`}>
          <legend className="usa-legend">Agencies given access</legend>
          {agencyError ? <span className="usa-error-message">{agencyError}</span> : null}
          {agencies.loading ? <Loading /> : null}
          {(agencies.data?.items ?? []).map((a) => (
            <CheckboxField key={a.id} id={`agency-${a.agencyCode ?? a.id}`} label={a.name} checked={chosen.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
          ))}
        </fieldset>
        <TextField
          id="window-closes"
          type="datetime-local"
          label="Window closes"
          hint={`Your local time. At most ${eligibility.maxWindowDays} days from now, and no later than your planned release.`}
          required
          value={closesAt}
          onChange={(e) => setClosesAt(e.target.value)}
          error={fieldError(open.error, 'closesAt')}
        />
        <button className="usa-button margin-top-2" type="submit" disabled={open.pending || chosen.size === 0}>
          Open review window
        </button>
      </form>
    </section>
  );
}

function CurrentWindow({ window: w, onDone }: { window: ReviewWindow; onDone: () => void }) {
  const [closesAt, setClosesAt] = useState('');
  const revoke = useAction(async (grantId: string) => {
    await api(`/windows/${w.id}/grants/${grantId}`, { method: 'DELETE' });
    onDone();
  });
  const shorten = useAction(async () => {
    await api(`/windows/${w.id}/shorten`, { method: 'POST', body: { closesAt: localToIso(closesAt) } });
    setClosesAt('');
    onDone();
  });
  const end = useAction(async () => {
    await api(`/windows/${w.id}/end`, { method: 'POST' });
    onDone();
  });
  function onShorten(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void shorten.run();
  }
  return (
    <section aria-labelledby="current-heading" className="fw-section" data-testid="current-window">
      <h2 id="current-heading">Current review window ({w.marking.classification})</h2>
      <dl className="fw-summary">
        <dt>Status</dt>
        <dd data-testid="window-status">{w.status}</dd>
        <dt>Opens</dt>
        <dd>{formatDateTime(w.opensAt)}</dd>
        <dt>Closes</dt>
        <dd data-testid="window-closes">{formatDateTime(w.closesAt)}</dd>
        <dt>Policy version</dt>
        <dd>{w.policyVersion}</dd>
      </dl>
      <ProblemAlert error={revoke.error} />
      <ScrollTable captionId="grants-caption">
        <table className="usa-table usa-table--borderless" data-testid="grants">
          <caption id="grants-caption">Who has access through this window</caption>
          <thead>
            <tr>
              <th scope="col">Agency</th>
              <th scope="col">Access until</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="usa-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {w.grants.map((g) => (
              <tr key={g.id}>
                <th scope="row">{g.granteeOrgName ?? 'Unknown'}</th>
                <td>{formatDateTime(g.expiresAt)}</td>
                <td>{g.revokedAt ? `Revoked ${formatDateTime(g.revokedAt)}` : g.active ? 'Active' : 'Not yet started'}</td>
                <td>
                  {!g.revokedAt ? (
                    <button className="usa-button usa-button--secondary usa-button--unstyled" type="button" disabled={revoke.pending} onClick={() => void revoke.run(g.id)}>
                      Revoke<span className="usa-sr-only"> access for {g.granteeOrgName}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>

      <h3 id="shorten-heading">Shorten the window</h3>
      <ProblemAlert error={shorten.error} />
      <form className="usa-form" onSubmit={onShorten} aria-labelledby="shorten-heading">
        <TextField
          id="shorten-closes"
          type="datetime-local"
          label="New closing time"
          hint={`Earlier than ${formatDateTime(w.closesAt)}. Your local time.`}
          required
          value={closesAt}
          max={isoToLocal(w.closesAt)}
          onChange={(e) => setClosesAt(e.target.value)}
          error={fieldError(shorten.error, 'closesAt')}
        />
        <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={shorten.pending}>
          Shorten window
        </button>
      </form>

      <h3>End it now</h3>
      <p>Every agency’s access stops immediately.</p>
      <ProblemAlert error={end.error} />
      <button className="usa-button usa-button--secondary" type="button" disabled={end.pending} onClick={() => void end.run()}>
        End window now
      </button>
    </section>
  );
}

function ReleaseForm({ modelId, current, onDone }: { modelId: string; current: string; onDone: () => void }) {
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const move = useAction(async () => {
    await api(`/models/${modelId}/release-date`, { method: 'POST', body: { plannedReleaseAt: localToIso(at), ...(reason.trim() ? { reason: reason.trim() } : {}) } });
    setAt('');
    setReason('');
    onDone();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void move.run();
  }
  return (
    <section aria-labelledby="release-heading" className="fw-section">
      <h2 id="release-heading">Move your release date</h2>
      <p>
        Currently <strong data-testid="planned-release">{formatDateTime(current)}</strong>. Earlier or later, at any time: nobody else’s approval is needed. Moving it
        before the window’s end shortens the window.
      </p>
      <ProblemAlert error={move.error} />
      <form className="usa-form" onSubmit={onSubmit} aria-labelledby="release-heading">
        <TextField id="release-at" type="datetime-local" label="New planned release" hint="Your local time." required value={at} onChange={(e) => setAt(e.target.value)} error={fieldError(move.error, 'plannedReleaseAt')} />
        <TextField id="release-reason" label="Reason (optional)" maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(move.error, 'reason')} />
        <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={move.pending}>
          Move release date
        </button>
      </form>
    </section>
  );
}

function WithdrawSection({ modelId, onDone }: { modelId: string; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const withdraw = useAction(async () => {
    await api(`/models/${modelId}/withdraw`, { method: 'POST', body: {} });
    setConfirming(false);
    onDone();
  });
  return (
    <section aria-labelledby="withdraw-heading" className="fw-section">
      <h2 id="withdraw-heading">Withdraw from the framework</h2>
      <p>Ends every window on this model and revokes every agency’s access to the model and its documents. Your release is not affected.</p>
      <ProblemAlert error={withdraw.error} />
      {confirming ? (
        <Notice type="warning" heading="Withdraw this model from the framework?" headingLevel="h3">
          <p>Every agency loses access now. This cannot be undone.</p>
          <ul className="usa-button-group">
            <li className="usa-button-group__item">
              <button className="usa-button usa-button--secondary" type="button" disabled={withdraw.pending} onClick={() => void withdraw.run()}>
                Yes, withdraw
              </button>
            </li>
            <li className="usa-button-group__item">
              <button className="usa-button usa-button--outline" type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </li>
          </ul>
        </Notice>
      ) : (
        <button className="usa-button usa-button--secondary" type="button" onClick={() => setConfirming(true)}>
          Withdraw from the framework…
        </button>
      )}
    </section>
  );
}

function PastWindows({ windows }: { windows: ReviewWindow[] }) {
  if (windows.length === 0) return null;
  return (
    <section aria-labelledby="past-heading" className="fw-section">
      <h2 id="past-heading">Earlier windows</h2>
      <ScrollTable captionId="past-caption">
        <table className="usa-table usa-table--borderless">
          <caption id="past-caption">Windows that have ended</caption>
          <thead>
            <tr>
              <th scope="col">Opened</th>
              <th scope="col">Closed</th>
              <th scope="col">Why</th>
              <th scope="col">Agencies</th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.id}>
                <td>{formatDateTime(w.opensAt)}</td>
                <td>{formatDateTime(w.closedAt ?? w.closesAt)}</td>
                <td>{closeReasonText(w.closeReason)}</td>
                <td>{w.grants.map((g) => g.granteeOrgName).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}

export function WindowPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const mayManage = me.abilities.includes('windows:manage');
  const windows = useResource<{ items: ReviewWindow[] }>(`/models/${encodeURIComponent(id)}/windows`);
  const eligibility = useResource<Eligibility>(mayManage ? `/models/${encodeURIComponent(id)}/window-eligibility` : null);
  const timeline = useResource<Timeline>(`/models/${encodeURIComponent(id)}/timeline`);
  usePageTitle('Review window');
  const items = windows.data?.items ?? [];
  useReportClassification(windows.data ? [...items.map((w) => w.marking), ...(timeline.data ? [timeline.data.marking] : [])] : null);

  function reload() {
    windows.reload();
    eligibility.reload();
    timeline.reload();
  }

  if (windows.loading && !windows.data) {
    return (
      <>
        <h1>Review window</h1>
        <Loading />
      </>
    );
  }
  if (!windows.data) {
    return (
      <>
        <h1>Review window</h1>
        <ProblemAlert error={windows.error} />
      </>
    );
  }
  const open = items.find((w) => w.status === 'open');
  const past = items.filter((w) => w.status !== 'open');
  const e = eligibility.data;
  const name = items[0] ? `${items[0].modelName} ${items[0].modelVersion}` : 'this model';

  return (
    <>
      <p>
        <Link className="usa-link" to={`/models/${encodeURIComponent(id)}`}>
          Back to the model
        </Link>
      </p>
      <h1>Review window{items[0] ? `: ${name}` : ''}</h1>
      <p className="usa-intro">
        A review window is voluntary early access that the developer gives and controls. It never holds back a release: it ends by itself at its closing time or at the
        release, whichever comes first.
      </p>
      {e ? (
        <>
          <dl className="fw-summary" data-testid="model-state">
            <dt>Planned public release</dt>
            <dd>{formatDateTime(e.plannedReleaseAt)}</dd>
            <dt>Framework status</dt>
            <dd>{e.modelStatus}</dd>
            <dt>Longest window (policy)</dt>
            <dd>{e.maxWindowDays} days</dd>
          </dl>
          {open ? <CurrentWindow window={open} onDone={reload} /> : e.eligible ? <OpenWindowForm modelId={id} eligibility={e} onDone={reload} /> : (
            <Notice type="info" heading="No window can be opened now" headingLevel="h2">
              <p className="margin-0">{e.reason}</p>
            </Notice>
          )}
          <ReleaseForm modelId={id} current={e.plannedReleaseAt} onDone={reload} />
          {e.modelStatus !== 'withdrawn' ? <WithdrawSection modelId={id} onDone={reload} /> : null}
        </>
      ) : (
        <>
          <ProblemAlert error={eligibility.error} />
          {open ? (
            <section aria-labelledby="shared-heading" className="fw-section">
              <h2 id="shared-heading">Your agency’s access</h2>
              <p>
                Shared by {open.developerOrgName} until {formatDateTime(open.closesAt)}.
              </p>
            </section>
          ) : (
            <p>Your organisation has no access through a review window on this model now.</p>
          )}
        </>
      )}
      <PastWindows windows={past} />
      <section aria-labelledby="timeline-heading" className="fw-section">
        <h2 id="timeline-heading">Timeline</h2>
        <ProblemAlert error={timeline.error} />
        {timeline.data ? <TimelineTable items={timeline.data.items} /> : <Loading />}
      </section>
    </>
  );
}
