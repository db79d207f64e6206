// Gateway keys (never their secrets), with a revoke button that asks first. The developer sees every
// key on its model; a reviewer sees its own.
import { useState } from 'react';
import { api } from '../../api.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { formatCount, keyState, type GatewayKey } from './types.ts';

export function KeysTable({ keys, view, caption, onChanged }: { keys: GatewayKey[]; view: 'developer' | 'holder'; caption: string; onChanged: () => void }) {
  const [confirming, setConfirming] = useState<GatewayKey | null>(null);
  const [done, setDone] = useState('');
  const revoke = useAction(async (k: GatewayKey) => {
    await api(`/gateway/keys/${k.id}/revoke`, { method: 'POST' });
    setConfirming(null);
    setDone(`Key ${k.prefix}… (${k.name}) is revoked: its next request is refused.`);
    onChanged();
  });
  const showLimits = keys.some((k) => k.requestsPerMinute !== undefined || k.tokenQuota !== undefined);
  const captionId = `${view}-keys-caption`;
  return (
    <>
      <p role="status" aria-live="polite" className="margin-y-1" data-testid="revoke-status">
        {done}
      </p>
      {keys.length === 0 ? (
        <p data-testid="no-keys">{view === 'developer' ? 'No key has been issued for this model.' : 'You have no gateway keys.'}</p>
      ) : (
        <ScrollTable captionId={captionId}>
          <table className="usa-table usa-table--borderless" data-testid={`${view}-keys`}>
            <caption id={captionId}>{caption}</caption>
            <thead>
              <tr>
                {view === 'developer' ? <th scope="col">Holder</th> : <th scope="col">Model</th>}
                <th scope="col">Name</th>
                <th scope="col">Key begins</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                {showLimits ? (
                  <>
                    <th scope="col">Requests per minute</th>
                    <th scope="col">Token quota</th>
                  </>
                ) : null}
                <th scope="col">State</th>
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const state = keyState(k);
                return (
                  <tr key={k.id} data-key-id={k.id}>
                    <th scope="row">{view === 'developer' ? `${k.userEmail ?? 'Unknown user'} (${k.orgName ?? 'unknown organisation'})` : k.modelName}</th>
                    <td>{k.name}</td>
                    <td className="fw-mono">{k.prefix}…</td>
                    <td>{formatDateTime(k.createdAt)}</td>
                    <td>{formatDateTime(k.expiresAt)}</td>
                    {showLimits ? (
                      <>
                        <td>{k.requestsPerMinute === null ? 'No limit' : formatCount(k.requestsPerMinute)}</td>
                        <td>{k.tokenQuota === null ? 'No quota' : formatCount(k.tokenQuota)}</td>
                      </>
                    ) : null}
                    <td data-testid="key-state">{state === 'Revoked' ? `Revoked ${formatDateTime(k.revokedAt)}` : state}</td>
                    <td>
                      {state === 'Active' ? (
                        <button className="usa-button usa-button--secondary usa-button--unstyled" type="button" onClick={() => setConfirming(k)}>
                          Revoke<span className="usa-sr-only"> key {k.prefix} ({k.name})</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <ConfirmDialog
        open={confirming !== null}
        heading="Revoke this key?"
        confirmLabel="Yes, revoke the key"
        pending={revoke.pending}
        onConfirm={() => confirming && void revoke.run(confirming)}
        onCancel={() => {
          setConfirming(null);
          revoke.reset();
        }}
      >
        {confirming ? (
          <p>
            {view === 'developer' ? `${confirming.userEmail ?? 'The holder'} loses` : 'You lose'} access to {confirming.modelName} with the key beginning{' '}
            <span className="fw-mono">{confirming.prefix}</span> at once: the next request is refused and open streams are cut within a second. This cannot be undone.
          </p>
        ) : null}
        <ProblemAlert error={revoke.error} />
      </ConfirmDialog>
    </>
  );
}
