// The reviewer's filing form: a finding against a model on one of the reviewer's open windows.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { FINDING_KIND_LABELS, RATINGS, type BoardSummary, type Finding } from './types.ts';

function lines(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))];
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function FileFinding() {
  usePageTitle('File a finding');
  useReportClassification({ classification: 'CUI' });
  const navigate = useNavigate();
  const boards = useResource<{ items: BoardSummary[] }>('/assessments');
  const [modelId, setModelId] = useState('');
  const [kind, setKind] = useState('safeguard_bypass');
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [cvssVector, setCvssVector] = useState('');
  const [rating, setRating] = useState('');
  const [cwe, setCwe] = useState('');
  const [products, setProducts] = useState('');
  const [transcripts, setTranscripts] = useState('');
  const [marking, setMarking] = useState('CUI');
  const [file, setFile] = useState<File | null>(null);
  const file_ = useAction(async () => {
    const body: Record<string, unknown> = { modelId, kind, title, summary, products: lines(products), transcriptIds: lines(transcripts), marking };
    if (cvssVector.trim()) body.cvssVector = cvssVector.trim();
    if (rating) body.rating = rating;
    if (cwe.trim()) body.cwe = cwe.trim();
    const f = await api<Finding>('/findings', { method: 'POST', body });
    if (file) await api(`/findings/${f.id}/evidence`, { method: 'POST', body: { filename: file.name, mediaType: file.type || 'application/octet-stream', contentBase64: await toBase64(file) } });
    navigate(`/findings/${f.id}`);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void file_.run();
  }
  const windows = boards.data?.items ?? [];
  const err = (p: string) => fieldError(file_.error, p);
  return (
    <>
      <h1>File a finding</h1>
      <p className="usa-intro">Against a model on a review window your organisation holds a grant on. A finding is information for the developer, never a condition on its release.</p>
      {boards.loading && !boards.data ? <Loading /> : null}
      <ProblemAlert error={boards.error ?? file_.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-label="File a finding">
        <SelectField id="finding-model" label="Model" required value={modelId} onChange={(e) => setModelId(e.target.value)} error={err('modelId')}>
          <option value="">- Select -</option>
          {windows.map((b) => (
            <option key={b.window.id} value={b.window.modelId}>
              {b.window.modelName} {b.window.modelVersion} ({b.window.developerOrgName})
            </option>
          ))}
        </SelectField>
        <SelectField id="finding-kind" label="Kind" required value={kind} onChange={(e) => setKind(e.target.value)} error={err('kind')}>
          {Object.entries(FINDING_KIND_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField id="finding-title" label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} error={err('title')} />
        <TextAreaField id="finding-summary" label="What you found and how to reproduce it" required maxLength={20000} value={summary} onChange={(e) => setSummary(e.target.value)} error={err('summary')} />
        <TextField
          id="finding-cvss"
          label="CVSS vector"
          hint="CVSS 3.1 or 4.0, for example CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. The rating follows from its score."
          maxLength={300}
          value={cvssVector}
          onChange={(e) => setCvssVector(e.target.value)}
          error={err('cvssVector')}
        />
        <SelectField id="finding-rating" label="Qualitative rating" hint="Required when there is no CVSS vector." value={rating} onChange={(e) => setRating(e.target.value)} error={err('rating')}>
          <option value="">- From the vector -</option>
          {RATINGS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField id="finding-cwe" label="Weakness (CWE)" hint="For example CWE-79, where one applies." maxLength={20} value={cwe} onChange={(e) => setCwe(e.target.value)} error={err('cwe')} />
        <TextAreaField
          id="finding-products"
          label="Affected products"
          hint="One per line: a package-url (pkg:npm/name@1.2.3) or a CPE 2.3 name (cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*)."
          value={products}
          onChange={(e) => setProducts(e.target.value)}
          error={err('products')}
        />
        <TextAreaField id="finding-transcripts" label="Gateway transcripts" hint="Ids of gateway requests that reproduce it, one per line." value={transcripts} onChange={(e) => setTranscripts(e.target.value)} error={err('transcriptIds')} />
        <TextField id="finding-marking" label="Marking" hint="CUI unless it must be higher, for example SECRET. The developer can be shown only CUI findings." maxLength={60} value={marking} onChange={(e) => setMarking(e.target.value)} error={err('marking')} />
        <div className="usa-form-group">
          <label className="usa-label" htmlFor="finding-file">
            Reproduction file (optional)
          </label>
          <div className="usa-hint" id="finding-file-hint">
            At most 2 MiB; stored encrypted.
          </div>
          <input id="finding-file" className="usa-file-input" type="file" aria-describedby="finding-file-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <button className="usa-button margin-top-2" type="submit" disabled={file_.pending || !modelId}>
          File the finding
        </button>
      </form>
    </>
  );
}
