// The benchmark runs of this determination's model, scored per domain against the adopted threshold
// version. Shown only when the API answers (party analysts cleared for the benchmark); for anyone
// else it renders nothing at all.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useAction } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { DOMAIN_LABEL, pageMarking, type Determination } from './types.ts';

interface Interval {
  lower: number;
  upper: number;
}

interface RunSummary {
  id: string;
  modelId: string;
  benchmarkId: string | null;
  benchmarkDomain: string | null;
  status: string;
  finishedAt: string | null;
  createdAt: string;
}

interface BenchmarkScores {
  runId: string;
  benchmarkId: string;
  benchmark: { name: string; version: number };
  marking: { classification: string; compartments: string[]; banner: string };
  runStatus: string;
  complete: boolean;
  thresholdVersion: { id: string; version: number } | null;
  domains: { domain: string; score: number; n: number; ci: Interval; threshold: number | null; meetsThreshold: boolean | null }[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The latest completed run per benchmark domain for this model and benchmark. */
function latestPerDomain(runs: RunSummary[], modelId: string, benchmarkId: string): RunSummary[] {
  const by = new Map<string, RunSummary>();
  for (const r of runs) {
    if (r.modelId !== modelId || r.benchmarkId !== benchmarkId || r.status !== 'completed') continue;
    const key = r.benchmarkDomain ?? '';
    const at = (x: RunSummary) => x.finishedAt ?? x.createdAt;
    const prev = by.get(key);
    if (!prev || at(r) > at(prev)) by.set(key, r);
  }
  return [...by.values()];
}

export function BenchmarkRunScores({ determination: d, canAttach, onAttached }: { determination: Determination; canAttach: boolean; onAttached: (d: Determination) => void }) {
  const me = useMe();
  const [scores, setScores] = useState<BenchmarkScores[]>([]);
  const [tick, setTick] = useState(0);
  const allowed = me.abilities.includes('evaluations:run') && me.abilities.includes('determinations:work') && d.benchmark !== null;
  useEffect(() => {
    if (!allowed || !d.benchmark) return;
    const controller = new AbortController();
    const benchmarkId = d.benchmark.id;
    (async () => {
      const runs = await api<{ items: RunSummary[] }>('/evaluations/runs', { query: { status: 'completed', limit: 200 }, signal: controller.signal });
      const chosen = latestPerDomain(runs.items, d.modelId, benchmarkId);
      const found: BenchmarkScores[] = [];
      for (const r of chosen) {
        try {
          found.push(await api<BenchmarkScores>(`/determinations/benchmark-runs/${r.id}/scores`, { signal: controller.signal }));
        } catch (err) {
          // Not cleared for it, or not a party: the panel simply does not show that run.
          if (!(err instanceof ApiError)) throw err;
        }
      }
      if (!controller.signal.aborted) setScores(found);
    })().catch(() => {
      if (!controller.signal.aborted) setScores([]);
    });
    return () => controller.abort();
  }, [allowed, d.benchmark, d.modelId, tick]);
  useReportClassification(scores.length ? scores.map((s) => pageMarking(s.marking)) : null);
  const attach = useAction(async (runId: string) => {
    onAttached(await api<Determination>(`/determinations/${d.id}/scores-from-run`, { method: 'POST', body: { runId } }));
    setTick((t) => t + 1);
  });
  const [first] = scores;
  if (!first) return null;
  return (
    <section aria-labelledby="benchmark-runs-heading" className="fw-section" data-testid="benchmark-run-scores">
      <h2 id="benchmark-runs-heading">Benchmark runs</h2>
      <p>
        The latest completed run of each benchmark domain on this model, scored against the adopted threshold version. Marked{' '}
        <span className="fw-mono">{first.marking.banner}</span>.
      </p>
      <ProblemAlert error={attach.error} />
      <ScrollTable captionId="benchmark-runs-caption">
        <table className="usa-table usa-table--borderless">
          <caption id="benchmark-runs-caption">Benchmark run scores against thresholds</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Score</th>
              <th scope="col">95% interval</th>
              <th scope="col">Samples</th>
              <th scope="col">Threshold</th>
              <th scope="col">Result</th>
              {canAttach ? (
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {scores.flatMap((s) =>
              s.domains.map((x) => (
                <tr key={`${s.runId}-${x.domain}`}>
                  <th scope="row">{DOMAIN_LABEL[x.domain] ?? x.domain}</th>
                  <td>{pct(x.score)}</td>
                  <td>
                    {pct(x.ci.lower)} – {pct(x.ci.upper)}
                  </td>
                  <td>{x.n}</td>
                  <td>{x.threshold === null ? 'No adopted threshold' : pct(x.threshold)}</td>
                  <td>{x.meetsThreshold === null ? '—' : x.meetsThreshold ? 'Meets or exceeds' : 'Below'}</td>
                  {canAttach ? (
                    <td>
                      <button className="usa-button usa-button--unstyled" type="button" disabled={attach.pending} onClick={() => void attach.run(s.runId)}>
                        Use this score<span className="usa-sr-only"> for {DOMAIN_LABEL[x.domain] ?? x.domain}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </ScrollTable>
      <p className="usa-hint">Threshold version {first.thresholdVersion ? first.thresholdVersion.version : 'none adopted'}.</p>
    </section>
  );
}
