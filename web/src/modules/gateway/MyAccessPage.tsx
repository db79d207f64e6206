// A reviewer's gateway access: the review-window access of its organisation turned into a key of
// its own (shown once), and the keys it holds.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { KeysTable } from './KeysTable.tsx';
import { pageMarking, type GatewayKey, type IssuedKey, type RecordMarking } from './types.ts';

interface WindowGrant {
  id: string;
  granteeOrgId: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

interface SharedWindow {
  id: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  developerOrgName: string | null;
  status: string;
  closesAt: string;
  grants: WindowGrant[];
  marking: RecordMarking;
}

interface RunnableGrant {
  grantId: string;
  modelName: string;
  expiresAt: string | null;
  closesAt: string;
}

interface Access {
  grantId: string;
  modelName: string;
  developer: string;
  until: string;
}

/** "2026-07-01T12:00" from a datetime-local input → ISO, or the text for the server to refuse. */
function localToIso(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function IssueKeyForm({ access, onIssued, onCancel }: { access: Access; onIssued: (k: IssuedKey) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const issue = useAction(async () => {
    const k = await api<IssuedKey>('/gateway/keys', { method: 'POST', body: { grantId: access.grantId, name: name.trim(), ...(expiresAt ? { expiresAt: localToIso(expiresAt) } : {}) } });
    onIssued(k);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void issue.run();
  }
  return (
    <form className="usa-form fw-panel" onSubmit={onSubmit} aria-labelledby="issue-heading" data-testid="issue-form">
      <h3 id="issue-heading" className="margin-top-0">
        Issue a key for {access.modelName}
      </h3>
      <ProblemAlert error={issue.error} />
      <TextField id="key-name" label="Key name" hint="So you recognise it later, for example “evaluation laptop”." required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={fieldError(issue.error, 'name')} />
      <TextField
        id="key-expires"
        type="datetime-local"
        label="Expires (optional)"
        hint={`Your local time. At the latest, and by default, when your access ends (${formatDateTime(access.until)}).`}
        value={expiresAt}
        onChange={(e) => setExpiresAt(e.target.value)}
        error={fieldError(issue.error, 'expiresAt')}
      />
      <ul className="usa-button-group margin-top-2">
        <li className="usa-button-group__item">
          <button className="usa-button" type="submit" disabled={issue.pending || !name.trim()}>
            Issue key
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

function IssuedKeyNotice({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // The key appears once: take the reader straight to it.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1}>
    <Notice type="warning" heading="Copy your key now: it is shown only once" headingLevel="h3" testId="issued-key">
      <p>
        Forewarn keeps only a fingerprint of this key. If you lose it, revoke it and issue another. It works for {issued.modelName} until {formatDateTime(issued.expiresAt)}, and
        every request you make with it is recorded.
      </p>
      <CopyField id="issued-key-value" label="Gateway key" value={issued.key} />
      <CopyField id="issued-key-base" label="Base URL for OpenAI-compatible clients" value={issued.baseUrl} />
      <p>
        Name the model <strong className="fw-mono" data-testid="issued-key-model">{issued.modelName}</strong> in your requests, for example:
      </p>
      <pre className="fw-pre" data-testid="issued-key-example">
        {`curl ${issued.baseUrl}/chat/completions \\\n  -H "Authorization: Bearer $FOREWARN_KEY" -H "Content-Type: application/json" \\\n  -d '${JSON.stringify({ model: issued.modelName, messages: [{ role: 'user', content: 'Hello' }] })}'`}
      </pre>
      <button className="usa-button" type="button" onClick={onDone}>
        I have copied the key
      </button>
    </Notice>
    </div>
  );
}

export function MyAccessPage() {
  usePageTitle('Gateway access');
  const me = useMe();
  const canListWindows = me.abilities.includes('models:read');
  const windows = useResource<{ items: SharedWindow[] }>(canListWindows ? '/windows' : null);
  // Without the review-window list (trusted partners), the evaluation harness lists the access held.
  const runnable = useResource<{ items: RunnableGrant[] }>(!canListWindows && me.abilities.includes('evaluations:run') ? '/evaluations/grants' : null);
  const keys = useResource<{ items: GatewayKey[] }>('/gateway/keys');
  const [chosen, setChosen] = useState<Access | null>(null);
  const [issued, setIssued] = useState<IssuedKey | null>(null);

  const open = (windows.data?.items ?? []).filter((w) => w.status === 'open');
  const fromWindows: Access[] = open.flatMap((w) =>
    w.grants
      .filter((g) => g.granteeOrgId === me.organisation.id && g.active && !g.revokedAt)
      .map((g) => ({
        grantId: g.id,
        modelName: `${w.modelName} ${w.modelVersion}`,
        developer: w.developerOrgName ?? 'Unknown developer',
        until: g.expiresAt && new Date(g.expiresAt) < new Date(w.closesAt) ? g.expiresAt : w.closesAt,
      })),
  );
  const access: Access[] = canListWindows
    ? fromWindows
    : (runnable.data?.items ?? []).map((g) => ({ grantId: g.grantId, modelName: g.modelName, developer: '—', until: g.expiresAt && g.expiresAt < g.closesAt ? g.expiresAt : g.closesAt }));
  const listed = canListWindows ? windows : runnable;
  useReportClassification(windows.data || keys.data ? [{ classification: 'UNCLASSIFIED' }, ...open.map((w) => pageMarking(w.marking))] : null);

  return (
    <>
      <h1>Gateway access</h1>
      <p className="usa-intro">
        Use a model under review through the Forewarn gateway, with any OpenAI-compatible client: issue a key under your agency’s access, point the client at the gateway,
        and your requests stay within the access the developer gave.
      </p>
      <p>
        <Link className="usa-link" to="/gateway/transcripts">
          Your transcripts
        </Link>
      </p>

      <section aria-labelledby="access-heading" className="fw-section">
        <h2 id="access-heading">Access you can use</h2>
        <ProblemAlert error={listed.error} />
        {listed.loading && !listed.data ? <Loading /> : null}
        {listed.data && access.length === 0 ? <p data-testid="no-access">Your organisation has no access through an open review window now.</p> : null}
        {access.length > 0 ? (
          <ScrollTable captionId="my-access-caption">
            <table className="usa-table usa-table--borderless" data-testid="my-access">
              <caption id="my-access-caption">Models your organisation may use now</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Developer</th>
                  <th scope="col">Access until</th>
                  <th scope="col">
                    <span className="usa-sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {access.map((a) => (
                  <tr key={a.grantId}>
                    <th scope="row">{a.modelName}</th>
                    <td>{a.developer}</td>
                    <td>{formatDateTime(a.until)}</td>
                    <td>
                      <button
                        className="usa-button usa-button--unstyled"
                        type="button"
                        aria-expanded={chosen?.grantId === a.grantId}
                        onClick={() => {
                          setIssued(null);
                          setChosen(chosen?.grantId === a.grantId ? null : a);
                        }}
                      >
                        Issue a key<span className="usa-sr-only"> for {a.modelName}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        ) : null}
        {chosen && !issued ? (
          <IssueKeyForm
            key={chosen.grantId}
            access={chosen}
            onCancel={() => setChosen(null)}
            onIssued={(k) => {
              setIssued(k);
              setChosen(null);
              keys.reload();
            }}
          />
        ) : null}
        {issued ? <IssuedKeyNotice issued={issued} onDone={() => setIssued(null)} /> : null}
      </section>

      <section aria-labelledby="keys-heading" className="fw-section" data-testid="my-keys-section">
        <h2 id="keys-heading">Your keys</h2>
        <ProblemAlert error={keys.error} />
        {keys.loading && !keys.data ? <Loading /> : null}
        {keys.data ? <KeysTable keys={keys.data.items} view="holder" caption="Your gateway keys (the keys themselves are never shown again)" onChanged={keys.reload} /> : null}
      </section>
    </>
  );
}
