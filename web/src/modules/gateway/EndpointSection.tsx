// The developer's upstream endpoint for one model: register it, replace its secret key, test it.
// The secret key travels one way: it is sent, stored encrypted, and never shown again.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import { CheckboxField, fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, useResource } from '../../hooks.ts';
import type { Endpoint, EndpointTest } from './types.ts';

function EndpointForm({ modelId, existing, onSaving, onSaved }: { modelId: string; existing: Endpoint | null; onSaving: () => void; onSaved: (message: string) => void }) {
  const [baseUrl, setBaseUrl] = useState(existing?.baseUrl ?? '');
  const [upstreamModel, setUpstreamModel] = useState(existing?.upstreamModel ?? '');
  const [apiKey, setApiKey] = useState('');
  const [replaceKey, setReplaceKey] = useState(!existing);
  const save = useAction(async () => {
    const body: Record<string, string> = { baseUrl: baseUrl.trim(), upstreamModel: upstreamModel.trim() };
    if (replaceKey && apiKey) body.apiKey = apiKey;
    await api<Endpoint>(`/models/${modelId}/gateway/endpoint`, { method: 'PUT', body });
    setApiKey('');
    setReplaceKey(false);
    onSaved(existing ? (body.apiKey ? 'Endpoint saved and its secret key replaced.' : 'Endpoint saved.') : 'Endpoint registered.');
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSaving();
    void save.run();
  }
  return (
    <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="endpoint-form-heading" data-testid="endpoint-form">
      <h3 id="endpoint-form-heading">{existing ? 'Change the endpoint' : 'Register the endpoint'}</h3>
      <ProblemAlert error={save.error} />
      <TextField
        id="endpoint-base-url"
        type="url"
        label="Base URL"
        hint="The OpenAI-compatible API root, for example https://api.example.com/v1. Forewarn calls <base URL>/chat/completions."
        required
        maxLength={500}
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        error={fieldError(save.error, 'baseUrl')}
      />
      <TextField
        id="endpoint-model"
        label="Model name at the upstream"
        hint="The model name your API expects in requests."
        required
        maxLength={200}
        value={upstreamModel}
        onChange={(e) => setUpstreamModel(e.target.value)}
        error={fieldError(save.error, 'upstreamModel')}
      />
      {existing ? (
        <CheckboxField id="endpoint-replace-key" label="Replace the secret key" checked={replaceKey} onChange={(e) => setReplaceKey(e.target.checked)} className="margin-top-3" />
      ) : null}
      {replaceKey ? (
        <TextField
          id="endpoint-api-key"
          type="password"
          autoComplete="new-password"
          label={existing ? 'New secret key' : 'Secret key'}
          hint="Stored encrypted and used only by the gateway. It is never shown again, to you or anyone."
          required={!existing || replaceKey}
          maxLength={4000}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          error={fieldError(save.error, 'apiKey')}
        />
      ) : null}
      <button className="usa-button margin-top-3" type="submit" disabled={save.pending}>
        {existing ? 'Save endpoint' : 'Register endpoint'}
      </button>
    </form>
  );
}

function ConnectionTest({ modelId, onTested }: { modelId: string; onTested: () => void }) {
  const [result, setResult] = useState<EndpointTest | null>(null);
  const test = useAction(async () => {
    setResult(null);
    const r = await api<EndpointTest>(`/models/${modelId}/gateway/endpoint/test`, { method: 'POST' });
    setResult(r);
    onTested();
  });
  return (
    <div className="margin-top-3">
      <button className="usa-button usa-button--outline" type="button" disabled={test.pending} onClick={() => void test.run()}>
        {test.pending ? 'Testing…' : 'Test connection'}
      </button>
      <ProblemAlert error={test.error} />
      <div role="status" aria-live="polite" data-testid="connection-result">
        {result ? (
          <Notice type={result.ok ? 'success' : 'error'} slim>
            <p className="margin-0">
              <strong>{result.ok ? 'Connection works.' : 'Connection failed.'}</strong> {result.detail} (
              {result.status !== null ? `HTTP ${result.status}, ` : ''}
              {Math.round(result.latencyMs)} ms)
            </p>
          </Notice>
        ) : null}
      </div>
    </div>
  );
}

export function EndpointSection({ modelId }: { modelId: string }) {
  const endpoint = useResource<Endpoint>(`/models/${modelId}/gateway/endpoint`);
  const missing = endpoint.error instanceof ApiError && endpoint.error.status === 404;
  const current = missing ? null : endpoint.data ?? null;
  const [saved, setSaved] = useState('');
  return (
    <section aria-labelledby="endpoint-heading" className="fw-section" data-testid="endpoint-section">
      <h2 id="endpoint-heading">Upstream endpoint</h2>
      <p>
        Reviewers reach your model through the Forewarn gateway, never with your credentials. Register the OpenAI-compatible endpoint the gateway forwards to.
      </p>
      <p role="status" aria-live="polite" className="margin-y-1" data-testid="endpoint-saved">
        {saved}
      </p>
      {endpoint.loading && !endpoint.data && !endpoint.error ? <Loading /> : null}
      {endpoint.error && !missing ? <ProblemAlert error={endpoint.error} /> : null}
      {current ? (
        <dl className="fw-summary" data-testid="endpoint-summary">
          <dt>Base URL</dt>
          <dd className="fw-mono">{current.baseUrl}</dd>
          <dt>Model name</dt>
          <dd>{current.upstreamModel}</dd>
          <dt>Secret key</dt>
          <dd>{current.apiKeySet ? 'Set (never shown)' : 'Not set'}</dd>
          <dt>Last connection test</dt>
          <dd data-testid="endpoint-last-test">
            {current.lastTestAt ? `${current.lastTestOk ? 'Passed' : 'Failed'} ${formatDateTime(current.lastTestAt)}${current.lastTestDetail ? `: ${current.lastTestDetail}` : ''}` : 'Not tested since the last change'}
          </dd>
        </dl>
      ) : null}
      {!endpoint.loading || endpoint.data || endpoint.error ? (
        <>
          {missing ? <p data-testid="no-endpoint">No endpoint is registered for this model yet.</p> : null}
          {missing || current ? (
            <EndpointForm
              key={current?.updatedAt ?? 'new'}
              modelId={modelId}
              existing={current}
              onSaving={() => setSaved('')}
              onSaved={(message) => {
                setSaved(message);
                endpoint.reload();
              }}
            />
          ) : null}
          {current ? <ConnectionTest key={`test-${current.updatedAt}`} modelId={modelId} onTested={endpoint.reload} /> : null}
        </>
      ) : null}
    </section>
  );
}
