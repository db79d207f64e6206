// One run: live progress while it runs (polled every 1.5 s), then per-domain results with Wilson
// intervals, per-sample results (paged, filtered), exports and a comparison with another run.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, apiUrl, ApiError } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { SelectField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { ConfirmDialog } from '../gateway/ConfirmDialog.tsx';
import { AccuracyChart, AggregatesTable } from './Aggregates.tsx';
import { Pager } from './SuitesPage.tsx';
import { duration, isLive, pageMarking, percent, runTitle, STATUS_LABEL, type Aggregates, type Paged, type Result, type Run } from './types.ts';

export const POLL_MS = 1_500;

/** Polls the run while it is queued or running; stops by itself when it ends. */
function useLiveRun(id: string) {
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<ApiError>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    async function poll() {
      try {
        const r = await api<Run>(`/evaluations/runs/${id}`, { signal: controller.signal });
        if (stopped) return;
        setRun(r);
        setError(undefined);
        if (isLive(r.status)) timer = setTimeout(() => void poll(), POLL_MS);
      } catch (err) {
        if (stopped || controller.signal.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 0 }));
        // A network blip should not end the live view; a refusal should.
        if (err instanceof ApiError && err.status === 0) timer = setTimeout(() => void poll(), POLL_MS * 2);
      }
    }
    void poll();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id, tick]);
  return { run, error, restart: () => setTick((t) => t + 1), setRun };
}

function ProgressBar({ run }: { run: Run }) {
  const { total, done } = run.progress;
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div className="margin-y-2">
      <div id="run-progress-label" className="text-bold margin-bottom-05">
        Samples done
      </div>
      <div
        role="progressbar"
        aria-labelledby="run-progress-label"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} samples (${Math.floor(pct)}%)`}
        className="bg-base-lighter radius-md maxw-tablet"
        data-testid="run-progress"
        style={{ height: '1.5rem', overflow: 'hidden' }}
      >
        <div className="bg-primary height-full" style={{ width: `${pct}%`, transition: 'width 0.4s' }} />
      </div>
    </div>
  );
}

function Progress({ run }: { run: Run }) {
  const p = run.progress;
  return (
    <section aria-labelledby="progress-heading" className="fw-section" data-testid="progress-section">
      <h2 id="progress-heading">Progress</h2>
      <ProgressBar run={run} />
      <dl className="fw-summary" data-testid="progress">
        <dt>Status</dt>
        <dd data-testid="run-status">{STATUS_LABEL[run.status] ?? run.status}</dd>
        <dt>Done</dt>
        <dd data-testid="run-done">
          {p.done} of {p.total}
        </dd>
        <dt>Correct</dt>
        <dd data-testid="run-correct">
          {p.correct}
          {p.done > 0 ? ` (${percent(p.correct / p.done)})` : ''}
        </dd>
        <dt>Errors</dt>
        <dd data-testid="run-errors">{p.errors}</dd>
        <dt>Rate</dt>
        <dd>{p.ratePerSecond === null ? '—' : `${p.ratePerSecond.toFixed(1)} samples/s`}</dd>
        <dt>Time left</dt>
        <dd>{isLive(run.status) ? duration(p.etaSeconds) : '—'}</dd>
      </dl>
    </section>
  );
}

/** Calls `reload` when `key` changes after the first render (the first fetch is the resource's own). */
function useReloadOnChange(reload: () => void, key: string) {
  const first = useRef(key);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    // An empty key means "nothing to show yet": its first value is the resource's own first fetch too.
    if (first.current === key || first.current === '') {
      first.current = key;
      return;
    }
    first.current = '\u0000';
    reloadRef.current();
  }, [key]);
}

const RESULTS_PAGE = 25;

function ResultsSection({ runId, domains, refreshKey }: { runId: string; domains: string[]; refreshKey: string }) {
  const [offset, setOffset] = useState(0);
  const [domain, setDomain] = useState('');
  const [outcome, setOutcome] = useState('');
  const results = useResource<Paged<Result>>(`/evaluations/runs/${runId}/results`, { limit: RESULTS_PAGE, offset, domain, outcome });
  useReloadOnChange(results.reload, refreshKey);
  const page = results.data;
  return (
    <section aria-labelledby="results-heading" className="fw-section">
      <h2 id="results-heading">Per-sample results</h2>
      <form className="usa-form fw-filter-form" aria-label="Filter the results" onSubmit={(e: FormEvent) => e.preventDefault()}>
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-6">
            <SelectField
              id="results-domain"
              label="Domain"
              value={domain}
              onChange={(e) => {
                setOffset(0);
                setDomain(e.target.value);
              }}
            >
              <option value="">All domains</option>
              {domains.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="tablet:grid-col-6">
            <SelectField
              id="results-outcome"
              label="Outcome"
              value={outcome}
              onChange={(e) => {
                setOffset(0);
                setOutcome(e.target.value);
              }}
            >
              <option value="">All outcomes</option>
              <option value="correct">Correct</option>
              <option value="incorrect">Incorrect</option>
              <option value="error">Errors</option>
            </SelectField>
          </div>
        </div>
      </form>
      <ProblemAlert error={results.error} />
      {results.loading && !page ? <Loading /> : null}
      {page && page.items.length === 0 ? <p>No result {domain || outcome ? 'matches these filters' : 'yet'}.</p> : null}
      {page && page.items.length > 0 ? (
        <>
          <ScrollTable captionId="results-caption">
            <table className="usa-table usa-table--borderless usa-table--compact" data-testid="results">
              <caption id="results-caption">
                Results {page.offset + 1}–{page.offset + page.items.length} of {page.total}
              </caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Answer</th>
                  <th scope="col">Output</th>
                  <th scope="col" className="text-right">
                    Latency (ms)
                  </th>
                  <th scope="col" className="text-right">
                    Tokens
                  </th>
                  <th scope="col" className="text-right">
                    Attempts
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.sampleId}>
                    <th scope="row">{r.position + 1}</th>
                    <td>{r.domain}</td>
                    <td>{r.error ? `Error: ${r.error}` : r.correct ? 'Correct' : r.score !== null && r.score > 0 ? `Partly (${r.score})` : 'Incorrect'}</td>
                    <td className="fw-mono">{r.answer ?? '—'}</td>
                    <td>{r.output ? (r.output.length > 200 ? `${r.output.slice(0, 200)}…` : r.output) : '—'}</td>
                    <td className="text-right">{r.latencyMs === null ? '—' : Math.round(r.latencyMs)}</td>
                    <td className="text-right">{(r.promptTokens ?? 0) + (r.completionTokens ?? 0) || '—'}</td>
                    <td className="text-right">{r.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <Pager offset={offset} limit={RESULTS_PAGE} total={page.total} onOffset={setOffset} label="results" />
        </>
      ) : null}
    </section>
  );
}

function CompareForm({ run }: { run: Run }) {
  const navigate = useNavigate();
  const others = useResource<{ items: Run[] }>('/evaluations/runs', { suiteId: run.suiteId });
  const candidates = (others.data?.items ?? []).filter((r) => r.id !== run.id && r.status === 'completed');
  const [other, setOther] = useState('');
  if (!others.data || candidates.length === 0) return null;
  return (
    <section aria-labelledby="compare-heading" className="fw-section">
      <h2 id="compare-heading">Compare with another run</h2>
      <form
        className="usa-form"
        aria-labelledby="compare-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (other) navigate(`/evaluations/compare?a=${run.id}&b=${other}`);
        }}
      >
        <SelectField id="compare-with" label="Other run of this suite" required value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">- Select -</option>
          {candidates.map((r) => (
            <option key={r.id} value={r.id}>
              {runTitle(r)}, {r.modelName ?? 'model'}, {formatDateTime(r.finishedAt ?? r.createdAt)}
            </option>
          ))}
        </SelectField>
        <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={!other}>
          Compare
        </button>
      </form>
    </section>
  );
}

export function RunPage() {
  const { id = '' } = useParams();
  const runId = encodeURIComponent(id);
  const { run, error, setRun } = useLiveRun(runId);
  usePageTitle(run ? `Run: ${runTitle(run)}` : 'Evaluation run');
  useReportClassification(run ? pageMarking(run.marking) : null);
  const progressKey = run ? `${run.status}:${run.progress.done}` : '';
  // Aggregates follow the progress: re-read when more samples are done, at most once per poll.
  const aggregates = useResource<Aggregates>(run ? `/evaluations/runs/${runId}/aggregates` : null);
  useReloadOnChange(aggregates.reload, progressKey);
  const [confirming, setConfirming] = useState(false);
  const cancel = useAction(async () => {
    setRun(await api<Run>(`/evaluations/runs/${runId}/cancel`, { method: 'POST' }));
    setConfirming(false);
  });

  if (!run) {
    return (
      <>
        <h1>Evaluation run</h1>
        {error ? <ProblemAlert error={error} /> : <Loading />}
      </>
    );
  }
  const live = isLive(run.status);
  const agg = aggregates.data;
  return (
    <>
      <p>
        <Link className="usa-link" to="/evaluations">
          Evaluations
        </Link>
        {' · '}
        <Link className="usa-link" to={`/evaluations/suites/${run.suiteId}`}>
          Suite {run.suiteName}
        </Link>
      </p>
      <h1>Run: {runTitle(run)}</h1>
      <dl className="fw-summary" data-testid="run-summary">
        <dt>Marking</dt>
        <dd className="fw-mono">{run.marking.banner}</dd>
        <dt>Model</dt>
        <dd>{run.modelName ?? '—'}</dd>
        <dt>Suite</dt>
        <dd>
          {run.suiteName} {run.suiteVersion}
        </dd>
        {run.benchmarkDomain ? (
          <>
            <dt>Benchmark domain</dt>
            <dd>{run.benchmarkDomain}</dd>
          </>
        ) : null}
        <dt>Concurrency</dt>
        <dd>{run.concurrency}</dd>
        <dt>Started by</dt>
        <dd>{run.runnerEmail ?? '—'}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(run.startedAt ?? run.createdAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(run.finishedAt)}</dd>
      </dl>
      {/* Announced once when the run ends, not on every poll. */}
      <div role="status" aria-live="polite" data-testid="run-ended">
        {!live ? (
          <Notice type={run.status === 'completed' ? 'success' : run.status === 'cancelled' ? 'info' : 'warning'} slim>
            <p className="margin-0">
              Run {STATUS_LABEL[run.status].toLowerCase()}
              {run.statusReason ? `: ${run.statusReason}` : '.'}
            </p>
          </Notice>
        ) : null}
      </div>
      {error ? <ProblemAlert error={error} /> : null}
      <Progress run={run} />
      {live ? (
        <>
          <button className="usa-button usa-button--secondary" type="button" onClick={() => setConfirming(true)}>
            Cancel run…
          </button>
          <ConfirmDialog open={confirming} heading="Cancel this run?" confirmLabel="Yes, cancel the run" pending={cancel.pending} onConfirm={() => void cancel.run()} onCancel={() => setConfirming(false)}>
            <p>Samples already finished are kept; the rest are not asked.</p>
            <ProblemAlert error={cancel.error} />
          </ConfirmDialog>
        </>
      ) : null}

      <section aria-labelledby="aggregates-heading" className="fw-section">
        <h2 id="aggregates-heading">Results by domain</h2>
        <ProblemAlert error={aggregates.error} />
        {agg && agg.overall.n > 0 ? (
          <>
            {!agg.complete ? <p>These figures cover the samples done so far.</p> : null}
            <AccuracyChart rows={agg.domains} title="Accuracy by domain" />
            <AggregatesTable domains={agg.domains} overall={agg.overall} caption="Accuracy by domain, with Wilson 95% intervals" />
          </>
        ) : agg ? (
          <p>No sample is done yet.</p>
        ) : (
          <Loading />
        )}
        {!live ? (
          <p className="fw-export-links" data-testid="exports">
            <a className="usa-link" href={apiUrl(`/evaluations/runs/${runId}/export`, { format: 'json' })} download>
              Export as JSON
            </a>
            <a className="usa-link" href={apiUrl(`/evaluations/runs/${runId}/export`, { format: 'csv' })} download>
              Export as CSV
            </a>
          </p>
        ) : null}
      </section>
      <ResultsSection runId={runId} domains={(agg?.domains ?? []).map((d) => d.domain)} refreshKey={live ? progressKey : run.status} />
      {!live ? <CompareForm run={run} /> : null}
    </>
  );
}
