// One determination: scores against thresholds at the reader's clearance, the criteria, sign-offs,
// and the decision (NSA).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { CheckboxField, SelectField, TextField, fieldError } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { BenchmarkRunScores } from './BenchmarkRunScores.tsx';
import { PositionsList, TextAreaField } from './Parts.tsx';
import { DOMAINS, DOMAIN_LABEL, OUTCOME_LABEL, STATUS_LABEL, TRIGGERS, TRIGGER_LABEL, pageMarking, type Determination } from './types.ts';

function EditForm({ d, onSaved }: { d: Determination; onSaved: (d: Determination) => void }) {
  const [scores, setScores] = useState<Record<string, string>>({});
  const [compute, setCompute] = useState('');
  const [judgment, setJudgment] = useState('no_view');
  const [rationale, setRationale] = useState('');
  useEffect(() => {
    setScores(Object.fromEntries(DOMAINS.map((k) => [k, d.scores?.[k] === undefined ? '' : String(d.scores[k])])));
    setCompute(d.computeFlop === null ? '' : String(d.computeFlop));
    setJudgment(d.judgment ?? 'no_view');
    setRationale(d.rationale ?? '');
  }, [d]);
  const save = useAction(async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      scores: Object.fromEntries(DOMAINS.map((k) => [k, scores[k] === '' ? null : Number(scores[k])])),
      computeFlop: compute.trim() === '' ? null : Number(compute),
      judgment,
      rationale,
    };
    onSaved(await api<Determination>(`/determinations/${d.id}`, { method: 'PATCH', body }));
  });
  return (
    <form className="usa-form usa-form--large" onSubmit={(e) => void save.run(e)} aria-labelledby="edit-heading">
      <h2 id="edit-heading">Scores and analysis</h2>
      <ProblemAlert error={save.error} />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Benchmark scores (0 to 1)</legend>
        {DOMAINS.map((k) => (
          <TextField
            key={k}
            id={`score-${k}`}
            label={`${DOMAIN_LABEL[k]} score`}
            type="number"
            step="0.0001"
            min={0}
            max={1}
            inputMode="decimal"
            value={scores[k] ?? ''}
            onChange={(e) => setScores({ ...scores, [k]: e.target.value })}
            error={fieldError(save.error, 'scores')}
          />
        ))}
      </fieldset>
      <TextField id="compute" label="Training compute (FLOP)" hint="For example 3e26." value={compute} onChange={(e) => setCompute(e.target.value)} error={fieldError(save.error, 'computeFlop')} />
      <SelectField id="judgment" label="Analyst judgment" value={judgment} onChange={(e) => setJudgment(e.target.value)}>
        <option value="no_view">No view</option>
        <option value="covered">Covered</option>
        <option value="not_covered">Not covered</option>
      </SelectField>
      <TextAreaField id="rationale" label="Classified rationale" value={rationale} maxLength={20000} onChange={(e) => setRationale(e.target.value)} error={fieldError(save.error, 'rationale')} />
      <button className="usa-button" type="submit" disabled={save.pending}>
        {save.pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function SignOffForm({ d, onDone }: { d: Determination; onDone: (d: Determination) => void }) {
  const [position, setPosition] = useState('concur');
  const [comment, setComment] = useState('');
  const act = useAction(async (e: FormEvent) => {
    e.preventDefault();
    onDone(await api<Determination>(`/determinations/${d.id}/signoffs`, { method: 'POST', body: { position, ...(comment.trim() ? { comment } : {}) } }));
    setComment('');
  });
  return (
    <form className="usa-form" onSubmit={(e) => void act.run(e)} aria-labelledby="signoff-heading">
      <h3 id="signoff-heading">Record your agency’s sign-off</h3>
      <ProblemAlert error={act.error} />
      <SelectField id="signoff-position" label="Position" value={position} onChange={(e) => setPosition(e.target.value)}>
        <option value="concur">Concur</option>
        <option value="concur_with_comment">Concur with comment</option>
        <option value="non_concur">Non-concur</option>
      </SelectField>
      <TextAreaField id="signoff-comment" label="Comment or reasons" hint="Required unless you concur." value={comment} maxLength={4000} onChange={(e) => setComment(e.target.value)} error={fieldError(act.error, 'comment')} />
      <button className="usa-button" type="submit" disabled={act.pending}>
        Record sign-off
      </button>
    </form>
  );
}

function DecideForm({ d, onDone }: { d: Determination; onDone: (d: Determination) => void }) {
  const [outcome, setOutcome] = useState(d.suggested?.outcome ?? 'covered');
  const [summary, setSummary] = useState('');
  const [expires, setExpires] = useState(() => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10));
  const [triggers, setTriggers] = useState<string[]>(['new_version', 'fine_tune', 'compute_increase']);
  const act = useAction(async (e: FormEvent) => {
    e.preventDefault();
    const body = { outcome, unclassifiedSummary: summary, expiresAt: new Date(`${expires}T00:00:00Z`).toISOString(), reevaluationTriggers: triggers };
    onDone(await api<Determination>(`/determinations/${d.id}/decide`, { method: 'POST', body }));
  });
  return (
    <form className="usa-form usa-form--large" onSubmit={(e) => void act.run(e)} aria-labelledby="decide-heading">
      <h2 id="decide-heading">Decision</h2>
      <p>The developer sees only the outcome, the unclassified summary, the expiry and the re-evaluation triggers.</p>
      <ProblemAlert error={act.error} />
      <SelectField id="decide-outcome" label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        <option value="covered">Covered</option>
        <option value="not_covered">Not covered</option>
        <option value="inconclusive">Inconclusive</option>
      </SelectField>
      <TextAreaField id="decide-summary" label="Unclassified summary for the developer" required value={summary} maxLength={4000} onChange={(e) => setSummary(e.target.value)} error={fieldError(act.error, 'unclassifiedSummary')} />
      <TextField id="decide-expires" label="Expires on" type="date" required value={expires} onChange={(e) => setExpires(e.target.value)} error={fieldError(act.error, 'expiresAt')} />
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Re-evaluation triggers</legend>
        {TRIGGERS.map((t) => (
          <CheckboxField key={t} id={`trigger-${t}`} label={TRIGGER_LABEL[t]} checked={triggers.includes(t)} onChange={(e) => setTriggers(e.target.checked ? [...triggers, t] : triggers.filter((x) => x !== t))} />
        ))}
      </fieldset>
      <button className="usa-button" type="submit" disabled={act.pending}>
        Decide
      </button>
    </form>
  );
}

export function DeterminationDetail() {
  const { id = '' } = useParams();
  const me = useMe();
  const res = useResource<Determination>(`/determinations/${id}`);
  const [d, setD] = useState<Determination>();
  useEffect(() => setD(res.data), [res.data]);
  usePageTitle('Determination');
  useReportClassification(d ? pageMarking(d.marking) : null);
  const submit = useAction(async () => setD(await api<Determination>(`/determinations/${id}/submit`, { method: 'POST' })));
  const reopen = useAction(async () => setD(await api<Determination>(`/determinations/${id}/reopen`, { method: 'POST' })));
  if (res.loading && !d) return <Loading />;
  if (res.error || !d) {
    return (
      <>
        <h1>Determination</h1>
        <ProblemAlert error={res.error} />
      </>
    );
  }
  const nsa = me.organisation.agencyCode === 'NSA' && d.contentVisible;
  const consulted = me.organisation.agencyCode === 'ONCD' || me.organisation.agencyCode === 'CISA';
  return (
    <>
      <p>
        <Link className="usa-link" to="/determinations">
          All determinations
        </Link>
      </p>
      <h1>Determination{d.model ? `: ${d.model.name} ${d.model.version}` : ''}</h1>
      <dl className="fw-dl">
        <dt>Status</dt>
        <dd data-testid="det-status">{STATUS_LABEL[d.status] ?? d.status}</dd>
        <dt>Marking</dt>
        <dd className="fw-mono">{d.marking.banner}</dd>
        <dt>Created</dt>
        <dd>
          {formatDateTime(d.createdAt)} by {d.createdBy ?? 'unknown'}
        </dd>
      </dl>
      {!d.contentVisible ? (
        <Notice type="info" slim>
          <p className="margin-0">The scores, thresholds and rationale are above your clearance or outside your compartments. You can still record your agency’s sign-off.</p>
        </Notice>
      ) : null}
      {d.contentVisible && d.benchmark && d.thresholdVersion ? (
        <section aria-labelledby="criteria-heading" className="fw-section">
          <h2 id="criteria-heading">Criteria</h2>
          <p>
            Benchmark <strong>{d.benchmark.name}</strong> version {d.benchmark.version}, threshold version {d.thresholdVersion.version}.
          </p>
          <table className="usa-table usa-table--borderless" data-testid="criteria-table">
            <caption>Scores against thresholds</caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Threshold</th>
                <th scope="col">Score</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {(d.suggested?.domains ?? []).map((x) => (
                <tr key={x.domain}>
                  <th scope="row">{DOMAIN_LABEL[x.domain] ?? x.domain}</th>
                  <td>{x.threshold}</td>
                  <td>{x.score ?? '—'}</td>
                  <td>{x.result === 'exceeds' ? 'Meets or exceeds' : x.result === 'below' ? 'Below' : 'No score'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Training compute: {d.computeFlop === null ? 'unknown' : `${d.computeFlop.toExponential(2)} FLOP`} (trigger {d.suggested ? `${d.suggested.computeTriggerFlop.toExponential(2)} FLOP` : '—'}).
          </p>
          {d.suggested ? (
            <>
              <h3>Suggested outcome: {OUTCOME_LABEL[d.suggested.outcome]}</h3>
              <ul className="usa-list" data-testid="reasons">
                {d.suggested.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          {d.status !== 'draft' ? (
            <>
              <h3>Rationale</h3>
              <p className="fw-prewrap">{d.rationale || '—'}</p>
            </>
          ) : null}
        </section>
      ) : null}
      {d.contentVisible && d.benchmark ? <BenchmarkRunScores determination={d} canAttach={nsa && d.status === 'draft'} onAttached={setD} /> : null}
      {nsa && d.status === 'draft' ? (
        <section className="fw-section">
          <EditForm d={d} onSaved={setD} />
          <div className="margin-top-3">
            <ProblemAlert error={submit.error} />
            <button className="usa-button usa-button--outline" type="button" onClick={() => void submit.run()} disabled={submit.pending}>
              Send for ONCD and CISA sign-off
            </button>
          </div>
        </section>
      ) : null}
      <section aria-labelledby="signoffs-heading" className="fw-section">
        <h2 id="signoffs-heading">Sign-offs</h2>
        <PositionsList positions={d.signoffs} empty="No sign-off recorded yet." />
        {consulted && d.status === 'in_signoff' ? <SignOffForm d={d} onDone={setD} /> : null}
      </section>
      {nsa && d.status === 'in_signoff' ? (
        <section className="fw-section">
          <DecideForm d={d} onDone={setD} />
          <div className="margin-top-3">
            <ProblemAlert error={reopen.error} />
            <button className="usa-button usa-button--unstyled" type="button" onClick={() => void reopen.run()} disabled={reopen.pending}>
              Reopen the draft (sign-offs will be asked again)
            </button>
          </div>
        </section>
      ) : null}
      {d.outcome ? (
        <section aria-labelledby="outcome-heading" className="fw-section">
          <h2 id="outcome-heading">Outcome: {OUTCOME_LABEL[d.outcome]}</h2>
          <p className="fw-prewrap">{d.unclassifiedSummary}</p>
          <p>
            Decided {formatDateTime(d.decidedAt)} by {d.decidedBy ?? 'unknown'}; expires {formatDate(d.expiresAt)}.
          </p>
          <p>Re-evaluation: {d.reevaluationTriggers.map((t) => TRIGGER_LABEL[t] ?? t).join('; ')}.</p>
        </section>
      ) : null}
    </>
  );
}
