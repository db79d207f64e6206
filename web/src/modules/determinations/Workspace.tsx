// The agency determination workspace: determinations at the reader's clearance, and a new one for a
// model shared with NSA under the adopted threshold version.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { SelectField, fieldError } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { OUTCOME_LABEL, STATUS_LABEL, pageMarking, type Benchmark, type CandidateModel, type Determination } from './types.ts';

function CreateForm({ onCreated }: { onCreated: (id: string) => void }) {
  const models = useResource<{ items: CandidateModel[] }>('/determinations/candidate-models');
  const benchmarks = useResource<{ items: Benchmark[] }>('/benchmarks');
  const [modelId, setModelId] = useState('');
  const [benchmarkId, setBenchmarkId] = useState('');
  const create = useAction(async (e: FormEvent) => {
    e.preventDefault();
    const d = await api<Determination>('/determinations', { method: 'POST', body: { modelId, benchmarkId } });
    onCreated(d.id);
  });
  useReportClassification((benchmarks.data?.items ?? []).map((b) => pageMarking(b.marking)));
  if (models.loading || benchmarks.loading) return <Loading />;
  return (
    <form className="usa-form" onSubmit={(e) => void create.run(e)} aria-labelledby="new-heading">
      <h2 id="new-heading">New determination</h2>
      <ProblemAlert error={create.error ?? models.error ?? benchmarks.error} />
      {models.data?.items.length === 0 ? <p>No model is shared with your agency yet.</p> : null}
      <SelectField id="det-model" label="Model shared with NSA" required value={modelId} onChange={(e) => setModelId(e.target.value)} error={fieldError(create.error, 'modelId')}>
        <option value="">- Select -</option>
        {(models.data?.items ?? []).map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} {m.version}
          </option>
        ))}
      </SelectField>
      <SelectField id="det-benchmark" label="Benchmark" required value={benchmarkId} onChange={(e) => setBenchmarkId(e.target.value)} error={fieldError(create.error, 'benchmarkId')}>
        <option value="">- Select -</option>
        {(benchmarks.data?.items ?? []).map((b) => (
          <option key={b.id} value={b.id}>
            {b.name} v{b.version} ({b.marking.banner})
          </option>
        ))}
      </SelectField>
      <p className="usa-hint">The determination uses the threshold version currently adopted for the benchmark.</p>
      <button className="usa-button" type="submit" disabled={create.pending || !modelId || !benchmarkId}>
        {create.pending ? 'Creating…' : 'Create determination'}
      </button>
    </form>
  );
}

export function DeterminationsWorkspace() {
  usePageTitle('Determinations');
  const me = useMe();
  const navigate = useNavigate();
  const list = useResource<{ items: Determination[] }>('/determinations');
  const rows = list.data?.items ?? [];
  useReportClassification(rows.length ? rows.map((d) => pageMarking(d.marking)) : { classification: 'UNCLASSIFIED' });
  const isNsa = me.organisation.agencyCode === 'NSA';
  return (
    <>
      <h1>Determinations</h1>
      <p className="usa-intro">Covered-model determinations. Scores, thresholds and rationale are shown only to readers holding the clearance and compartment.</p>
      <p>
        <Link className="usa-link" to="/determinations/thresholds">
          Threshold governance
        </Link>
      </p>
      <section aria-labelledby="list-heading" className="fw-section">
        <h2 id="list-heading">Determinations</h2>
        <ProblemAlert error={list.error} />
        {list.loading ? <Loading /> : null}
        {!list.loading && rows.length === 0 ? <p data-testid="no-determinations">No determinations yet.</p> : null}
        {rows.length > 0 ? (
          <ScrollTable captionId="det-caption">
            <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="determinations-table">
              <caption id="det-caption">{rows.length === 1 ? '1 determination' : `${rows.length} determinations`}</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Sign-offs</th>
                  <th scope="col">Created</th>
                  <th scope="col">Marking</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link className="usa-link" to={`/determinations/${d.id}`}>
                        {d.model ? `${d.model.name} ${d.model.version}` : 'Model'}
                      </Link>
                    </td>
                    <td>{STATUS_LABEL[d.status] ?? d.status}</td>
                    <td>{d.outcome ? OUTCOME_LABEL[d.outcome] : '—'}</td>
                    <td>{d.signoffs.map((s) => s.agencyCode).join(', ') || '—'}</td>
                    <td className="fw-nowrap">{formatDateTime(d.createdAt)}</td>
                    <td className="fw-mono">{d.marking.banner}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : null}
      </section>
      {isNsa && me.abilities.includes('determinations:work') ? (
        <section className="fw-section">
          <CreateForm onCreated={(id) => navigate(`/determinations/${id}`)} />
        </section>
      ) : null}
    </>
  );
}
