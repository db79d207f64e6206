// One asset: its current components (paged), SBOM upload with the parser's warnings and problems,
// components added by hand, and the SBOM history.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { fieldError, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { AssetMatches } from './Matches.tsx';
import { sbomFormat, type AssetDetail, type Component, type UploadResult } from './types.ts';

const PAGE = 50;
/** The server refuses more (20 MiB of SBOM); checking here saves uploading it. */
const MAX_SBOM_BYTES = 20 * 1024 * 1024;

function SbomUpload({ assetId, onDone }: { assetId: string; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<UploadResult>();
  const upload = useAction(async () => {
    setResult(undefined);
    const file = input.current?.files?.[0];
    if (!file) throw new ApiError({ type: 'about:blank', title: 'Choose a file', status: 400, detail: 'Choose an SBOM file to upload.' });
    if (file.size > MAX_SBOM_BYTES) throw new ApiError({ type: 'about:blank', title: 'File too large', status: 400, detail: 'An SBOM may be at most 20 MiB.' });
    const document = await file.text();
    const r = await api<UploadResult>(`/inventory/assets/${assetId}/sboms`, { method: 'POST', body: { document } });
    setResult(r);
    if (input.current) input.current.value = '';
    onDone();
  });
  const problems = upload.error?.problem.errors ?? [];
  const detail = upload.error ? (upload.error.problem.detail ?? upload.error.problem.title) : undefined;
  return (
    <section aria-labelledby="upload-h" className="fw-section">
      <h2 id="upload-h">Upload an SBOM</h2>
      <form
        className="usa-form usa-form--large"
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run();
        }}
      >
        <TextField
          ref={input}
          id="sbom-file"
          type="file"
          label="SBOM file"
          hint="CycloneDX 1.4–1.6 (JSON or XML) or SPDX 2.3 (JSON), at most 20 MiB. It replaces the current SBOM; earlier ones stay in the history."
          accept=".json,.xml,.cdx,.spdx,application/json,application/xml,text/xml"
          error={detail}
        />
        {problems.length > 0 ? (
          <ul className="usa-list" data-testid="sbom-problems" aria-label="Problems in the file">
            {problems.map((p, i) => (
              <li key={`${p.path}-${i}`}>
                {p.path ? <code className="fw-mono">{p.path}</code> : 'The document'}: {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        <button className="usa-button" type="submit" disabled={upload.pending}>
          Upload SBOM
        </button>
      </form>
      {result ? (
        <Notice type={result.warnings.length ? 'warning' : 'success'} slim role="status" testId="sbom-uploaded">
          <p className="margin-0">
            SBOM version {result.version} uploaded ({sbomFormat(result.format, result.specVersion)}): {result.componentCount} components.
          </p>
          {result.warnings.length ? (
            <ul className="margin-bottom-0" data-testid="sbom-warnings">
              {result.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
    </section>
  );
}

interface KnownProduct {
  purl: string;
  advisories: number;
}

/** Products the clearinghouse already knows whose package-url contains what was typed (2+ characters). */
function useKnownProducts(typed: string): KnownProduct[] {
  const [items, setItems] = useState<KnownProduct[]>([]);
  useEffect(() => {
    const q = typed.trim().replace(/^pkg:/, '').replace(/@.*$/, '');
    if (q.length < 2) {
      setItems([]);
      return;
    }
    let live = true;
    // A short pause so that typing a package-url does not send a request per key.
    const timer = setTimeout(() => {
      api<{ items: KnownProduct[] }>(`/inventory/known-products?q=${encodeURIComponent(q.slice(0, 200))}&limit=20`)
        .then((r) => live && setItems(r.items))
        .catch(() => live && setItems([]));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [typed]);
  return items;
}

function AddComponentForm({ assetId, onDone }: { assetId: string; onDone: () => void }) {
  const [purl, setPurl] = useState('');
  const known = useKnownProducts(purl);
  const [version, setVersion] = useState('');
  const [cpe, setCpe] = useState('');
  const [added, setAdded] = useState<string>();
  const add = useAction(async () => {
    setAdded(undefined);
    const body = {
      ...(purl.trim() ? { purl: purl.trim() } : {}),
      ...(cpe.trim() ? { cpe: cpe.trim() } : {}),
      ...(version.trim() ? { version: version.trim() } : {}),
    };
    const c = await api<Component>(`/inventory/assets/${assetId}/components`, { method: 'POST', body });
    setAdded(`${c.name}${c.version ? ` ${c.version}` : ''} added.`);
    setPurl('');
    setVersion('');
    setCpe('');
    onDone();
  });
  return (
    <section aria-labelledby="manual-h" className="fw-section">
      <h2 id="manual-h">Add a component by hand</h2>
      <p>For software no SBOM lists. Give a package-url and its version, or a CPE. Components added by hand stay when a new SBOM is uploaded.</p>
      <form
        className="usa-form usa-form--large"
        onSubmit={(e) => {
          e.preventDefault();
          void add.run();
        }}
      >
        <ProblemAlert error={add.error} />
        <TextField
          id="component-purl"
          label="Package-url (optional)"
          hint="Start typing a name to pick a product named in a published advisory, or give a package-url such as pkg:npm/lodash or pkg:pypi/django@4.2.1"
          maxLength={2000}
          list="known-products"
          autoComplete="off"
          value={purl}
          onChange={(e) => setPurl(e.target.value)}
          error={fieldError(add.error, 'purl')}
        />
        <datalist id="known-products" data-testid="known-products">
          {known.map((k) => (
            <option key={k.purl} value={k.purl}>
              {k.advisories === 1 ? 'named in a published advisory' : `named in ${k.advisories} published advisories`}
            </option>
          ))}
        </datalist>
        <TextField id="component-version" label="Version (optional)" maxLength={200} value={version} onChange={(e) => setVersion(e.target.value)} error={fieldError(add.error, 'version')} />
        <TextField id="component-cpe" label="CPE (optional)" hint="For example cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*" maxLength={2000} value={cpe} onChange={(e) => setCpe(e.target.value)} error={fieldError(add.error, 'cpe')} />
        <button className="usa-button" type="submit" disabled={add.pending}>
          Add component
        </button>
      </form>
      {added ? (
        <Notice type="success" slim role="status">
          <p className="margin-0">{added}</p>
        </Notice>
      ) : null}
    </section>
  );
}

function ComponentsTable({ detail, onRemove }: { detail: AssetDetail; onRemove: (c: Component) => void }) {
  const { items } = detail.components;
  if (items.length === 0) return <p>No components yet: upload an SBOM or add one by hand.</p>;
  return (
    <ScrollTable captionId="components-caption">
      <table className="usa-table usa-table--borderless usa-table--striped" data-testid="components">
        <caption id="components-caption">Current components</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Package or CPE</th>
            <th scope="col">Source</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.namespace ? `${c.namespace}/${c.name}` : c.name}</th>
              <td>{c.version ?? '—'}</td>
              <td className="fw-mono">{c.purl ?? c.cpe ?? '—'}</td>
              <td>{c.source === 'sbom' ? 'SBOM' : 'added by hand'}</td>
              <td>
                {c.source === 'manual' ? (
                  <button className="usa-button usa-button--unstyled" type="button" onClick={() => onRemove(c)}>
                    Remove {c.name}
                    {c.version ? ` ${c.version}` : ''}
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function Pager({ total, offset, onOffset }: { total: number; offset: number; onOffset: (o: number) => void }) {
  if (total <= PAGE) return null;
  const last = Math.min(total, offset + PAGE);
  return (
    <nav aria-label="Component pages" className="margin-y-2">
      <p className="margin-y-1" aria-live="polite">
        Components {offset + 1}–{last} of {total}
      </p>
      <button className="usa-button usa-button--outline" type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PAGE))}>
        Previous page
      </button>
      <button className="usa-button usa-button--outline" type="button" disabled={last >= total} onClick={() => onOffset(offset + PAGE)}>
        Next page
      </button>
    </nav>
  );
}

function SbomHistory({ detail }: { detail: AssetDetail }) {
  if (detail.sboms.length === 0) return <p>No SBOM uploaded yet.</p>;
  return (
    <ScrollTable captionId="sboms-caption">
      <table className="usa-table usa-table--borderless" data-testid="sbom-history">
        <caption id="sboms-caption">SBOMs uploaded, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Format</th>
            <th scope="col">Subject</th>
            <th scope="col">Components</th>
            <th scope="col">Warnings</th>
            <th scope="col">Uploaded</th>
          </tr>
        </thead>
        <tbody>
          {[...detail.sboms]
            .sort((a, b) => b.version - a.version)
            .map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.version}
                  {s.current ? ' (current)' : ''}
                </th>
                <td>{sbomFormat(s.format, s.specVersion)}</td>
                <td>{s.subjectName ?? '—'}</td>
                <td>{s.componentCount}</td>
                <td>{s.warnings.length ? s.warnings.join(' ') : 'none'}</td>
                <td>{formatDateTime(s.uploadedAt)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

export function AssetPage() {
  const { id = '' } = useParams();
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useResource<AssetDetail>(`/inventory/assets/${id}`, { limit: PAGE, offset });
  usePageTitle(data ? data.name : 'Asset');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => {
    reload();
    setChanges((n) => n + 1);
  }, [reload]);
  const remove = useAction(async (c: Component) => {
    await api(`/inventory/assets/${id}/components/${c.id}`, { method: 'DELETE' });
    changed();
  });
  return (
    <>
      <p>
        <Link to="/inventory">Inventory</Link>
      </p>
      <h1>{data ? data.name : 'Asset'}</h1>
      <ProblemAlert error={error ?? remove.error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          {data.description ? <p className="usa-intro">{data.description}</p> : null}
          <dl className="fw-summary">
            <dt>Kind</dt>
            <dd>{data.kind}</dd>
            <dt>Current components</dt>
            <dd data-testid="component-count">{data.components.total}</dd>
          </dl>
          <section aria-labelledby="components-h" className="fw-section">
            <h2 id="components-h">Components</h2>
            <ComponentsTable detail={data} onRemove={(c) => void remove.run(c)} />
            <Pager total={data.components.total} offset={offset} onOffset={setOffset} />
          </section>
          <AssetMatches assetId={data.id} refresh={changes} />
          <SbomUpload assetId={data.id} onDone={changed} />
          <AddComponentForm assetId={data.id} onDone={changed} />
          <section aria-labelledby="history-h" className="fw-section">
            <h2 id="history-h">SBOM history</h2>
            <SbomHistory detail={data} />
          </section>
        </>
      ) : null}
    </>
  );
}
