// Advisories: the public list of published TLP:CLEAR advisories (signed out it reads the CSAF
// trusted-provider directory; signed in, everything the organisation may receive), one advisory with
// its signed documents, and the publishers' drafting list.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useSession } from '../../session.tsx';
import { TLP_LABELS, type Advisory, type AdvisoryListItem, type Tlp } from './coordination-types.ts';

const TLP_COLOURS: Record<Tlp, string> = { CLEAR: '#ffffff', GREEN: '#33ff00', AMBER: '#ffc000', 'AMBER+STRICT': '#ffc000', RED: '#ff2b2b' };

export function TlpTag({ tlp }: { tlp: Tlp }) {
  return (
    <span className="usa-tag text-bold" style={{ backgroundColor: '#000000', color: TLP_COLOURS[tlp] }} data-testid="tlp">
      TLP:{tlp}
    </span>
  );
}

const markingOf = (items: { tlp: Tlp; status: string }[]) => ({ classification: items.some((a) => a.tlp !== 'CLEAR' || a.status === 'draft') ? ('CUI' as const) : ('UNCLASSIFIED' as const) });

/** TLP:CLEAR advisories for anyone: the tracking ids from changes.csv, then each advisory. */
async function publicAdvisories(signal: AbortSignal): Promise<AdvisoryListItem[]> {
  const res = await fetch('/.well-known/csaf/clear/changes.csv', { signal });
  if (!res.ok) throw new ApiError({ type: 'about:blank', title: 'The advisory directory could not be read', status: res.status });
  const ids = (await res.text())
    .split('\n')
    .map((line) => /"\d{4}\/([a-z0-9_+-]+)\.json"/.exec(line)?.[1]?.toUpperCase())
    .filter((id): id is string => !!id && /^FWN-\d{4}-\d{4,6}$/.test(id))
    .slice(0, 50);
  const found = await Promise.all(ids.map((id) => api<Advisory>(`/clearinghouse/advisories/${id}`, { signal, quiet401: true }).catch(() => null)));
  return found.filter((a): a is Advisory => a !== null);
}

function AdvisoryTable({ items, caption }: { items: AdvisoryListItem[]; caption: string }) {
  return (
    <ScrollTable captionId="advisories-caption">
      <table className="usa-table usa-table--borderless" data-testid="advisories">
        <caption id="advisories-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Advisory</th>
            <th scope="col">Title</th>
            <th scope="col">Severity</th>
            <th scope="col">TLP</th>
            <th scope="col">Status</th>
            <th scope="col">Released</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <th scope="row" className="text-no-wrap">
                <Link className="usa-link" to={`/advisories/${a.trackingId ?? a.id}`}>
                  {a.trackingId ?? 'Draft'}
                </Link>
              </th>
              <td>{a.title}</td>
              <td>{a.severity ?? '—'}</td>
              <td>
                <TlpTag tlp={a.tlp} />
              </td>
              <td>{a.status}</td>
              <td>{formatDateTime(a.currentReleaseAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function PublicAdvisories() {
  usePageTitle('Security advisories');
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  const [items, setItems] = useState<AdvisoryListItem[]>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (state.status === 'loading') return;
    const controller = new AbortController();
    setError(undefined);
    const load = signedIn ? api<{ items: AdvisoryListItem[] }>('/clearinghouse/advisories', { signal: controller.signal }).then((r) => r.items.filter((a) => a.status !== 'draft')) : publicAdvisories(controller.signal);
    load.then(setItems).catch((e: unknown) => {
      if (controller.signal.aborted) return;
      setError(e instanceof ApiError ? e : new ApiError({ type: 'about:blank', title: 'The advisories could not be loaded', status: 0 }));
    });
    return () => controller.abort();
  }, [state.status, signedIn]);
  useReportClassification(items ? markingOf(items) : null);
  return (
    <>
      <h1>Security advisories</h1>
      <p className="usa-intro">
        Vulnerabilities validated by Treasury’s AI cybersecurity clearinghouse and coordinated with their vendors, published as signed CSAF 2.0 and OSV documents.
        {signedIn ? ' You see the public (TLP:CLEAR) advisories and those shared with your organisation.' : ' These are the public (TLP:CLEAR) advisories.'}
      </p>
      <p>
        Machine-readable:{' '}
        <a className="usa-link" href="/.well-known/csaf/provider-metadata.json">
          CSAF provider metadata
        </a>
        .
      </p>
      <ProblemAlert error={error} />
      {!items && !error ? <Loading /> : null}
      {items && items.length === 0 ? <p data-testid="advisories-empty">No advisories published yet.</p> : null}
      {items && items.length > 0 ? <AdvisoryTable items={items} caption={signedIn ? 'Advisories you may receive' : 'Public advisories'} /> : null}
    </>
  );
}

function PublisherControls({ a, onDone }: { a: Advisory; onDone: (a: Advisory) => void }) {
  const [csafStatus, setCsafStatus] = useState('final');
  const [text, setText] = useState('');
  const publish = useAction(async () => onDone(await api<Advisory>(`/clearinghouse/advisories/${a.id}/publish`, { method: 'POST', body: { csafStatus } })));
  const revise = useAction(async () => {
    onDone(await api<Advisory>(`/clearinghouse/advisories/${a.id}/revisions`, { method: 'POST', body: { summary: text.trim(), changes: {} } }));
    setText('');
  });
  const withdraw = useAction(async () => {
    onDone(await api<Advisory>(`/clearinghouse/advisories/${a.id}/withdraw`, { method: 'POST', body: { reason: text.trim() } }));
    setText('');
  });
  if (a.status === 'withdrawn') return null;
  if (a.status === 'draft')
    return (
      <section aria-labelledby="publish-heading" className="margin-top-4">
        <h2 id="publish-heading">Publish</h2>
        <p>Publishing allocates the tracking id, signs the documents and marks the vulnerability published. It is refused while the coordination embargo is in force.</p>
        <ProblemAlert error={publish.error} />
        <form
          className="usa-form"
          aria-labelledby="publish-heading"
          onSubmit={(e: FormEvent<HTMLFormElement>) => {
            e.preventDefault();
            void publish.run();
          }}
        >
          <SelectField id="publish-csaf-status" label="CSAF document status" value={csafStatus} onChange={(e) => setCsafStatus(e.target.value)}>
            <option value="final">Final</option>
            <option value="interim">Interim (more information expected)</option>
          </SelectField>
          <button className="usa-button margin-top-2" type="submit" disabled={publish.pending}>
            Publish the advisory
          </button>
        </form>
      </section>
    );
  return (
    <section aria-labelledby="revise-heading" className="margin-top-4">
      <h2 id="revise-heading">Revise or withdraw</h2>
      <ProblemAlert error={revise.error ?? withdraw.error} />
      <form className="usa-form usa-form--large" aria-labelledby="revise-heading" onSubmit={(e) => e.preventDefault()}>
        <TextAreaField
          id="revise-text"
          label="What changed, or why it is withdrawn"
          hint="A revision re-generates and re-signs the documents with vendors’ latest statements."
          required
          maxLength={1000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={fieldError(revise.error, 'summary') ?? fieldError(withdraw.error, 'reason')}
        />
        <div className="margin-top-2">
          <button className="usa-button" type="button" disabled={revise.pending || !text.trim()} onClick={() => void revise.run()}>
            Publish a revision
          </button>
          <button className="usa-button usa-button--secondary" type="button" disabled={withdraw.pending || !text.trim()} onClick={() => void withdraw.run()}>
            Withdraw the advisory
          </button>
        </div>
      </form>
    </section>
  );
}

export function AdvisoryPage() {
  const { ref = '' } = useParams();
  const { me } = useSession();
  const res = useResource<Advisory>(`/clearinghouse/advisories/${encodeURIComponent(ref)}`);
  const [a, setA] = useState<Advisory>();
  useEffect(() => setA(res.data), [res.data]);
  usePageTitle(a ? `${a.trackingId ?? 'Draft'}: ${a.title}` : 'Advisory');
  useReportClassification(a ? markingOf([a]) : null);
  if (res.loading && !a) return <Loading />;
  if (!a)
    return (
      <>
        <h1>Advisory</h1>
        <ProblemAlert error={res.error} />
      </>
    );
  const publisher = a.fields !== undefined && (me?.abilities.includes('advisories:publish') ?? false);
  return (
    <>
      <h1>{a.title}</h1>
      <p>
        <Link className="usa-link" to="/advisories">
          All advisories
        </Link>
        {publisher && a.vulnerabilityId ? (
          <>
            {' · '}
            <Link className="usa-link" to={`/clearinghouse/vulnerabilities/${a.vulnerabilityId}`}>
              The vulnerability
            </Link>
          </>
        ) : null}
      </p>
      {a.status === 'withdrawn' ? (
        <Notice type="warning" slim>
          <p className="margin-0">This advisory was withdrawn.</p>
        </Notice>
      ) : null}
      {a.tlp !== 'CLEAR' ? (
        <Notice type="info" slim>
          <p className="margin-0">
            <strong>TLP:{a.tlp}</strong>: share only within the audience this label allows (FIRST TLP 2.0).
          </p>
        </Notice>
      ) : null}
      <dl className="fw-summary" data-testid="advisory-summary">
        <dt>Tracking id</dt>
        <dd data-testid="tracking-id">{a.trackingId ?? 'Not published yet'}</dd>
        <dt>Traffic Light Protocol</dt>
        <dd>
          <TlpTag tlp={a.tlp} />
        </dd>
        <dt>Status</dt>
        <dd data-testid="advisory-status">
          {a.status}
          {a.status !== 'draft' ? ` (CSAF ${a.csafStatus}, revision ${a.currentRevision})` : ''}
        </dd>
        <dt>Severity</dt>
        <dd>{a.severity ?? '—'}</dd>
        <dt>First released</dt>
        <dd>{formatDateTime(a.initialReleaseAt)}</dd>
        <dt>Current release</dt>
        <dd>{formatDateTime(a.currentReleaseAt)}</dd>
      </dl>
      <h2>Summary</h2>
      <p style={{ whiteSpace: 'pre-wrap' }}>{a.summary}</p>
      {a.documents.length ? (
        <>
          <h2>Documents</h2>
          <ul className="usa-list" data-testid="advisory-documents">
            {a.documents.map((d) => (
              <li key={d.name}>
                <a className="usa-link" href={d.href}>
                  {d.name}
                </a>
              </li>
            ))}
            {a.distributionUrl ? (
              <li>
                <a className="usa-link" href={a.distributionUrl}>
                  CSAF trusted-provider copy
                </a>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      {a.revisions.length ? (
        <ScrollTable captionId="revisions-caption">
          <table className="usa-table usa-table--borderless" data-testid="revisions">
            <caption id="revisions-caption">Revision history</caption>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Date</th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              {a.revisions.map((r) => (
                <tr key={r.number}>
                  <th scope="row">{r.number}</th>
                  <td>{formatDateTime(r.date)}</td>
                  <td>{r.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {publisher ? <PublisherControls key={`${a.status}-${a.currentRevision}`} a={a} onDone={setA} /> : null}
    </>
  );
}

export function ManageAdvisories() {
  usePageTitle('Publish advisories');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [status, setStatus] = useState('');
  const list = useResource<{ items: AdvisoryListItem[] }>('/clearinghouse/advisories', { status });
  const [vulnerabilityId, setVulnerabilityId] = useState(params.get('vulnerability') ?? '');
  const [tlp, setTlp] = useState<string>('CLEAR');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [description, setDescription] = useState('');
  const [cve, setCve] = useState('');
  const draft = useAction(async () => {
    const a = await api<Advisory>('/clearinghouse/advisories', {
      method: 'POST',
      body: { vulnerabilityId: vulnerabilityId.trim(), tlp, title: title.trim(), summary, description, ...(cve.trim() ? { cve: cve.trim() } : {}) },
    });
    navigate(`/advisories/${a.id}`);
  });
  const items = list.data?.items ?? [];
  useReportClassification({ classification: 'CUI' });
  const err = (p: string) => fieldError(draft.error, p);
  return (
    <>
      <h1>Publish advisories</h1>
      <p className="usa-intro">Draft the advisory of a validated or coordinated vulnerability; products, statuses, fixes and scores come from the vulnerability and the vendors’ statements.</p>
      <form className="usa-form" aria-label="Filter the advisories" onSubmit={(e) => e.preventDefault()}>
        <SelectField id="advisories-status" label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All</option>
          <option value="draft">Drafts</option>
          <option value="published">Published</option>
          <option value="withdrawn">Withdrawn</option>
        </SelectField>
      </form>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <p>No advisories match.</p> : null}
      {items.length > 0 ? <AdvisoryTable items={items} caption="Advisories" /> : null}
      <h2 id="draft-heading">Draft an advisory</h2>
      <ProblemAlert error={draft.error} />
      <form
        className="usa-form usa-form--large"
        aria-labelledby="draft-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void draft.run();
        }}
      >
        <TextField id="draft-vulnerability" label="Vulnerability id" required maxLength={36} value={vulnerabilityId} onChange={(e) => setVulnerabilityId(e.target.value)} error={err('vulnerabilityId')} />
        <SelectField id="draft-tlp" label="Traffic Light Protocol" hint="TLP:CLEAR advisories are public; the others reach only their audience." value={tlp} onChange={(e) => setTlp(e.target.value)} error={err('tlp')}>
          {TLP_LABELS.map((t) => (
            <option key={t} value={t}>
              TLP:{t}
            </option>
          ))}
        </SelectField>
        <TextField id="draft-title" label="Title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} error={err('title')} />
        <TextAreaField id="draft-summary" label="Summary" required maxLength={10000} value={summary} onChange={(e) => setSummary(e.target.value)} error={err('summary')} />
        <TextAreaField id="draft-description" label="Description" required maxLength={20000} value={description} onChange={(e) => setDescription(e.target.value)} error={err('description')} />
        <TextField id="draft-cve" label="CVE (optional)" hint="For example CVE-2026-12345." maxLength={30} value={cve} onChange={(e) => setCve(e.target.value)} error={err('cve')} />
        <button className="usa-button margin-top-2" type="submit" disabled={draft.pending || !vulnerabilityId.trim() || !title.trim() || !summary.trim() || !description.trim()}>
          Save the draft
        </button>
      </form>
    </>
  );
}
