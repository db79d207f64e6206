// Account → personal API tokens: list, create (secret shown once), revoke.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import type { ApiToken, CreatedApiToken, Items } from '../types.ts';
import { CopyField } from './CopyField.tsx';
import { fieldError, TextField } from './Field.tsx';
import { Loading } from './Loading.tsx';
import { Notice } from './Notice.tsx';
import { ProblemAlert } from './ProblemAlert.tsx';
import { ScrollTable } from './ScrollTable.tsx';

function tokenStatus(token: ApiToken, now = Date.now()): string {
  if (token.revokedAt) return 'Revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'Expired';
  return 'Active';
}

export function ApiTokensSection() {
  const tokens = useResource<Items<ApiToken>>('/me/tokens');
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedApiToken>();
  const [confirming, setConfirming] = useState<string>();
  const [revoked, setRevoked] = useState<string>();

  const create = useAction(async () => {
    const expiresInDays = days.trim() ? Number(days) : undefined;
    const token = await api<CreatedApiToken>('/me/tokens', {
      method: 'POST',
      body: { name: name.trim(), ...(expiresInDays !== undefined ? { expiresInDays } : {}) },
    });
    setCreated(token);
    setRevoked(undefined);
    setName('');
    setDays('');
    tokens.reload();
  });

  const revoke = useAction(async (token: ApiToken) => {
    await api(`/me/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
    setConfirming(undefined);
    setRevoked(token.name);
    if (created?.id === token.id) setCreated(undefined);
    tokens.reload();
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(undefined);
    void create.run();
  }

  const items = tokens.data?.items ?? [];
  return (
    <section aria-labelledby="tokens-heading" className="fw-section">
      <h2 id="tokens-heading">API tokens</h2>
      <p>
        Tokens let scripts call the Forewarn API as you, with your roles and clearance. Send one in an{' '}
        <code>Authorization: Bearer</code> header. Revoke any token you no longer use.
      </p>

      {created ? (
        <div data-testid="new-token">
          <Notice type="warning" heading="Copy your new token now" headingLevel="h3" role="status">
            <p className="margin-0">
              This is the only time Forewarn will show the token “{created.name}”. Store it somewhere safe, such as a
              password manager. If you lose it, revoke it and create another.
            </p>
          </Notice>
          <CopyField id="new-token-value" label={`Token “${created.name}”`} value={created.token} />
          <button className="usa-button usa-button--unstyled" type="button" onClick={() => setCreated(undefined)}>
            I have copied the token; hide it
          </button>
        </div>
      ) : null}
      {revoked ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">The token “{revoked}” has been revoked.</p>
        </Notice>
      ) : null}
      <ProblemAlert error={revoke.error} />
      <ProblemAlert error={tokens.error} />

      {tokens.loading && !tokens.data ? (
        <Loading label="Loading tokens…" />
      ) : items.length === 0 ? (
        <p data-testid="no-tokens">You have no API tokens.</p>
      ) : (
        <ScrollTable captionId="tokens-caption">
          <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="tokens-table">
            <caption id="tokens-caption">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((token) => {
                const status = tokenStatus(token);
                return (
                  <tr key={token.id} data-testid={`token-row-${token.id}`}>
                    <th scope="row">{token.name}</th>
                    <td>{formatDateTime(token.createdAt)}</td>
                    <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                    <td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}</td>
                    <td>{status}</td>
                    <td>
                      {status === 'Revoked' ? null : confirming === token.id ? (
                        <span className="fw-inline-confirm">
                          <button
                            type="button"
                            className="usa-button usa-button--secondary margin-right-1"
                            onClick={() => void revoke.run(token)}
                            disabled={revoke.pending}
                          >
                            Yes, revoke<span className="usa-sr-only"> token {token.name}</span>
                          </button>
                          <button type="button" className="usa-button usa-button--unstyled" onClick={() => setConfirming(undefined)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button type="button" className="usa-button usa-button--outline" onClick={() => setConfirming(token.id)}>
                          Revoke<span className="usa-sr-only"> token {token.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}

      <h3 id="create-token-heading">Create a token</h3>
      <ProblemAlert error={create.error} />
      <form className="usa-form" onSubmit={onCreate} aria-labelledby="create-token-heading">
        <TextField
          id="token-name"
          name="name"
          label="Token name"
          hint="What the token is for, such as “SBOM upload script”."
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(create.error, 'name')}
        />
        <TextField
          id="token-expiry"
          name="expiresInDays"
          label="Expires after (days, optional)"
          hint="1 to 365. Leave empty for a token that does not expire."
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          className="usa-input--small"
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={fieldError(create.error, 'expiresInDays')}
        />
        <button className="usa-button" type="submit" disabled={create.pending}>
          Create token
        </button>
      </form>
    </section>
  );
}
