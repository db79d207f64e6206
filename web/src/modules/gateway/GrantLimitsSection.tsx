// The model's review-window grants as gateway access: who may use the model, until when, how much they
// used, and the limits the developer sets (requests per minute, token quota; empty = none).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api.ts';
import { fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import type { Resource } from '../../hooks.ts';
import { formatCount, type GatewayGrant } from './types.ts';

function limitValue(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'invalid';
  const n = Number(t);
  return n >= 1 ? n : 'invalid';
}

function LimitsForm({ grant, onSaved, onCancel }: { grant: GatewayGrant; onSaved: (message: string) => void; onCancel: () => void }) {
  const [rpm, setRpm] = useState(grant.requestsPerMinute === null ? '' : String(grant.requestsPerMinute));
  const [quota, setQuota] = useState(grant.tokenQuota === null ? '' : String(grant.tokenQuota));
  const [local, setLocal] = useState<{ rpm?: string; quota?: string }>({});
  const who = grant.granteeOrgName ?? 'this grantee';
  const save = useAction(async () => {
    const requestsPerMinute = limitValue(rpm);
    const tokenQuota = limitValue(quota);
    const problems = {
      rpm: requestsPerMinute === 'invalid' ? 'Enter a whole number of at least 1, or leave empty for no limit.' : undefined,
      quota: tokenQuota === 'invalid' ? 'Enter a whole number of at least 1, or leave empty for no quota.' : undefined,
    };
    setLocal(problems);
    if (problems.rpm || problems.quota) return;
    await api(`/gateway/grants/${grant.grantId}/limits`, { method: 'PUT', body: { requestsPerMinute, tokenQuota } });
    onSaved(`Limits saved for ${who}.`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void save.run();
  }
  const headingId = `limits-heading-${grant.grantId}`;
  return (
    <form className="usa-form fw-panel" onSubmit={onSubmit} aria-labelledby={headingId} data-testid="limits-form">
      <h3 id={headingId} className="margin-top-0">
        Limits for {who}
      </h3>
      <ProblemAlert error={save.error} />
      <TextField
        id={`limits-rpm-${grant.grantId}`}
        inputMode="numeric"
        label="Requests per minute"
        hint="Empty: no rate limit."
        value={rpm}
        onChange={(e) => setRpm(e.target.value)}
        error={local.rpm ?? fieldError(save.error, 'requestsPerMinute')}
      />
      <TextField
        id={`limits-quota-${grant.grantId}`}
        inputMode="numeric"
        label="Token quota"
        hint={`Prompt and completion tokens over the whole access. ${formatCount(grant.tokensUsed)} used so far. Empty: no quota.`}
        value={quota}
        onChange={(e) => setQuota(e.target.value)}
        error={local.quota ?? fieldError(save.error, 'tokenQuota')}
      />
      <ul className="usa-button-group margin-top-2">
        <li className="usa-button-group__item">
          <button className="usa-button" type="submit" disabled={save.pending}>
            Save limits
          </button>
        </li>
        <li className="usa-button-group__item">
          <button className="usa-button usa-button--outline" type="button" onClick={onCancel}>
            Cancel
          </button>
        </li>
      </ul>
    </form>
  );
}

export function GrantLimitsSection({ grants }: { grants: Resource<{ items: GatewayGrant[] }> }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const items = grants.data?.items ?? [];
  const current = items.find((g) => g.grantId === editing);
  return (
    <section aria-labelledby="access-heading" className="fw-section" data-testid="access-section">
      <h2 id="access-heading">Access through review windows</h2>
      <p>Each agency your review windows give access to may issue gateway keys for its named users, within the limits you set here. Changes apply to the next request.</p>
      <ProblemAlert error={grants.error} />
      {grants.loading && !grants.data ? <Loading /> : null}
      <p role="status" aria-live="polite" className="margin-y-1" data-testid="limits-saved">
        {saved}
      </p>
      {grants.data && items.length === 0 ? <p data-testid="no-grants">No review window gives access to this model. Open one from the model’s review-window page.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="access-caption">
          <table className="usa-table usa-table--borderless" data-testid="gateway-grants">
            <caption id="access-caption">Who may use this model through the gateway</caption>
            <thead>
              <tr>
                <th scope="col">Agency</th>
                <th scope="col">Access until</th>
                <th scope="col">State</th>
                <th scope="col">Requests per minute</th>
                <th scope="col">Token quota</th>
                <th scope="col">Tokens used</th>
                <th scope="col">Keys</th>
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.grantId}>
                  <th scope="row">{g.granteeOrgName ?? 'Unknown'}</th>
                  <td>{formatDateTime(g.expiresAt)}</td>
                  <td>{g.active ? 'Active' : 'Ended'}</td>
                  <td>{g.requestsPerMinute === null ? 'No limit' : formatCount(g.requestsPerMinute)}</td>
                  <td>{g.tokenQuota === null ? 'No quota' : formatCount(g.tokenQuota)}</td>
                  <td>{formatCount(g.tokensUsed)}</td>
                  <td>{g.keys}</td>
                  <td>
                    {g.active ? (
                      <button
                        className="usa-button usa-button--unstyled"
                        type="button"
                        aria-expanded={editing === g.grantId}
                        onClick={() => {
                          setSaved('');
                          setEditing(editing === g.grantId ? null : g.grantId);
                        }}
                      >
                        Change limits<span className="usa-sr-only"> for {g.granteeOrgName}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {current ? (
        <LimitsForm
          key={current.grantId}
          grant={current}
          onCancel={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            setSaved(message);
            grants.reload();
          }}
        />
      ) : null}
    </section>
  );
}
