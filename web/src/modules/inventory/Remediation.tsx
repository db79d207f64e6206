// The operator's remediation board (one record per advisory affecting its inventory) and a record's
// page: the fix, the matching components, the history, and the moves allowed now.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { REMEDIATION_STATES, VEX_JUSTIFICATIONS, words, type OperatorEvent, type RemediationDetail, type RemediationRecord, type RemediationState } from './types.ts';

const PAGE = 50;

const ACTION_LABELS: Record<OperatorEvent, string> = {
  acknowledge: 'Acknowledge',
  start_patching: 'Start patching',
  mark_patched: 'Mark patched',
  declare_not_affected: 'Declare not affected',
  accept_risk: 'Accept the risk',
  reopen: 'Reopen',
};

function stateLabel(s: RemediationState): string {
  return words(s);
}

export function RemediationBoard() {
  usePageTitle('Remediation');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [state, setState] = useState<'' | 'open' | RemediationState>('open');
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useResource<{ items: RemediationRecord[]; total: number; counts: Record<string, number> }>('/remediation', { state: state || undefined, limit: PAGE, offset });
  return (
    <>
      <h1>Remediation</h1>
      <p className="usa-intro">One record per advisory that affects your inventory. A fresh SBOM with the fixed version closes a record by itself.</p>
      <ProblemAlert error={error} />
      <form className="usa-form" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="board-state"
          label="Show"
          value={state}
          onChange={(e) => {
            setState(e.target.value as typeof state);
            setOffset(0);
          }}
        >
          <option value="open">Open work</option>
          <option value="">Everything</option>
          {REMEDIATION_STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
              {data?.counts[s] !== undefined ? ` (${data.counts[s]})` : ''}
            </option>
          ))}
        </SelectField>
      </form>
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>Nothing to show.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="board-caption">
          <table className="usa-table usa-table--borderless" data-testid="remediation-board">
            <caption id="board-caption">Remediation records ({data.total})</caption>
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Due</th>
                <th scope="col">Open components</th>
                <th scope="col">Fixed in</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/remediation/${r.id}`}>{r.advisoryRef}</Link>
                    <span className="display-block text-normal">{r.title}</span>
                  </th>
                  <td>{r.severity ?? '—'}</td>
                  <td>{stateLabel(r.state)}</td>
                  <td>
                    {formatDate(r.dueAt)}
                    {r.overdue ? <strong className="display-block text-secondary-dark">overdue</strong> : null}
                  </td>
                  <td>{r.openComponents}</td>
                  <td>{r.fix.fixedVersions.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {data && data.total > PAGE ? (
        <nav aria-label="Record pages" className="margin-y-2">
          <button className="usa-button usa-button--outline" type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous page
          </button>
          <button className="usa-button usa-button--outline" type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
            Next page
          </button>
        </nav>
      ) : null}
    </>
  );
}

function TransitionForm({ record, onDone }: { record: RemediationDetail; onDone: (r: RemediationDetail) => void }) {
  const [event, setEvent] = useState<OperatorEvent | ''>(record.actions[0] ?? '');
  const [justification, setJustification] = useState<string>(VEX_JUSTIFICATIONS[0]);
  const [until, setUntil] = useState('');
  const [note, setNote] = useState('');
  const move = useAction(async () => {
    if (!event) return;
    const body = {
      event,
      ...(event === 'declare_not_affected' ? { justification } : {}),
      ...(event === 'accept_risk' && until ? { riskExpiresAt: new Date(`${until}T23:59:59`).toISOString() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const r = await api<RemediationDetail>(`/remediation/${record.id}/transitions`, { method: 'POST', body });
    setNote('');
    onDone(r);
  });
  if (record.actions.length === 0) return <p>No move is open from this state.</p>;
  return (
    <form
      className="usa-form usa-form--large"
      onSubmit={(e) => {
        e.preventDefault();
        void move.run();
      }}
    >
      <ProblemAlert error={move.error} />
      <SelectField id="transition-event" label="Move the record" value={event} onChange={(e) => setEvent(e.target.value as OperatorEvent)}>
        {record.actions.map((a) => (
          <option key={a} value={a}>
            {ACTION_LABELS[a]}
          </option>
        ))}
      </SelectField>
      {event === 'declare_not_affected' ? (
        <SelectField id="transition-justification" label="Why it is not affected (VEX justification)" value={justification} onChange={(e) => setJustification(e.target.value)} error={fieldError(move.error, 'justification')}>
          {VEX_JUSTIFICATIONS.map((j) => (
            <option key={j} value={j}>
              {words(j)}
            </option>
          ))}
        </SelectField>
      ) : null}
      {event === 'accept_risk' ? (
        <TextField id="transition-until" type="date" label="Accepted until" hint="At most a year ahead; the record comes back for a decision then." required value={until} onChange={(e) => setUntil(e.target.value)} error={fieldError(move.error, 'riskExpiresAt')} />
      ) : null}
      <TextAreaField id="transition-note" label="Note (optional)" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <button className="usa-button" type="submit" disabled={move.pending || !event}>
        {event ? ACTION_LABELS[event] : 'Move'}
      </button>
    </form>
  );
}

export function RemediationPage() {
  const { id = '' } = useParams();
  const { data, error, loading } = useResource<RemediationDetail>(`/remediation/${id}`);
  const [moved, setMoved] = useState<RemediationDetail>();
  const r = moved ?? data;
  usePageTitle(r ? `Remediation: ${r.advisoryRef}` : 'Remediation');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  return (
    <>
      <p>
        <Link to="/remediation">Remediation</Link>
      </p>
      <h1>{r ? `${r.advisoryRef}: ${r.title}` : 'Remediation record'}</h1>
      <ProblemAlert error={error} />
      {loading && !r ? <Loading /> : null}
      {r ? (
        <>
          {moved ? (
            <Notice type="success" slim role="status">
              <p className="margin-0">The record is now {stateLabel(moved.state)}.</p>
            </Notice>
          ) : null}
          <dl className="fw-summary">
            <dt>State</dt>
            <dd data-testid="remediation-state">{stateLabel(r.state)}</dd>
            <dt>Severity</dt>
            <dd>{r.severity ?? '—'}</dd>
            <dt>TLP</dt>
            <dd>TLP:{r.tlp}</dd>
            <dt>Due</dt>
            <dd>
              {formatDateTime(r.dueAt)}
              {r.overdue ? ' (overdue)' : ''}
            </dd>
            {r.justification ? (
              <>
                <dt>Justification</dt>
                <dd>{words(r.justification)}</dd>
              </>
            ) : null}
            {r.riskExpiresAt ? (
              <>
                <dt>Risk accepted until</dt>
                <dd>{formatDateTime(r.riskExpiresAt)}</dd>
              </>
            ) : null}
            <dt>Fixed in</dt>
            <dd>{r.fix.fixedVersions.join(', ') || '—'}</dd>
            {r.fix.remediation ? (
              <>
                <dt>What to do</dt>
                <dd>{r.fix.remediation}</dd>
              </>
            ) : null}
          </dl>
          <section aria-labelledby="move-h" className="fw-section">
            <h2 id="move-h">Next step</h2>
            <TransitionForm key={r.state} record={r} onDone={setMoved} />
          </section>
          <section aria-labelledby="rc-h" className="fw-section">
            <h2 id="rc-h">Components</h2>
            <ScrollTable captionId="rc-caption">
              <table className="usa-table usa-table--borderless">
                <caption id="rc-caption">Components the advisory matched</caption>
                <thead>
                  <tr>
                    <th scope="col">Package</th>
                    <th scope="col">Asset</th>
                    <th scope="col">Matched</th>
                    <th scope="col">Cleared</th>
                  </tr>
                </thead>
                <tbody>
                  {r.components.map((c) => (
                    <tr key={c.componentId}>
                      <th scope="row" className="fw-mono">
                        {c.package}
                        {c.version ? `@${c.version}` : ''}
                      </th>
                      <td>{c.assetName ? <Link to={`/inventory/assets/${c.assetId}`}>{c.assetName}</Link> : '—'}</td>
                      <td>{formatDateTime(c.matchedAt)}</td>
                      <td>{formatDateTime(c.clearedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
          <section aria-labelledby="rh-h" className="fw-section">
            <h2 id="rh-h">History</h2>
            <ol className="usa-list" data-testid="remediation-history">
              {r.history.map((h, i) => (
                <li key={i}>
                  {formatDateTime(h.at)}: {words(h.event)} ({h.fromState ? `${words(h.fromState)} → ` : ''}
                  {words(h.toState)}){h.by ? ` by ${h.by}` : ' by Forewarn'}
                  {h.note ? `: ${h.note}` : ''}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </>
  );
}
