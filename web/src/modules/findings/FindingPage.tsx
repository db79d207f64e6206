// One finding: details, evidence, history, and the actions open to the reader (the filing
// organisation's reviewers, or the developer once it was shared).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { EVENT_LABELS, FINDING_KIND_LABELS, NOTE_REQUIRED, STATUS_LABELS, type Finding } from './types.ts';

function Actions({ f, onDone }: { f: Finding; onDone: () => void }) {
  const [event, setEvent] = useState(f.allowedEvents[0] ?? '');
  const [note, setNote] = useState('');
  const act = useAction(async () => {
    await api(`/findings/${f.id}/actions`, { method: 'POST', body: { event, ...(note.trim() ? { note: note.trim() } : {}) } });
    setNote('');
    onDone();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  if (f.allowedEvents.length === 0) return null;
  const chosen = f.allowedEvents.includes(event) ? event : (f.allowedEvents[0] ?? '');
  const heading = f.role === 'developer' ? 'Respond' : 'Next step';
  return (
    <section aria-labelledby="actions-heading" className="fw-section">
      <h2 id="actions-heading">{heading}</h2>
      {f.role === 'reviewer' && f.allowedEvents.includes('share') && f.marking.classification !== 'CUI' ? (
        <Notice type="warning" slim>
          This finding is marked {f.markingText}; only CUI findings can be shared with the developer.
        </Notice>
      ) : null}
      <ProblemAlert error={act.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="actions-heading">
        <SelectField id="finding-event" label="Action" value={chosen} onChange={(e) => setEvent(e.target.value)}>
          {f.allowedEvents.map((e) => (
            <option key={e} value={e}>
              {EVENT_LABELS[e] ?? e}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          id="finding-note"
          label={chosen === 'mitigate' ? 'Mitigation' : chosen === 'dispute' ? 'Reasons' : 'Note'}
          hint={NOTE_REQUIRED.has(chosen) ? 'Required for this action.' : 'Optional.'}
          required={NOTE_REQUIRED.has(chosen)}
          maxLength={10000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={fieldError(act.error, 'note')}
        />
        <button className="usa-button margin-top-2" type="submit" disabled={act.pending} data-testid="finding-action-submit">
          {EVENT_LABELS[chosen] ?? chosen}
        </button>
      </form>
    </section>
  );
}

export function FindingPage() {
  const { id = '' } = useParams();
  const { data: f, error, loading, reload } = useResource<Finding>(`/findings/${id}`);
  usePageTitle(f ? f.title : 'Finding');
  useReportClassification(f ? f.marking : null);
  const retry = useAction(async () => {
    await api(`/findings/${id}/handoff`, { method: 'POST' });
    reload();
  });
  if (loading && !f) return <Loading />;
  if (!f)
    return (
      <>
        <h1>Finding</h1>
        <ProblemAlert error={error} />
      </>
    );
  return (
    <>
      <h1>{f.title}</h1>
      <p>
        <Link className="usa-link" to="/findings">
          All findings
        </Link>
      </p>
      <dl className="fw-summary" data-testid="finding-summary">
        <dt>Status</dt>
        <dd data-testid="finding-status">{STATUS_LABELS[f.status] ?? f.status}</dd>
        <dt>Model</dt>
        <dd>
          {f.modelName} {f.modelVersion}
        </dd>
        <dt>Kind</dt>
        <dd>{FINDING_KIND_LABELS[f.kind] ?? f.kind}</dd>
        <dt>Severity</dt>
        <dd>
          {f.rating}
          {f.cvss ? ` — CVSS ${f.cvss.version} ${f.cvss.score} (${f.cvss.vector})` : ''}
        </dd>
        <dt>Weakness</dt>
        <dd>{f.cwe ?? '—'}</dd>
        <dt>Affected products</dt>
        <dd>{f.products.length ? f.products.map((p) => p.value).join(', ') : '—'}</dd>
        <dt>Response due</dt>
        <dd>
          {formatDateTime(f.dueAt)} (planned release {formatDateTime(f.plannedReleaseAt)})
        </dd>
        <dt>Filed by</dt>
        <dd>{f.filerOrgName}</dd>
        <dt>Marking</dt>
        <dd>{f.markingText}</dd>
        {f.duplicateOf ? (
          <>
            <dt>Possible duplicate of</dt>
            <dd>
              <Link className="usa-link" to={`/findings/${f.duplicateOf.id}`}>
                {f.duplicateOf.title}
              </Link>
            </dd>
          </>
        ) : null}
        {f.handoff ? (
          <>
            <dt>Clearinghouse hand-off</dt>
            <dd data-testid="finding-handoff">
              {f.handoff.state}
              {f.handoff.reason ? ` (${f.handoff.reason})` : ''}
              {f.handoff.clearinghouseReportId ? ` — report ${f.handoff.clearinghouseReportId}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Description</h2>
      <p style={{ whiteSpace: 'pre-wrap' }}>{f.summary}</p>
      {f.role === 'reviewer' && f.handoff?.state === 'failed' ? (
        <>
          <ProblemAlert error={retry.error} />
          <button className="usa-button usa-button--outline" type="button" onClick={() => void retry.run()} disabled={retry.pending}>
            Queue the hand-off again
          </button>
        </>
      ) : null}

      <Actions key={`${f.status}-${f.history.length}`} f={f} onDone={reload} />

      <h2>Evidence</h2>
      {f.evidence.length === 0 && f.transcriptIds.length === 0 ? <p>No evidence attached.</p> : null}
      {f.transcriptIds.length ? <p>Gateway transcripts: {f.transcriptIds.join(', ')}</p> : null}
      {f.evidence.length ? (
        <ul className="usa-list">
          {f.evidence.map((e) => (
            <li key={e.id}>
              {e.filename} ({e.mediaType}, {e.sizeBytes} bytes, SHA-256 {e.sha256.slice(0, 16)}…)
            </li>
          ))}
        </ul>
      ) : null}

      <ScrollTable captionId="history-caption">
        <table className="usa-table usa-table--borderless" data-testid="finding-history">
          <caption id="history-caption">History</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Status</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {f.history.map((h, i) => (
              <tr key={i}>
                <th scope="row">{formatDateTime(h.at)}</th>
                <td>{EVENT_LABELS[h.action] ?? h.action.replace(/_/g, ' ')}</td>
                <td>{h.toStatus ? (STATUS_LABELS[h.toStatus] ?? h.toStatus) : '—'}</td>
                <td>{h.actorOrgName ?? 'Forewarn'}</td>
                <td>{h.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}
