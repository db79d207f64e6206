// Evaluation runs the reader may read (its organisation's, at its clearance: classified benchmark
// runs show their marking; uncleared readers do not see them at all), and the way to suites.
import { Link } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { usePageTitle, useResource } from '../../hooks.ts';
import { RunsTable } from './RunsTable.tsx';
import { pageMarking, type Run } from './types.ts';

export function EvaluationsHome() {
  usePageTitle('Evaluations');
  const runs = useResource<{ items: Run[] }>('/evaluations/runs');
  const items = runs.data?.items ?? [];
  useReportClassification(runs.data ? [{ classification: 'UNCLASSIFIED' }, ...items.map((r) => pageMarking(r.marking))] : null);
  const benchmark = items.filter((r) => r.benchmarkId);
  const other = items.filter((r) => !r.benchmarkId);
  return (
    <>
      <h1>Evaluations</h1>
      <p className="usa-intro">Run task suites against models under review, through the gateway and within your access. Start a run from a suite’s page.</p>
      <p>
        <Link className="usa-button" to="/evaluations/suites">
          Task suites
        </Link>
      </p>
      <ProblemAlert error={runs.error} />
      {runs.loading && !runs.data ? <Loading /> : null}
      {runs.data ? (
        <>
          {benchmark.length > 0 ? (
            <section aria-labelledby="benchmark-runs-heading" className="fw-section">
              <h2 id="benchmark-runs-heading">Benchmark runs</h2>
              <p>Runs of the classified benchmark’s suites, each at its marking.</p>
              <RunsTable runs={benchmark} caption="Benchmark runs, newest first" />
            </section>
          ) : null}
          <section aria-labelledby="runs-heading" className="fw-section">
            <h2 id="runs-heading">{benchmark.length > 0 ? 'Other runs' : 'Runs'}</h2>
            <RunsTable runs={other} caption="Evaluation runs, newest first" />
          </section>
        </>
      ) : null}
    </>
  );
}
