// Two runs side by side: accuracy per domain, the difference with its Newcombe 95% interval, and a
// two-proportion test.
import { Link, useSearchParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { usePageTitle, useResource } from '../../hooks.ts';
import { interval, pageMarking, percent, type Comparison, type Run } from './types.ts';

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} points`;
}

export function ComparePage() {
  usePageTitle('Compare runs');
  const [params] = useSearchParams();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const ok = /^[0-9a-f-]{36}$/i.test(a) && /^[0-9a-f-]{36}$/i.test(b);
  const cmp = useResource<Comparison>(ok ? '/evaluations/compare' : null, { a, b });
  const runA = useResource<Run>(ok ? `/evaluations/runs/${a}` : null);
  const runB = useResource<Run>(ok ? `/evaluations/runs/${b}` : null);
  useReportClassification(runA.data && runB.data ? [pageMarking(runA.data.marking), pageMarking(runB.data.marking)] : null);
  const c = cmp.data;
  const label = (x: Comparison['a']) => `${x.modelName ?? 'model'} on ${x.suiteName}`;
  return (
    <>
      <p>
        <Link className="usa-link" to="/evaluations">
          Evaluations
        </Link>
      </p>
      <h1>Compare runs</h1>
      {!ok ? <p>Choose two runs to compare from a run’s page.</p> : null}
      <ProblemAlert error={cmp.error ?? runA.error ?? runB.error} />
      {ok && cmp.loading && !c ? <Loading /> : null}
      {c ? (
        <>
          <p className="usa-intro">
            A:{' '}
            <Link className="usa-link" to={`/evaluations/runs/${c.a.runId}`}>
              {label(c.a)}
            </Link>
            . B:{' '}
            <Link className="usa-link" to={`/evaluations/runs/${c.b.runId}`}>
              {label(c.b)}
            </Link>
            .
          </p>
          <ScrollTable captionId="compare-caption">
            <table className="usa-table usa-table--borderless" data-testid="comparison">
              <caption id="compare-caption">Accuracy of B against A, by domain</caption>
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">A accuracy (n)</th>
                  <th scope="col">B accuracy (n)</th>
                  <th scope="col">Difference (B − A)</th>
                  <th scope="col">95% interval (Newcombe)</th>
                  <th scope="col" className="text-right">
                    p-value
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.rows.map((r) => (
                  <tr key={r.domain}>
                    <th scope="row">{r.domain === 'overall' ? 'All domains' : r.domain}</th>
                    <td>
                      {percent(r.a.accuracy)} ({r.a.n})
                    </td>
                    <td>
                      {percent(r.b.accuracy)} ({r.b.n})
                    </td>
                    <td>{signed(r.difference)}</td>
                    <td>{interval(r.ci)}</td>
                    <td className="text-right">{r.pValue < 0.001 ? '< 0.001' : r.pValue.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}
