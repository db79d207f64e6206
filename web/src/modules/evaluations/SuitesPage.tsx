// Task suites the reader may read (classified ones only at the reader's clearance), and one suite:
// its versions, a preview of its samples, and the form to start a run.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { RunsTable } from './RunsTable.tsx';
import { StartRunForm } from './StartRunForm.tsx';
import { inputText, pageMarking, type Paged, type Run, type Sample, type Suite, type SuiteDetail } from './types.ts';

export function SuitesPage() {
  usePageTitle('Task suites');
  const me = useMe();
  const { data, error, loading } = useResource<{ items: Suite[] }>('/evaluations/suites');
  const items = data?.items ?? [];
  useReportClassification(data ? [{ classification: 'UNCLASSIFIED' }, ...items.map((s) => pageMarking(s.marking))] : null);
  return (
    <>
      <p>
        <Link className="usa-link" to="/evaluations">
          Evaluations
        </Link>
      </p>
      <h1>Task suites</h1>
      <p className="usa-intro">Versioned sets of samples, each with how the model is asked and how its answers are scored. Classified suites are listed only for readers cleared for them.</p>
      {me.abilities.includes('suites:manage') ? (
        <p>
          <Link className="usa-button" to="/evaluations/suites/import">
            Import a suite
          </Link>
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="no-suites">No task suite yet.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="suites-caption">
          <table className="usa-table usa-table--borderless" data-testid="suites">
            <caption id="suites-caption">Task suites</caption>
            <thead>
              <tr>
                <th scope="col">Suite</th>
                <th scope="col">Marking</th>
                <th scope="col">Latest version</th>
                <th scope="col">Samples</th>
                <th scope="col">Domains</th>
                <th scope="col">Owner</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/evaluations/suites/${s.id}`}>
                      {s.name}
                    </Link>
                  </th>
                  <td className="fw-mono">{s.marking.banner}</td>
                  <td>{s.latestVersion?.version ?? '—'}</td>
                  <td>{s.latestVersion?.sampleCount ?? 0}</td>
                  <td>{(s.latestVersion?.domains ?? []).map((d) => d.domain).join(', ') || '—'}</td>
                  <td>{s.orgName ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}

const SAMPLE_PAGE = 20;

function SamplesPreview({ suiteId, versionId }: { suiteId: string; versionId: string }) {
  const [offset, setOffset] = useState(0);
  const samples = useResource<Paged<Sample>>(`/evaluations/suites/${suiteId}/versions/${versionId}/samples`, { limit: SAMPLE_PAGE, offset });
  const page = samples.data;
  return (
    <section aria-labelledby="samples-heading" className="fw-section">
      <h2 id="samples-heading">Samples</h2>
      <ProblemAlert error={samples.error} />
      {samples.loading && !page ? <Loading /> : null}
      {page ? (
        <>
          <ScrollTable captionId="samples-caption">
            <table className="usa-table usa-table--borderless usa-table--compact" data-testid="samples">
              <caption id="samples-caption">
                Samples {page.total === 0 ? 0 : page.offset + 1}–{page.offset + page.items.length} of {page.total}
              </caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Input</th>
                  <th scope="col">Choices</th>
                  <th scope="col">Target</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.position + 1}</th>
                    <td>{s.domain}</td>
                    <td style={{ whiteSpace: 'pre-wrap' }}>{inputText(s.input)}</td>
                    <td>{s.choices ? s.choices.map((c, i) => `${String.fromCharCode(65 + i)}) ${c}`).join(' · ') : '—'}</td>
                    <td>{Array.isArray(s.target) ? s.target.join(', ') : s.target}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <Pager offset={offset} limit={SAMPLE_PAGE} total={page.total} onOffset={setOffset} label="samples" />
        </>
      ) : null}
    </section>
  );
}

export function Pager({ offset, limit, total, onOffset, label }: { offset: number; limit: number; total: number; onOffset: (o: number) => void; label: string }) {
  if (total <= limit) return null;
  return (
    <nav aria-label={`Pages of ${label}`} className="margin-top-2">
      <ul className="usa-button-group">
        <li className="usa-button-group__item">
          <button className="usa-button usa-button--outline" type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
            Previous {label}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button className="usa-button usa-button--outline" type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
            Next {label}
          </button>
        </li>
      </ul>
    </nav>
  );
}

export function SuitePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const suiteId = encodeURIComponent(id);
  const suite = useResource<SuiteDetail>(`/evaluations/suites/${suiteId}`);
  const runs = useResource<{ items: Run[] }>('/evaluations/runs', { suiteId: id });
  const s = suite.data;
  usePageTitle(s ? `Suite: ${s.name}` : 'Task suite');
  useReportClassification(s ? pageMarking(s.marking) : null);
  const [versionId, setVersionId] = useState<string>('');
  const shown = s ? (s.versions.find((v) => v.id === versionId) ?? s.versions[0]) : undefined;
  return (
    <>
      <p>
        <Link className="usa-link" to="/evaluations/suites">
          All task suites
        </Link>
      </p>
      <h1>{s ? `Suite: ${s.name}` : 'Task suite'}</h1>
      {suite.loading && !s ? <Loading /> : null}
      <ProblemAlert error={suite.error} />
      {s ? (
        <>
          {s.description ? <p className="usa-intro">{s.description}</p> : null}
          <dl className="fw-summary" data-testid="suite-summary">
            <dt>Marking</dt>
            <dd className="fw-mono">{s.marking.banner}</dd>
            <dt>Owner</dt>
            <dd>{s.orgName ?? '—'}</dd>
            {s.benchmarkDomain ? (
              <>
                <dt>Benchmark domain</dt>
                <dd>{s.benchmarkDomain}</dd>
              </>
            ) : null}
            <dt>Latest version</dt>
            <dd>{s.latestVersion ? `${s.latestVersion.version}, ${s.latestVersion.sampleCount} samples` : '—'}</dd>
            <dt>Solver</dt>
            <dd>{String(s.latestVersion?.solver.mode ?? '—')}</dd>
            <dt>Scorer</dt>
            <dd>{String(s.latestVersion?.scorer.kind ?? '—')}</dd>
          </dl>

          <section aria-labelledby="versions-heading" className="fw-section">
            <h2 id="versions-heading">Versions</h2>
            <ScrollTable captionId="versions-caption">
              <table className="usa-table usa-table--borderless" data-testid="versions">
                <caption id="versions-caption">Versions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Samples</th>
                    <th scope="col">Domains</th>
                    <th scope="col">Imported</th>
                    <th scope="col">
                      <span className="usa-sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.versions.map((v) => (
                    <tr key={v.id}>
                      <th scope="row">{v.version}</th>
                      <td>{v.sampleCount}</td>
                      <td>{v.domains.map((d) => `${d.domain} (${d.samples})`).join(', ')}</td>
                      <td>
                        {formatDateTime(v.createdAt)}
                        {v.createdBy ? ` by ${v.createdBy}` : ''}
                      </td>
                      <td>
                        {shown?.id === v.id ? (
                          'Samples shown below'
                        ) : (
                          <button className="usa-button usa-button--unstyled" type="button" onClick={() => setVersionId(v.id)}>
                            Show samples<span className="usa-sr-only"> of version {v.version}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
          {shown ? <SamplesPreview key={shown.id} suiteId={suiteId} versionId={shown.id} /> : null}
          {me.abilities.includes('evaluations:run') && s.versions.length > 0 ? <StartRunForm versions={s.versions} /> : null}
          <section aria-labelledby="suite-runs-heading" className="fw-section">
            <h2 id="suite-runs-heading">Runs of this suite</h2>
            <ProblemAlert error={runs.error} />
            {runs.data ? <RunsTable runs={runs.data.items} caption="Runs of this suite, newest first" /> : <Loading />}
          </section>
        </>
      ) : null}
    </>
  );
}
