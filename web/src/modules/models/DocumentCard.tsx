// One item of a disclosure package: metadata, download, per-agency sharing, withdrawal.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, apiUrl } from '../../api.ts';
import { CheckboxField } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import { formatBytes, kindLabel, type Agency, type ModelDocument } from './types.ts';

export function DocumentCard({ modelId, doc, agencies, mine, onChanged }: { modelId: string; doc: ModelDocument; agencies: Agency[]; mine: boolean; onChanged: () => void }) {
  const shared = new Set((doc.sharedWith ?? []).map((a) => a.id));
  const [selected, setSelected] = useState<Set<string>>(shared);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const headingId = `doc-${doc.id}-heading`;

  const save = useAction(async () => {
    await api(`/models/${modelId}/documents/${doc.id}/shares`, { method: 'PUT', body: { agencyOrgIds: [...selected] } });
    setSaved(true);
    onChanged();
  });
  const withdraw = useAction(async () => {
    await api(`/models/${modelId}/documents/${doc.id}/withdraw`, { method: 'POST' });
    setConfirming(false);
    onChanged();
  });

  function toggle(id: string, on: boolean) {
    setSaved(false);
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function onShare(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void save.run();
  }

  const active = doc.status === 'active';
  return (
    <li className="usa-card margin-bottom-2" data-testid="document-card">
      <div className="usa-card__container">
        <div className="usa-card__header">
          <h3 className="usa-card__heading" id={headingId}>
            <span className="fw-nowrap">({doc.markingText})</span> {doc.title}
          </h3>
        </div>
        <div className="usa-card__body">
          <dl className="fw-summary">
            <dt>Kind</dt>
            <dd>{kindLabel(doc.kind)}</dd>
            <dt>File</dt>
            <dd>
              {doc.filename} ({doc.mediaType}, {formatBytes(doc.sizeBytes)})
            </dd>
            <dt>SHA-256</dt>
            <dd className="fw-mono">{doc.sha256}</dd>
            <dt>Status</dt>
            <dd>{active ? 'Active' : `Withdrawn ${formatDateTime(doc.withdrawnAt)}`}</dd>
            {doc.inheritedFromId ? (
              <>
                <dt>Inherited</dt>
                <dd>From the previous version</dd>
              </>
            ) : null}
          </dl>
          {active ? (
            <p>
              <a className="usa-link" href={apiUrl(`/models/${modelId}/documents/${doc.id}/content`)} download={doc.filename}>
                Download<span className="usa-sr-only"> {doc.title}</span>
              </a>
            </p>
          ) : null}
          {mine && active ? (
            <>
              <form onSubmit={onShare} className="usa-form" aria-labelledby={headingId}>
                <fieldset className="usa-fieldset">
                  <legend className="usa-legend">Agencies that may read this item</legend>
                  {agencies.map((a) => (
                    <CheckboxField key={a.id} id={`share-${doc.id}-${a.id}`} label={`${a.name}${a.agencyCode ? ` (${a.agencyCode})` : ''}`} checked={selected.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} />
                  ))}
                </fieldset>
                <button className="usa-button usa-button--outline margin-top-1" type="submit" disabled={save.pending}>
                  Save sharing<span className="usa-sr-only"> for {doc.title}</span>
                </button>
              </form>
              <ProblemAlert error={save.error} />
              <div aria-live="polite">
                {saved ? (
                  <Notice type="success" slim>
                    <p className="margin-0">Sharing saved. Agencies removed lost access at once.</p>
                  </Notice>
                ) : null}
              </div>
              <div className="margin-top-2">
                {confirming ? (
                  <>
                    <p>Withdrawing revokes every agency&rsquo;s access and erases the content. It cannot be undone.</p>
                    <button className="usa-button usa-button--secondary" type="button" onClick={() => void withdraw.run()} disabled={withdraw.pending}>
                      Confirm withdrawal<span className="usa-sr-only"> of {doc.title}</span>
                    </button>
                    <button className="usa-button usa-button--unstyled" type="button" onClick={() => setConfirming(false)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <button className="usa-button usa-button--secondary" type="button" onClick={() => setConfirming(true)}>
                    Withdraw<span className="usa-sr-only"> {doc.title}</span>
                  </button>
                )}
                <ProblemAlert error={withdraw.error} />
              </div>
            </>
          ) : null}
        </div>
      </div>
    </li>
  );
}
