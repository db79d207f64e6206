// Gateway transcripts the reader may read: its own requests, and for cleared agency analysts every
// request at or under their clearance. The list shows no content; the detail page does, marked.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { CLASSIFICATION_CLASS, isClassification, markingText, useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { formatCount, pageMarking, requestMessages, responseText, statusText, type RecordMarking, type Transcript, type TranscriptSummary } from './types.ts';

const PAGE = 50;

interface ModelName {
  id: string;
  name: string;
  version: string;
}

function useModelNames(): Map<string, string> | null {
  const me = useMe();
  const models = useResource<{ items: ModelName[] }>(me.abilities.includes('models:read') ? '/models' : null);
  if (models.loading) return null;
  return new Map((models.data?.items ?? []).map((m) => [m.id, `${m.name} ${m.version}`]));
}

export function TranscriptsPage() {
  usePageTitle('Transcripts');
  const names = useModelNames();
  const [pages, setPages] = useState<{ items: TranscriptSummary[]; nextBefore: string | null }[]>([]);
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);

  async function load(before?: string) {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api<{ items: TranscriptSummary[]; nextBefore: string | null }>('/gateway/transcripts', { query: { limit: PAGE, before } });
      setPages((p) => (before ? [...p, page] : [page]));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 0 }));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const rows = pages.flatMap((p) => p.items);
  const next = pages[pages.length - 1]?.nextBefore;
  useReportClassification(pages.length ? [{ classification: 'UNCLASSIFIED' }, ...rows.map((r) => pageMarking(r.marking))] : null);
  return (
    <>
      <p>
        <Link className="usa-link" to="/gateway/keys">
          Gateway access
        </Link>
      </p>
      <h1>Transcripts</h1>
      <p className="usa-intro">Requests made through the gateway that you may read, newest first. Each transcript carries the marking of what produced it.</p>
      <button className="usa-button usa-button--outline" type="button" disabled={loading} onClick={() => void load()}>
        Refresh
      </button>
      <ProblemAlert error={error} />
      {loading && pages.length === 0 ? <Loading /> : null}
      {pages.length > 0 && rows.length === 0 ? <p data-testid="no-transcripts">No transcripts yet.</p> : null}
      {rows.length > 0 ? (
        <ScrollTable captionId="transcripts-caption">
          <table className="usa-table usa-table--borderless usa-table--compact" data-testid="transcripts">
            <caption id="transcripts-caption">Transcripts</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Marking</th>
                <th scope="col">Model</th>
                <th scope="col">Who</th>
                <th scope="col">Status</th>
                <th scope="col" className="text-right">
                  Tokens
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-status={r.status}>
                  <th scope="row">
                    <Link className="usa-link" to={`/gateway/transcripts/${r.id}`}>
                      {formatDateTime(r.at)}
                    </Link>
                  </th>
                  <td>{markingText(pageMarking(r.marking))}</td>
                  <td>{names ? (names.get(r.modelId) ?? 'A model no longer shared with you') : '…'}</td>
                  <td>{r.userEmail ?? '—'}</td>
                  <td>{statusText(r.status, r.errorCode)}</td>
                  <td className="text-right">{formatCount(r.promptTokens + r.completionTokens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {next ? (
        <button className="usa-button usa-button--outline margin-top-2" type="button" disabled={loading} onClick={() => void load(next)}>
          Show older transcripts
        </button>
      ) : null}
    </>
  );
}

/** The record's own marking, shown above its content. */
function RecordMarkingBanner({ marking }: { marking: RecordMarking }) {
  const cls = isClassification(marking.classification) ? CLASSIFICATION_CLASS[marking.classification] : CLASSIFICATION_CLASS.UNCLASSIFIED;
  return (
    <div className={`fw-classification ${cls} margin-y-2`} data-testid="record-marking">
      <p className="fw-classification__text">
        <span className="usa-sr-only">This transcript is marked </span>
        {markingText(pageMarking(marking))}
      </p>
    </div>
  );
}

export function TranscriptPage() {
  const { id = '' } = useParams();
  usePageTitle('Transcript');
  const t = useResource<Transcript>(`/gateway/transcripts/${encodeURIComponent(id)}`);
  const names = useModelNames();
  useReportClassification(t.data ? pageMarking(t.data.marking) : null);
  const messages = t.data ? requestMessages(t.data.request) : null;
  const answer = t.data ? responseText(t.data.response) : null;
  return (
    <>
      <p>
        <Link className="usa-link" to="/gateway/transcripts">
          All transcripts
        </Link>
      </p>
      <h1>Transcript</h1>
      {t.loading && !t.data ? <Loading /> : null}
      <ProblemAlert error={t.error} />
      {t.data ? (
        <>
          <RecordMarkingBanner marking={t.data.marking} />
          <dl className="fw-summary" data-testid="transcript-summary">
            <dt>When</dt>
            <dd>{formatDateTime(t.data.at)}</dd>
            <dt>Model</dt>
            <dd>{names?.get(t.data.modelId) ?? t.data.modelId}</dd>
            <dt>Who</dt>
            <dd>
              {t.data.userEmail ?? '—'}
              {t.data.orgName ? ` (${t.data.orgName})` : ''}
            </dd>
            <dt>Status</dt>
            <dd>{statusText(t.data.status, t.data.errorCode)}</dd>
            <dt>Latency</dt>
            <dd>{Math.round(t.data.latencyMs)} ms</dd>
            <dt>Tokens</dt>
            <dd>
              {formatCount(t.data.promptTokens)} prompt, {formatCount(t.data.completionTokens)} completion{t.data.streamed ? ', streamed' : ''}
            </dd>
          </dl>
          <section aria-labelledby="prompt-heading" className="fw-section">
            <h2 id="prompt-heading">Prompt</h2>
            {t.data.request === null ? <p>No prompt was recorded for this request.</p> : null}
            {messages ? (
              <ol className="usa-list usa-list--unstyled" data-testid="transcript-prompt">
                {messages.map((m, i) => (
                  <li key={i} className="margin-bottom-2">
                    <p className="text-bold margin-y-05">{m.role}</p>
                    <div className="fw-pre">{m.content}</div>
                  </li>
                ))}
              </ol>
            ) : t.data.request !== null ? (
              <pre className="fw-pre" data-testid="transcript-prompt">
                {t.data.request}
              </pre>
            ) : null}
          </section>
          <section aria-labelledby="response-heading" className="fw-section">
            <h2 id="response-heading">Response</h2>
            {answer === null ? <p>No response was recorded for this request.</p> : <div className="fw-pre" data-testid="transcript-response">{answer}</div>}
          </section>
          {t.data.request !== null ? (
            <details className="margin-top-3">
              <summary>The request as sent</summary>
              <pre className="fw-pre">{t.data.request}</pre>
            </details>
          ) : null}
        </>
      ) : null}
    </>
  );
}
