// Start a run of one suite version against a model the runner's organisation may use now (its
// review-window access); the run goes through the gateway with the runner's own key.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, useResource } from '../../hooks.ts';
import type { Run, RunnableGrant, SuiteVersion } from './types.ts';

export function StartRunForm({ versions }: { versions: SuiteVersion[] }) {
  const navigate = useNavigate();
  const grants = useResource<{ items: RunnableGrant[] }>('/evaluations/grants');
  const [versionId, setVersionId] = useState(versions[0]?.id ?? '');
  const [grantId, setGrantId] = useState('');
  const [concurrency, setConcurrency] = useState('8');
  const [sampleLimit, setSampleLimit] = useState('');
  const [name, setName] = useState('');
  const start = useAction(async () => {
    const run = await api<Run>('/evaluations/runs', {
      method: 'POST',
      body: {
        suiteVersionId: versionId,
        grantId,
        concurrency: Number(concurrency),
        ...(sampleLimit.trim() ? { sampleLimit: Number(sampleLimit) } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      },
    });
    navigate(`/evaluations/runs/${run.id}`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void start.run();
  }
  const items = grants.data?.items ?? [];
  return (
    <section aria-labelledby="start-heading" className="fw-section">
      <h2 id="start-heading">Start a run</h2>
      <ProblemAlert error={start.error ?? grants.error} />
      {grants.loading && !grants.data ? <Loading /> : null}
      {grants.data && items.length === 0 ? (
        <p data-testid="no-runnable-access">Your organisation has no access to a model through an open review window now, so no run can start.</p>
      ) : null}
      {items.length > 0 ? (
        <form className="usa-form" onSubmit={onSubmit} aria-labelledby="start-heading" data-testid="start-run-form">
          <SelectField id="run-version" label="Suite version" required value={versionId} onChange={(e) => setVersionId(e.target.value)} error={fieldError(start.error, 'suiteVersionId')}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.version} ({v.sampleCount} samples)
              </option>
            ))}
          </SelectField>
          <SelectField id="run-grant" label="Model (your access)" required value={grantId} onChange={(e) => setGrantId(e.target.value)} error={fieldError(start.error, 'grantId')}>
            <option value="">- Select -</option>
            {items.map((g) => (
              <option key={g.grantId} value={g.grantId}>
                {g.modelName} (until {formatDateTime(g.expiresAt && g.expiresAt < g.closesAt ? g.expiresAt : g.closesAt)})
              </option>
            ))}
          </SelectField>
          <TextField
            id="run-concurrency"
            type="number"
            min={1}
            max={64}
            label="Concurrency"
            hint="Requests in flight at once (1–64). The access’s rate limit still applies."
            required
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
            error={fieldError(start.error, 'concurrency')}
          />
          <TextField id="run-limit" type="number" min={1} label="Only the first samples (optional)" hint="For a quick smoke run." value={sampleLimit} onChange={(e) => setSampleLimit(e.target.value)} error={fieldError(start.error, 'sampleLimit')} />
          <TextField id="run-name" label="Run name (optional)" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(start.error, 'name')} />
          <button className="usa-button margin-top-3" type="submit" disabled={start.pending || !grantId || !versionId}>
            {start.pending ? 'Starting…' : 'Start run'}
          </button>
        </form>
      ) : null}
    </section>
  );
}
