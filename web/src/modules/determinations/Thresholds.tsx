// Threshold governance: NSA proposes a threshold version, ONCD and CISA record their positions, NSA
// adopts it. Every version stays on record with who did what.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { SelectField, TextField, fieldError } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { BenchmarkForm, BenchmarkTable } from './Benchmarks.tsx';
import { PositionsList, TextAreaField } from './Parts.tsx';
import { DOMAINS, DOMAIN_LABEL, STATUS_LABEL, pageMarking, type Benchmark, type ThresholdVersion } from './types.ts';

function ProposeForm({ benchmarks, onDone }: { benchmarks: Benchmark[]; onDone: () => void }) {
  const [benchmarkId, setBenchmarkId] = useState(benchmarks[0]?.id ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const act = useAction(async (e: FormEvent) => {
    e.preventDefault();
    const thresholds = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, Number(v)]));
    await api('/threshold-versions', { method: 'POST', body: { benchmarkId, thresholds, ...(note.trim() ? { note } : {}) } });
    setValues({});
    setNote('');
    onDone();
  });
  return (
    <form className="usa-form" onSubmit={(e) => void act.run(e)} aria-labelledby="propose-heading">
      <h2 id="propose-heading">Propose a threshold version</h2>
      <ProblemAlert error={act.error} />
      <SelectField id="propose-benchmark" label="Benchmark" required value={benchmarkId} onChange={(e) => setBenchmarkId(e.target.value)}>
        {benchmarks.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name} v{b.version}
          </option>
        ))}
      </SelectField>
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Thresholds (0 to 1; leave empty for a domain not used)</legend>
        {DOMAINS.map((k) => (
          <TextField key={k} id={`threshold-${k}`} label={`${DOMAIN_LABEL[k]} threshold`} type="number" step="0.0001" min={0} max={1} value={values[k] ?? ''} onChange={(e) => setValues({ ...values, [k]: e.target.value })} error={fieldError(act.error, 'thresholds')} />
        ))}
      </fieldset>
      <TextAreaField id="propose-note" label="Note" value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} />
      <button className="usa-button" type="submit" disabled={act.pending || !benchmarkId}>
        Propose
      </button>
    </form>
  );
}

function ConsultForm({ v, onDone }: { v: ThresholdVersion; onDone: () => void }) {
  const [position, setPosition] = useState('concur');
  const [comment, setComment] = useState('');
  const act = useAction(async (e: FormEvent) => {
    e.preventDefault();
    await api(`/threshold-versions/${v.id}/consultations`, { method: 'POST', body: { position, ...(comment.trim() ? { comment } : {}) } });
    setComment('');
    onDone();
  });
  return (
    <form className="usa-form" onSubmit={(e) => void act.run(e)} aria-label={`Your agency’s position on threshold version ${v.version}`}>
      <ProblemAlert error={act.error} />
      <SelectField id={`consult-position-${v.id}`} label="Your agency’s position" value={position} onChange={(e) => setPosition(e.target.value)}>
        <option value="concur">Concur</option>
        <option value="concur_with_comment">Concur with comment</option>
        <option value="non_concur">Non-concur</option>
      </SelectField>
      <TextAreaField id={`consult-comment-${v.id}`} label="Comment or reasons" hint="Required unless you concur." value={comment} maxLength={4000} onChange={(e) => setComment(e.target.value)} error={fieldError(act.error, 'comment')} />
      <button className="usa-button" type="submit" disabled={act.pending}>
        Record position
      </button>
    </form>
  );
}

function VersionCard({ v, isNsa, consulted, onChange }: { v: ThresholdVersion; isNsa: boolean; consulted: boolean; onChange: () => void }) {
  const adopt = useAction(async () => {
    await api(`/threshold-versions/${v.id}/adopt`, { method: 'POST' });
    onChange();
  });
  return (
    <li className="usa-card fw-card" data-testid={`threshold-${v.version}`}>
      <div className="usa-card__container">
        <div className="usa-card__header">
          <h3 className="usa-card__heading">
            {v.benchmark ? `${v.benchmark.name} v${v.benchmark.version}, ` : ''}threshold version {v.version}: {STATUS_LABEL[v.status] ?? v.status}
          </h3>
        </div>
        <div className="usa-card__body">
          <p className="fw-mono">{v.marking.banner}</p>
          {v.contentVisible && v.thresholds ? (
            <ul className="usa-list">
              {Object.entries(v.thresholds).map(([k, n]) => (
                <li key={k}>
                  {DOMAIN_LABEL[k] ?? k}: {n}
                </li>
              ))}
            </ul>
          ) : (
            <p>The thresholds are above your clearance or outside your compartments.</p>
          )}
          {v.note ? <p className="fw-prewrap">{v.note}</p> : null}
          <h4>Consultation</h4>
          <PositionsList positions={v.positions} empty="No agency has recorded a position yet." />
          <h4>History</h4>
          <ol className="usa-list">
            {v.history.map((h, i) => (
              <li key={i}>
                {formatDateTime(h.at)}: {h.action}
                {h.by ? ` (${h.by})` : ''}
              </li>
            ))}
          </ol>
          {consulted && v.status === 'proposed' ? <ConsultForm v={v} onDone={onChange} /> : null}
          {isNsa && v.status === 'proposed' && v.contentVisible ? (
            <>
              <ProblemAlert error={adopt.error} />
              <button className="usa-button" type="button" onClick={() => void adopt.run()} disabled={adopt.pending}>
                Adopt threshold version {v.version}
              </button>
            </>
          ) : null}
        </div>
      </div>
    </li>
  );
}

export function ThresholdGovernance() {
  usePageTitle('Threshold governance');
  const me = useMe();
  const versions = useResource<{ items: ThresholdVersion[] }>('/threshold-versions');
  const benchmarks = useResource<{ items: Benchmark[] }>('/benchmarks');
  const rows = versions.data?.items ?? [];
  const marks = [...rows.map((v) => pageMarking(v.marking)), ...(benchmarks.data?.items ?? []).map((b) => pageMarking(b.marking))];
  useReportClassification(marks.length ? marks : { classification: 'UNCLASSIFIED' });
  const isNsa = me.organisation.agencyCode === 'NSA' && me.abilities.includes('benchmarks:manage');
  const consulted = me.organisation.agencyCode === 'ONCD' || me.organisation.agencyCode === 'CISA';
  return (
    <>
      <p>
        <Link className="usa-link" to="/determinations">
          Determinations
        </Link>
      </p>
      <h1>Threshold governance</h1>
      <p className="usa-intro">NSA proposes threshold versions; ONCD and CISA record their positions; NSA adopts a version once both have.</p>
      <ProblemAlert error={versions.error ?? benchmarks.error} />
      {versions.loading ? <Loading /> : null}
      <section aria-labelledby="versions-heading" className="fw-section">
        <h2 id="versions-heading">Threshold versions</h2>
        {!versions.loading && rows.length === 0 ? <p>No threshold version yet.</p> : null}
        <ul className="usa-card-group fw-card-list">
          {rows.map((v) => (
            <VersionCard key={v.id} v={v} isNsa={isNsa} consulted={consulted} onChange={versions.reload} />
          ))}
        </ul>
      </section>
      {isNsa && (benchmarks.data?.items.length ?? 0) > 0 ? (
        <section className="fw-section">
          <ProposeForm benchmarks={benchmarks.data!.items} onDone={versions.reload} />
        </section>
      ) : null}
      <section aria-labelledby="benchmarks-heading" className="fw-section">
        <h2 id="benchmarks-heading">Benchmarks</h2>
        {benchmarks.data ? <BenchmarkTable items={benchmarks.data.items} /> : null}
      </section>
      {isNsa ? (
        <section className="fw-section">
          <BenchmarkForm onDone={benchmarks.reload} />
        </section>
      ) : null}
    </>
  );
}
