// Add a document to a model's disclosure package: the file is read in the browser and sent as base64.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import { CheckboxField, fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useAction } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { classificationRank } from '../../classification.tsx';
import { DOCUMENT_KINDS, formatBytes, MAX_DOCUMENT_BYTES, type ModelDocument } from './types.ts';

const LEVELS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL'] as const;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

export function DocumentUpload({ modelId, onUploaded }: { modelId: string; onUploaded: () => void }) {
  const me = useMe();
  const allowed = LEVELS.filter((l) => classificationRank(l) <= classificationRank(me.session.effectiveClearance));
  const [kind, setKind] = useState('architecture');
  const [title, setTitle] = useState('');
  const [classification, setClassification] = useState<string>('CUI');
  const [propin, setPropin] = useState(true);
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<string>();
  const fileRef = useRef<HTMLInputElement>(null);

  const upload = useAction(async () => {
    if (!file) throw new ApiError({ type: 'about:blank', title: 'Choose a file', status: 400, errors: [{ path: 'file', message: 'choose a file to upload' }] });
    if (file.size > MAX_DOCUMENT_BYTES) {
      throw new ApiError({ type: 'about:blank', title: 'The file is too large', status: 400, errors: [{ path: 'file', message: `at most ${formatBytes(MAX_DOCUMENT_BYTES)}` }] });
    }
    const contentBase64 = await readAsBase64(file);
    const doc = await api<ModelDocument>(`/models/${modelId}/documents`, {
      method: 'POST',
      body: {
        kind,
        title: title.trim(),
        filename: file.name,
        mediaType: file.type || 'application/octet-stream',
        contentBase64,
        marking: { classification },
        ...(propin ? { caveat: 'PROPIN' } : {}),
      },
    });
    setDone(doc.title);
    setTitle('');
    setFile(null);
    if (fileRef.current) fileRef.current.value = '';
    onUploaded();
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(undefined);
    void upload.run();
  }

  return (
    <section aria-labelledby="upload-heading" className="fw-section">
      <h2 id="upload-heading">Add a document</h2>
      <ProblemAlert error={upload.error} />
      <div aria-live="polite">{done ? <p data-testid="upload-done">Added &ldquo;{done}&rdquo;. It is shared with no agency until you choose.</p> : null}</div>
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="upload-heading">
        <SelectField id="doc-kind" label="Kind" required value={kind} onChange={(e) => setKind(e.target.value)} error={fieldError(upload.error, 'kind')}>
          {DOCUMENT_KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField id="doc-title" label="Title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} error={fieldError(upload.error, 'title')} />
        <div className={`usa-form-group${fieldError(upload.error, 'file') || fieldError(upload.error, 'contentBase64') ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="doc-file">
            File
          </label>
          <div className="usa-hint" id="doc-file-hint">
            At most {formatBytes(MAX_DOCUMENT_BYTES)}. Encrypted at rest.
          </div>
          {fieldError(upload.error, 'file') || fieldError(upload.error, 'contentBase64') ? (
            <span className="usa-error-message" id="doc-file-error">
              {fieldError(upload.error, 'file') ?? fieldError(upload.error, 'contentBase64')}
            </span>
          ) : null}
          <input ref={fileRef} id="doc-file" name="file" type="file" className="usa-input" aria-describedby="doc-file-hint" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <SelectField id="doc-classification" label="Marking" hint="Not above your own clearance." required value={classification} onChange={(e) => setClassification(e.target.value)} error={fieldError(upload.error, 'marking')}>
          {allowed.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </SelectField>
        <CheckboxField id="doc-propin" label="Proprietary information (PROPIN)" checked={propin} onChange={(e) => setPropin(e.target.checked)} />
        <button className="usa-button margin-top-2" type="submit" disabled={upload.pending}>
          {upload.pending ? 'Uploading…' : 'Upload document'}
        </button>
      </form>
    </section>
  );
}
