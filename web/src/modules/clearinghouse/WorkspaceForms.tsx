// The validation workspace's forms: move, assign, assess, add evidence. Each one sends one API call
// and hands the updated vulnerability back to the page.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useAction, useResource } from '../../hooks.ts';
import type { CaseListItem } from './coordination-types.ts';
import { describeAffected, MOVE_LABELS, movesFor, STATUS_LABELS, type AffectedProduct, type QueueItem, type Vulnerability } from './types.ts';

type Done = (v: Vulnerability) => void;


/** Moves made elsewhere: opening a case (it notifies vendors) and publishing the advisory. */
const MADE_ELSEWHERE = new Set(['coordinating', 'published']);

export function TransitionForm({ v, abilities, onDone }: { v: Vulnerability; abilities: readonly string[]; onDone: Done }) {
  const moves = movesFor(v.status, abilities).filter((m) => !MADE_ELSEWHERE.has(m.to));
  const [to, setTo] = useState(moves[0]?.to ?? '');
  const [reason, setReason] = useState('');
  const [duplicateOf, setDuplicateOf] = useState('');
  const move = moves.find((m) => m.to === to) ?? moves[0];
  const act = useAction(async () => {
    if (!move) return;
    // The duplicate's original is named in the reason, which the history keeps.
    const text = move.to === 'duplicate' && duplicateOf ? `Duplicate of ${duplicateOf}. ${reason.trim()}`.trim() : reason.trim();
    onDone(await api<Vulnerability>(`/clearinghouse/vulnerabilities/${v.id}/transition`, { method: 'POST', body: { to: move.to, ...(text ? { reason: text } : {}) } }));
    setReason('');
    setDuplicateOf('');
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  return (
    <section aria-labelledby="move-heading" className="margin-top-4">
      <h2 id="move-heading">Next step</h2>
      {moves.length === 0 ? (
        <p>No other move is open to your role from “{STATUS_LABELS[v.status]}”.</p>
      ) : (
        <>
          <ProblemAlert error={act.error} />
          <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="move-heading">
            <SelectField id="move-to" label="Move to" value={move?.to ?? ''} onChange={(e) => setTo(e.target.value)}>
              {moves.map((m) => (
                <option key={m.to} value={m.to}>
                  {MOVE_LABELS[m.to]} ({STATUS_LABELS[m.to]})
                </option>
              ))}
            </SelectField>
            {move?.to === 'duplicate' ? <DuplicateOf v={v} value={duplicateOf} onChange={setDuplicateOf} /> : null}
            <TextAreaField
              id="move-reason"
              label="Reason"
              hint={move?.reasonRequired ? 'Required for this move; kept in the history.' : 'Optional; kept in the history.'}
              required={move?.reasonRequired}
              maxLength={1900}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={fieldError(act.error, 'reason')}
            />
            <button className="usa-button margin-top-2" type="submit" disabled={act.pending}>
              {move ? MOVE_LABELS[move.to] : 'Move'}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** The original a duplicate repeats, chosen among the vulnerabilities the analyst can see (same title first). */
function DuplicateOf({ v, value, onChange }: { v: Vulnerability; value: string; onChange: (id: string) => void }) {
  const queue = useResource<{ items: QueueItem[] }>('/clearinghouse/queue', { limit: 500 });
  const title = (v.title ?? '').toLowerCase();
  const others = (queue.data?.items ?? []).filter((q) => q.id !== v.id && q.status !== 'duplicate').sort((a, b) => Number(b.title.toLowerCase() === title) - Number(a.title.toLowerCase() === title));
  return (
    <>
      <ProblemAlert error={queue.error} />
      <SelectField id="move-duplicate-of" label="Duplicate of" hint="The vulnerability this one repeats; it is named in the history, and this one’s reporters stay credited here." value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">- Select -</option>
        {others.map((q) => (
          <option key={q.id} value={q.id}>
            {q.title} ({STATUS_LABELS[q.status]}, {q.id.slice(0, 8)})
          </option>
        ))}
      </SelectField>
    </>
  );
}

interface Validator {
  userId: string;
  name: string;
  orgName: string;
}

export function AssignForm({ v, myUserId, onDone }: { v: Vulnerability; myUserId: string; onDone: Done }) {
  const [userId, setUserId] = useState('');
  const validators = useResource<{ items: Validator[] }>('/clearinghouse/validators');
  const act = useAction(async (who: string) => {
    onDone(await api<Vulnerability>(`/clearinghouse/vulnerabilities/${v.id}/assign`, { method: 'POST', body: { userId: who } }));
    setUserId('');
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run(userId);
  }
  const current = v.assignedValidatorUserId;
  const others = (validators.data?.items ?? []).filter((p) => p.userId !== myUserId);
  const assignee = validators.data?.items.find((p) => p.userId === current);
  return (
    <section aria-labelledby="assign-heading" className="margin-top-4">
      <h2 id="assign-heading">Validator</h2>
      <p data-testid="validator">
        {current ? (
          current === myUserId ? (
            'Assigned to you.'
          ) : assignee ? (
            `Assigned to ${assignee.name}, ${assignee.orgName}.`
          ) : (
            <>
              Assigned to user <span className="text-mono">{current}</span>.
            </>
          )
        ) : (
          'Not assigned.'
        )}
      </p>
      <ProblemAlert error={act.error ?? validators.error} />
      {current !== myUserId ? (
        <button className="usa-button usa-button--outline" type="button" disabled={act.pending} onClick={() => void act.run(myUserId)}>
          Assign to me
        </button>
      ) : null}
      {others.length > 0 ? (
        <form className="usa-form" onSubmit={onSubmit} aria-labelledby="assign-heading">
          <SelectField
            id="assign-user"
            label="Assign another validator"
            hint="Validators of agencies and trusted partners."
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            error={fieldError(act.error, 'userId')}
          >
            <option value="">- Select a validator -</option>
            {others.map((p) => (
              <option key={p.userId} value={p.userId} disabled={p.userId === current}>
                {p.name}, {p.orgName}
              </option>
            ))}
          </SelectField>
          <button className="usa-button margin-top-1" type="submit" disabled={act.pending || !userId || userId === current}>
            Assign
          </button>
        </form>
      ) : null}
    </section>
  );
}

function lines(text: string): string[] {
  return [...new Set(text.split(/[\r\n,]+/).map((s) => s.trim()).filter(Boolean))];
}

export function AssessmentForm({ v, onDone }: { v: Vulnerability; onDone: Done }) {
  const [cvss, setCvss] = useState((v.cvss ?? []).map((c) => c.vector).join('\n'));
  const [cwe, setCwe] = useState((v.cwe ?? []).join(', '));
  const [affected, setAffected] = useState<AffectedProduct[]>(v.affected ?? []);
  const [purl, setPurl] = useState('');
  const [rangeType, setRangeType] = useState<'SEMVER' | 'ECOSYSTEM'>('ECOSYSTEM');
  const [introduced, setIntroduced] = useState('0');
  const [endKind, setEndKind] = useState<'fixed' | 'last_affected'>('fixed');
  const [end, setEnd] = useState('');
  const [saved, setSaved] = useState(false);
  const act = useAction(async () => {
    setSaved(false);
    onDone(await api<Vulnerability>(`/clearinghouse/vulnerabilities/${v.id}/assessment`, { method: 'PUT', body: { cvss: lines(cvss), cwe: lines(cwe).map((c) => c.toUpperCase()), affected } }));
    setSaved(true);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  function addProduct() {
    const events: Record<string, string>[] = [{ introduced: introduced.trim() || '0' }];
    if (end.trim()) events.push({ [endKind]: end.trim() });
    setAffected([...affected, { purl: purl.trim(), ranges: [{ type: rangeType, events }] }]);
    setPurl('');
    setEnd('');
    setSaved(false);
  }
  const err = (p: string) => fieldError(act.error, p);
  return (
    <section aria-labelledby="assess-heading" className="margin-top-4">
      <h2 id="assess-heading">Assessment</h2>
      <ProblemAlert error={act.error} />
      {saved ? (
        <p className="text-green" role="status" data-testid="assessment-saved">
          Assessment saved.
        </p>
      ) : null}
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="assess-heading">
        <TextAreaField
          id="assess-cvss"
          label="CVSS vectors"
          hint="One per line, CVSS 3.1 or 4.0, for example CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H. Each is scored when saved."
          className="text-mono"
          rows={3}
          value={cvss}
          onChange={(e) => setCvss(e.target.value)}
          error={err('cvss')}
        />
        <TextField id="assess-cwe" label="Weaknesses (CWE)" hint="Comma-separated, for example CWE-89, CWE-787." maxLength={600} value={cwe} onChange={(e) => setCwe(e.target.value)} error={err('cwe')} />
        <fieldset className="usa-fieldset margin-top-3">
          <legend className="usa-legend">Affected products</legend>
          {affected.length === 0 ? <p>None yet.</p> : null}
          <ul className="usa-list" data-testid="affected-products">
            {affected.map((a, i) => (
              <li key={i}>
                <span className="text-mono">{describeAffected(a)}</span>{' '}
                <button
                  className="usa-button usa-button--unstyled margin-left-1"
                  type="button"
                  onClick={() => {
                    setAffected(affected.filter((_, j) => j !== i));
                    setSaved(false);
                  }}
                >
                  Remove<span className="usa-sr-only"> {a.purl ?? a.cpe ?? a.name}</span>
                </button>
              </li>
            ))}
          </ul>
          {err('affected') ? <span className="usa-error-message">{err('affected')}</span> : null}
          <TextField id="assess-purl" label="Package (purl without version)" hint="For example pkg:npm/libfoo or pkg:pypi/django." maxLength={500} value={purl} onChange={(e) => setPurl(e.target.value)} />
          <SelectField id="assess-range-type" label="Version ordering" hint="ECOSYSTEM: the package ecosystem’s own ordering; SEMVER: semantic versions." value={rangeType} onChange={(e) => setRangeType(e.target.value as 'SEMVER' | 'ECOSYSTEM')}>
            <option value="ECOSYSTEM">ECOSYSTEM</option>
            <option value="SEMVER">SEMVER</option>
          </SelectField>
          <TextField id="assess-introduced" label="Introduced in" hint="0 means every version before the end." maxLength={100} value={introduced} onChange={(e) => setIntroduced(e.target.value)} />
          <SelectField id="assess-end-kind" label="Range ends" value={endKind} onChange={(e) => setEndKind(e.target.value as 'fixed' | 'last_affected')}>
            <option value="fixed">Fixed in (first fixed version)</option>
            <option value="last_affected">Last affected version</option>
          </SelectField>
          <TextField id="assess-end" label="Version" hint="Leave empty when no version fixes it yet." maxLength={100} value={end} onChange={(e) => setEnd(e.target.value)} />
          <button className="usa-button usa-button--outline margin-top-1" type="button" disabled={!purl.trim().startsWith('pkg:')} onClick={addProduct}>
            Add the affected product
          </button>
        </fieldset>
        <button className="usa-button margin-top-3" type="submit" disabled={act.pending}>
          Save the assessment
        </button>
      </form>
    </section>
  );
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const MAX_EVIDENCE_BYTES = 1024 * 1024;

export function EvidenceForm({ v, onDone }: { v: Vulnerability; onDone: Done }) {
  const [kind, setKind] = useState('proof');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const act = useAction(async () => {
    const body = file
      ? { kind: 'file', name: file.name, mediaType: file.type || 'application/octet-stream', contentBase64: await toBase64(file) }
      : { kind, text: text.trim() };
    onDone(await api<Vulnerability>(`/clearinghouse/vulnerabilities/${v.id}/evidence`, { method: 'POST', body }));
    setText('');
    setFile(null);
    setInputKey((k) => k + 1);
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void act.run();
  }
  const tooBig = file !== null && file.size > MAX_EVIDENCE_BYTES;
  return (
    <section aria-labelledby="add-evidence-heading" className="margin-top-4">
      <h3 id="add-evidence-heading">Add evidence</h3>
      <ProblemAlert error={act.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="add-evidence-heading">
        <SelectField id="evidence-kind" label="Kind" value={file ? 'file' : kind} disabled={file !== null} onChange={(e) => setKind(e.target.value)}>
          <option value="proof">Proof</option>
          <option value="reproduction">Reproduction notes</option>
          <option value="note">Note</option>
          {file ? <option value="file">File</option> : null}
        </SelectField>
        <TextAreaField id="evidence-text" label="Text" rows={4} maxLength={100_000} value={text} disabled={file !== null} onChange={(e) => setText(e.target.value)} error={fieldError(act.error, 'text')} />
        <div className={`usa-form-group${tooBig ? ' usa-form-group--error' : ''}`}>
          <label className="usa-label" htmlFor="evidence-file">
            Or a file
          </label>
          <div className="usa-hint" id="evidence-file-hint">
            At most 1 MiB; stored encrypted.
          </div>
          {tooBig ? (
            <span className="usa-error-message" id="evidence-file-error">
              The file is larger than 1 MiB.
            </span>
          ) : null}
          <input
            key={inputKey}
            id="evidence-file"
            className="usa-file-input"
            type="file"
            aria-describedby={tooBig ? 'evidence-file-hint evidence-file-error' : 'evidence-file-hint'}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <button className="usa-button margin-top-2" type="submit" disabled={act.pending || tooBig || (file === null && !text.trim())}>
          Add evidence
        </button>
      </form>
    </section>
  );
}

/** Coordinators open the case (vendors matched and notified, embargo set); publishers draft the advisory. */
export function Coordination({ v, abilities }: { v: Vulnerability; abilities: readonly string[] }) {
  const navigate = useNavigate();
  const coordinator = abilities.includes('clearinghouse:coordinate');
  const publisher = abilities.includes('advisories:publish');
  const cases = useResource<{ items: CaseListItem[] }>(coordinator && v.status === 'coordinating' ? '/clearinghouse/cases' : null, { limit: 500 });
  const open = useAction(async () => {
    const c = await api<{ id: string }>('/clearinghouse/cases', { method: 'POST', body: { vulnerabilityId: v.id } });
    navigate(`/clearinghouse/cases/${c.id}`);
  });
  const theCase = cases.data?.items.find((c) => c.vulnerabilityId === v.id);
  const canOpen = coordinator && v.status === 'validated';
  const canDraft = publisher && (v.status === 'validated' || v.status === 'coordinating');
  if (!canOpen && !canDraft && !theCase) return null;
  return (
    <section aria-labelledby="coordination-heading" className="margin-top-4">
      <h2 id="coordination-heading">Coordination and publication</h2>
      <ProblemAlert error={open.error ?? cases.error} />
      {canOpen ? (
        <p>
          <button className="usa-button" type="button" disabled={open.pending} onClick={() => void open.run()}>
            Open a coordination case
          </button>
          <span className="display-block usa-hint margin-top-1">Vendors whose registered products match the affected packages are added and notified; the embargo defaults to ahead of the model’s planned release.</span>
        </p>
      ) : null}
      {theCase ? (
        <p>
          <Link className="usa-link" to={`/clearinghouse/cases/${theCase.id}`}>
            Its coordination case
          </Link>{' '}
          (embargo until {theCase.embargo.display})
        </p>
      ) : null}
      {canDraft ? (
        <p>
          <Link className="usa-link" to={`/clearinghouse/advisories?vulnerability=${v.id}`}>
            Draft its advisory
          </Link>
        </p>
      ) : null}
    </section>
  );
}
