// Agency case page: the question, assignments, actions (take, answer, close, add NIST/OSTP) and the thread.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { fieldError, SelectField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { Thread } from './Thread.tsx';
import { RECOMMENDATION_LABEL, ROLE_LABEL, STATUS_LABEL } from './types.ts';
import type { Assignment, Consultation, Recommendation } from './types.ts';

export function ConsultationCase() {
  const { id = '' } = useParams();
  const me = useMe();
  const path = `/consultations/${encodeURIComponent(id)}`;
  const c = useResource<Consultation>(path);
  const [threadKey, setThreadKey] = useState(0);
  usePageTitle(c.data ? `Consultation: ${c.data.modelName}` : 'Consultation');
  useReportClassification(c.data ? c.data.marking : null);

  const act = useAction(async (what: 'take' | 'close') => {
    await api(`${path}/${what}`, { method: 'POST' });
    c.reload();
  });

  if (c.error) {
    return (
      <>
        <h1>Consultation</h1>
        <ProblemAlert error={c.error} />
        <p>
          <Link className="usa-link" to="/consultations">
            Back to consultations
          </Link>
        </p>
      </>
    );
  }
  if (!c.data) return <Loading label="Loading consultation…" />;
  const d = c.data;
  const reload = () => {
    c.reload();
    setThreadKey((k) => k + 1);
  };

  return (
    <>
      <nav aria-label="Breadcrumbs" className="usa-breadcrumb">
        <ol className="usa-breadcrumb__list">
          <li className="usa-breadcrumb__list-item">
            <Link className="usa-breadcrumb__link" to="/consultations">
              <span>Consultations</span>
            </Link>
          </li>
          <li className="usa-breadcrumb__list-item usa-current" aria-current="page">
            <span>
              {d.modelName} {d.modelVersion}
            </span>
          </li>
        </ol>
      </nav>
      <h1>
        Consultation: {d.modelName} {d.modelVersion}
      </h1>
      <dl className="fw-dl">
        <dt>Developer</dt>
        <dd>{d.ownerOrgName}</dd>
        <dt>Status</dt>
        <dd data-testid="consultation-status">{STATUS_LABEL[d.status]}</dd>
        {d.recommendation ? (
          <>
            <dt>Recommendation</dt>
            <dd>{RECOMMENDATION_LABEL[d.recommendation]}</dd>
          </>
        ) : null}
        <dt>Planned public release</dt>
        <dd>
          {formatDate(d.plannedReleaseAt)} ({d.daysToRelease} days)
        </dd>
        <dt>Due</dt>
        <dd>{formatDate(d.dueAt)}</dd>
        <dt>Opened</dt>
        <dd>{formatDateTime(d.createdAt)}</dd>
      </dl>
      <section aria-labelledby="question-h" className="fw-section">
        <h2 id="question-h">Question</h2>
        <p style={{ whiteSpace: 'pre-wrap' }}>{d.question}</p>
      </section>

      <section aria-labelledby="actions-h" className="fw-section">
        <h2 id="actions-h">Actions</h2>
        <ProblemAlert error={act.error} />
        <div className="usa-button-group">
          {d.can.take ? (
            <button type="button" className="usa-button" onClick={() => void act.run('take')} disabled={act.pending}>
              Take into review
            </button>
          ) : null}
          {d.can.close ? (
            <button type="button" className="usa-button usa-button--outline" onClick={() => void act.run('close')} disabled={act.pending}>
              Close consultation
            </button>
          ) : null}
        </div>
        {!d.can.take && !d.can.close && !d.can.answer && !d.can.addAgency ? <p>No action is open to you at this stage.</p> : null}
        {d.can.answer ? <AnswerForm path={path} onDone={reload} /> : null}
        {d.can.addAgency ? <AddAgencyForm path={path} assigned={d.assignments} onDone={c.reload} /> : null}
      </section>

      <Assignments path={path} assignments={d.assignments} myOrgId={me.organisation.id} myAgency={me.organisation.agencyCode ?? null} myUserId={me.user.id} live={d.can.post} onDone={c.reload} />

      <Thread key={threadKey} consultationId={d.id} canPost={d.can.post} canPostInternal={d.can.postInternal} clearance={me.session.effectiveClearance} />
    </>
  );
}

function AnswerForm({ path, onDone }: { path: string; onDone: () => void }) {
  const [recommendation, setRecommendation] = useState<Recommendation | ''>('');
  const [message, setMessage] = useState('');
  const answer = useAction(async () => {
    await api(`${path}/answer`, { method: 'POST', body: { recommendation, message } });
    onDone();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void answer.run();
  };
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} aria-labelledby="answer-h">
      <h3 id="answer-h">Answer (NSA)</h3>
      <ProblemAlert error={answer.error} />
      <SelectField id="answer-recommendation" label="Recommendation" required value={recommendation} error={fieldError(answer.error, 'recommendation')} onChange={(e) => setRecommendation(e.target.value as Recommendation)}>
        <option value="">- Select -</option>
        <option value="would_benefit">{RECOMMENDATION_LABEL.would_benefit}</option>
        <option value="not_needed">{RECOMMENDATION_LABEL.not_needed}</option>
      </SelectField>
      <div className="usa-form-group">
        <label className="usa-label" htmlFor="answer-message">
          Answer to the developer
        </label>
        <div className="usa-hint" id="answer-message-hint">
          Unclassified: the developer reads it.
        </div>
        <textarea id="answer-message" className="usa-textarea" required maxLength={20000} aria-describedby="answer-message-hint" value={message} onChange={(e) => setMessage(e.target.value)} />
      </div>
      <button className="usa-button margin-top-2" type="submit" disabled={answer.pending || !recommendation || !message.trim()}>
        Record answer
      </button>
    </form>
  );
}

function AddAgencyForm({ path, assigned, onDone }: { path: string; assigned: Assignment[]; onDone: () => void }) {
  const options = ['NIST', 'OSTP'].filter((code) => !assigned.some((a) => a.agencyCode === code));
  const [agencyCode, setAgencyCode] = useState(options[0] ?? '');
  const add = useAction(async () => {
    await api(`${path}/assignments`, { method: 'POST', body: { agencyCode } });
    onDone();
  });
  if (options.length === 0) return null;
  return (
    <form
      className="usa-form"
      onSubmit={(e) => {
        e.preventDefault();
        void add.run();
      }}
      aria-labelledby="add-agency-h"
    >
      <h3 id="add-agency-h">Consult another agency</h3>
      <ProblemAlert error={add.error} />
      <SelectField id="add-agency" label="Agency" value={agencyCode} onChange={(e) => setAgencyCode(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </SelectField>
      <button className="usa-button usa-button--outline margin-top-2" type="submit" disabled={add.pending}>
        Add agency
      </button>
    </form>
  );
}

function Assignments(props: { path: string; assignments: Assignment[]; myOrgId: string; myAgency: string | null; myUserId: string; live: boolean; onDone: () => void }) {
  const { path, assignments, myAgency, myUserId, live, onDone } = props;
  const mine = assignments.find((a) => a.agencyCode === myAgency);
  const [due, setDue] = useState('');
  const update = useAction(async (body: { assigneeUserId?: string | null; dueAt?: string | null }) => {
    await api(`${path}/assignments/${mine!.id}`, { method: 'PATCH', body });
    onDone();
  });
  return (
    <section aria-labelledby="assignments-h" className="fw-section">
      <h2 id="assignments-h">Assigned agencies</h2>
      <ScrollTable captionId="assignments-caption">
        <table className="usa-table usa-table--borderless">
          <caption id="assignments-caption">Agencies, their role, analyst and due date</caption>
          <thead>
            <tr>
              <th scope="col">Agency</th>
              <th scope="col">Role</th>
              <th scope="col">Analyst</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {assignments.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.agencyCode}</th>
                <td>{ROLE_LABEL[a.role]}</td>
                <td>{a.assigneeName ?? '—'}</td>
                <td>{formatDate(a.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      {mine && live ? (
        <form
          className="usa-form"
          aria-labelledby="my-assignment-h"
          onSubmit={(e) => {
            e.preventDefault();
            void update.run({ dueAt: due ? new Date(`${due}T23:59:00`).toISOString() : null });
          }}
        >
          <h3 id="my-assignment-h">Your agency’s assignment</h3>
          <ProblemAlert error={update.error} />
          {mine.assigneeUserId !== myUserId ? (
            <button type="button" className="usa-button usa-button--outline" disabled={update.pending} onClick={() => void update.run({ assigneeUserId: myUserId })}>
              Assign to me
            </button>
          ) : null}
          <TextField id="assignment-due" label="Due date" type="date" value={due} error={fieldError(update.error, 'dueAt')} onChange={(e) => setDue(e.target.value)} />
          <button className="usa-button margin-top-2" type="submit" disabled={update.pending}>
            Set due date
          </button>
        </form>
      ) : null}
    </section>
  );
}
