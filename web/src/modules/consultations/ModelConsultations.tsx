// Developer: the consultations on one model — open one, read and write the thread, withdraw or close.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { useReportClassification } from '../../classification.tsx';
import { fieldError } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { Thread } from './Thread.tsx';
import { RECOMMENDATION_LABEL, STATUS_LABEL } from './types.ts';
import type { Consultation, ConsultationSummary } from './types.ts';

const ACTIVE = new Set(['open', 'in_review', 'answered']);

export function ModelConsultations() {
  const { id = '' } = useParams();
  const me = useMe();
  const list = useResource<{ items: ConsultationSummary[] }>(`/models/${encodeURIComponent(id)}/consultations`);
  const items = [...(list.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const [selected, setSelected] = useState<string>();
  const current = selected ?? items[0]?.id;
  const canOpen = me.abilities.includes('consultations:open') && !items.some((c) => ACTIVE.has(c.status));
  usePageTitle('Risk consultation');
  useReportClassification(items.length ? items.map((c) => c.marking) : { classification: 'UNCLASSIFIED' });

  const title = items[0] ? `Risk consultation: ${items[0].modelName} ${items[0].modelVersion}` : 'Risk consultation';
  return (
    <>
      <nav aria-label="Breadcrumbs" className="usa-breadcrumb">
        <ol className="usa-breadcrumb__list">
          <li className="usa-breadcrumb__list-item">
            <Link className="usa-breadcrumb__link" to={`/models/${encodeURIComponent(id)}`}>
              <span>Model</span>
            </Link>
          </li>
          <li className="usa-breadcrumb__list-item usa-current" aria-current="page">
            <span>Consultation</span>
          </li>
        </ol>
      </nav>
      <h1>{title}</h1>
      <p className="usa-intro">Ask the agencies whether this model is covered and would benefit from a pre-release review. It is voluntary advice: nothing here changes or delays your release.</p>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? <Loading label="Loading consultations…" /> : null}
      {canOpen && list.data ? <OpenForm modelId={id} onOpened={(cid) => (setSelected(cid), list.reload())} /> : null}
      {items.length > 1 ? (
        <section aria-labelledby="history-h" className="fw-section">
          <h2 id="history-h">Earlier consultations</h2>
          <ul className="usa-list">
            {items.map((c) => (
              <li key={c.id}>
                <button type="button" className="usa-button usa-button--unstyled" aria-pressed={c.id === current} onClick={() => setSelected(c.id)}>
                  Opened {formatDate(c.createdAt)}: {STATUS_LABEL[c.status]}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {current ? <CaseView key={current} id={current} onChanged={list.reload} /> : null}
    </>
  );
}

function OpenForm({ modelId, onOpened }: { modelId: string; onOpened: (id: string) => void }) {
  const [question, setQuestion] = useState('Is this model covered, and would it benefit from a pre-release review?');
  const open = useAction(async () => {
    const c = await api<Consultation>(`/models/${encodeURIComponent(modelId)}/consultations`, { method: 'POST', body: { question } });
    onOpened(c.id);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void open.run();
  };
  const err = fieldError(open.error, 'question');
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} aria-labelledby="open-h">
      <h2 id="open-h">Open a consultation</h2>
      <p>NSA decides; ONCD and CISA are consulted. They will be able to read this model while the consultation runs.</p>
      <ProblemAlert error={open.error} />
      <div className={`usa-form-group${err ? ' usa-form-group--error' : ''}`}>
        <label className="usa-label" htmlFor="open-question">
          Your question
        </label>
        {err ? (
          <span className="usa-error-message" id="open-question-error">
            {err}
          </span>
        ) : null}
        <textarea id="open-question" className="usa-textarea" required maxLength={10000} value={question} onChange={(e) => setQuestion(e.target.value)} aria-describedby={err ? 'open-question-error' : undefined} />
      </div>
      <button className="usa-button margin-top-2" type="submit" disabled={open.pending || !question.trim()}>
        Open consultation
      </button>
    </form>
  );
}

function CaseView({ id, onChanged }: { id: string; onChanged: () => void }) {
  const me = useMe();
  const c = useResource<Consultation>(`/consultations/${encodeURIComponent(id)}`);
  useReportClassification(c.data ? c.data.marking : null);
  const act = useAction(async (what: 'withdraw' | 'close') => {
    await api(`/consultations/${encodeURIComponent(id)}/${what}`, { method: 'POST' });
    c.reload();
    onChanged();
  });
  if (c.error) return <ProblemAlert error={c.error} />;
  if (!c.data) return <Loading label="Loading consultation…" />;
  const d = c.data;
  return (
    <section aria-labelledby="case-h" className="fw-section">
      <h2 id="case-h">Consultation opened {formatDateTime(d.createdAt)}</h2>
      <dl className="fw-dl">
        <dt>Status</dt>
        <dd data-testid="consultation-status">{STATUS_LABEL[d.status]}</dd>
        {d.recommendation ? (
          <>
            <dt>Recommendation</dt>
            <dd data-testid="consultation-recommendation">{RECOMMENDATION_LABEL[d.recommendation]}</dd>
          </>
        ) : null}
        <dt>Agencies</dt>
        <dd>{d.assignments.map((a) => a.agencyCode).join(', ')}</dd>
        <dt>Question</dt>
        <dd style={{ whiteSpace: 'pre-wrap' }}>{d.question}</dd>
      </dl>
      <ProblemAlert error={act.error} />
      <div className="usa-button-group">
        {d.can.close ? (
          <button type="button" className="usa-button usa-button--outline" disabled={act.pending} onClick={() => void act.run('close')}>
            Close consultation
          </button>
        ) : null}
        {d.can.withdraw ? (
          <button type="button" className="usa-button usa-button--secondary" disabled={act.pending} onClick={() => void act.run('withdraw')}>
            Withdraw consultation
          </button>
        ) : null}
      </div>
      <Thread consultationId={d.id} canPost={d.can.post} canPostInternal={false} clearance={me.session.effectiveClearance} headingLevel="h3" onPosted={c.reload} />
    </section>
  );
}
