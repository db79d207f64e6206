// One application: the applicant's status, findings, reasons, decisions and appeal; for vetting
// reviewers, the finding on each criterion and the eligibility decision.
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import type { Application } from './types.ts';

export function ApplicationPage() {
  usePageTitle('Partner application');
  useReportClassification({ classification: 'CUI' });
  const { id } = useParams();
  const me = useMe();
  const vetter = me.abilities.includes('partners:vet');
  const { data, error, loading, reload } = useResource<Application>(`/partners/applications/${id}`);
  const withdraw = useAction(async () => {
    await api(`/partners/applications/${id}/withdraw`, { method: 'POST', body: {} });
    reload();
  });
  return (
    <>
      <h1>Trusted-partner application</h1>
      <ProblemAlert error={error ?? withdraw.error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary">
            <dt>Applicant</dt>
            <dd>{data.applicantName}</dd>
            <dt>Status</dt>
            <dd data-testid="application-status">{data.status.replace('_', ' ')}</dd>
            <dt>Criteria version</dt>
            <dd>{data.criteriaVersion}</dd>
            <dt>Eligible until</dt>
            <dd>{data.eligibleUntil ? formatDate(data.eligibleUntil) : '—'}</dd>
            <dt>Reasons</dt>
            <dd>{data.outcomeReasons ?? 'Not yet decided'}</dd>
          </dl>
          {!vetter && (data.status === 'submitted' || data.status === 'eligible') ? (
            <button className="usa-button usa-button--secondary" type="button" onClick={() => void withdraw.run()}>
              Withdraw application
            </button>
          ) : null}
          <h2>Answers</h2>
          <ScrollTable captionId="answers-caption">
            <table className="usa-table usa-table--borderless">
              <caption id="answers-caption">Answers, evidence and findings by criterion</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">Answer</th>
                  <th scope="col">Evidence</th>
                  <th scope="col">Finding</th>
                </tr>
              </thead>
              <tbody>
                {data.answers.map((a) => {
                  const f = data.findings.find((x) => x.criterionKey === a.criterionKey);
                  return (
                    <tr key={a.criterionKey}>
                      <th scope="row">{a.criterionKey}</th>
                      <td>{a.answer}</td>
                      <td>{data.evidence.filter((e) => e.criterionKey === a.criterionKey).map((e) => e.filename).join(', ') || '—'}</td>
                      <td>{f ? `${f.met ? 'Met' : 'Not met'}: ${f.note}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
          <h2>Declarations</h2>
          <dl className="fw-summary">
            <dt>Ownership</dt>
            <dd>{data.declarations.ownership}</dd>
            <dt>Affiliations</dt>
            <dd>{data.declarations.affiliations}</dd>
            <dt>Conflicts of interest</dt>
            <dd>{data.declarations.conflictsOfInterest}</dd>
          </dl>
          {vetter && data.status === 'submitted' ? <Vetting app={data} onDone={reload} /> : null}
          <Decisions app={data} applicant={!vetter} onDone={reload} />
        </>
      ) : null}
    </>
  );
}

function Vetting({ app, onDone }: { app: Application; onDone: () => void }) {
  const [key, setKey] = useState(app.answers[0]?.criterionKey ?? '');
  const [met, setMet] = useState('true');
  const [note, setNote] = useState('');
  const [reasons, setReasons] = useState('');
  const [outcome, setOutcome] = useState('eligible');
  const [daysValid, setDaysValid] = useState('365');
  const finding = useAction(async () => {
    await api(`/partners/applications/${app.id}/findings/${key}`, { method: 'PUT', body: { met: met === 'true', note } });
    setNote('');
    onDone();
  });
  const decide = useAction(async () => {
    await api(`/partners/applications/${app.id}/decision`, { method: 'POST', body: { outcome, reasons, eligibleForDays: Number(daysValid) } });
    onDone();
  });
  return (
    <section aria-labelledby="vetting-heading" className="fw-section">
      <h2 id="vetting-heading">Vetting</h2>
      <ProblemAlert error={finding.error} />
      <form
        className="usa-form"
        aria-label="Record a finding"
        onSubmit={(e) => {
          e.preventDefault();
          void finding.run();
        }}
      >
        <SelectField id="finding-key" label="Criterion" value={key} onChange={(e) => setKey(e.target.value)}>
          {app.answers.map((a) => (
            <option key={a.criterionKey} value={a.criterionKey}>
              {a.criterionKey}
            </option>
          ))}
        </SelectField>
        <SelectField id="finding-met" label="Finding" value={met} onChange={(e) => setMet(e.target.value)}>
          <option value="true">Met</option>
          <option value="false">Not met</option>
        </SelectField>
        <TextAreaField id="finding-note" label="Note for the applicant" required value={note} onChange={(e) => setNote(e.target.value)} error={fieldError(finding.error, 'note')} />
        <button className="usa-button" type="submit" disabled={finding.pending}>
          Record finding
        </button>
      </form>
      <ProblemAlert error={decide.error} />
      <form
        className="usa-form"
        aria-label="Decide eligibility"
        onSubmit={(e) => {
          e.preventDefault();
          void decide.run();
        }}
      >
        <SelectField id="decision-outcome" label="Outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="eligible">Eligible</option>
          <option value="not_eligible">Not eligible</option>
        </SelectField>
        <TextField id="decision-days" type="number" min={1} max={1095} label="Eligibility lasts (days)" value={daysValid} onChange={(e) => setDaysValid(e.target.value)} />
        <TextAreaField id="decision-reasons" label="Reasons given to the applicant" required value={reasons} onChange={(e) => setReasons(e.target.value)} error={fieldError(decide.error, 'reasons')} />
        <button className="usa-button" type="submit" disabled={decide.pending}>
          Decide
        </button>
      </form>
    </section>
  );
}

function Decisions({ app, applicant, onDone }: { app: Application; applicant: boolean; onDone: () => void }) {
  const [grounds, setGrounds] = useState('');
  const appeal = useAction(async (panelId: string) => {
    await api(`/partners/panels/${panelId}/appeal`, { method: 'POST', body: { grounds } });
    setGrounds('');
    onDone();
  });
  if (app.decisions.length === 0) return null;
  const appealable = app.decisions.find((d) => d.appealable);
  return (
    <section aria-labelledby="decisions-heading" className="fw-section">
      <h2 id="decisions-heading">Panel decisions</h2>
      <ScrollTable captionId="decisions-caption">
        <table className="usa-table usa-table--borderless">
          <caption id="decisions-caption">Selection and appeal decisions</caption>
          <thead>
            <tr>
              <th scope="col">Panel</th>
              <th scope="col">Status</th>
              <th scope="col">Reasons</th>
              <th scope="col">Decided</th>
            </tr>
          </thead>
          <tbody>
            {app.decisions.map((d) => (
              <tr key={d.panelId}>
                <th scope="row">{d.kind === 'appeal' ? 'Appeal' : 'Selection'}</th>
                <td>{d.status.replace('_', ' ')}</td>
                <td>{d.reasons ?? '—'}</td>
                <td>{d.decidedAt ? formatDateTime(d.decidedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {applicant && appealable ? (
        <form
          className="usa-form"
          aria-label="Appeal the refusal"
          onSubmit={(e) => {
            e.preventDefault();
            void appeal.run(appealable.panelId);
          }}
        >
          <ProblemAlert error={appeal.error} />
          <TextAreaField id="appeal-grounds" label="Grounds of appeal" hint="You may appeal once per decision; the appeal panel has none of the first panel's members." required value={grounds} onChange={(e) => setGrounds(e.target.value)} />
          <button className="usa-button" type="submit" disabled={appeal.pending}>
            Appeal
          </button>
        </form>
      ) : null}
    </section>
  );
}
