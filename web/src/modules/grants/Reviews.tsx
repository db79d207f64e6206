// The reviewer's assignments: declare a conflict (or none), then score each criterion with a comment.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useReportClassification } from '../../classification.tsx';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import type { Assignment, Opportunity } from './types.ts';

function AssignmentCard({ a, onChange }: { a: Assignment; onChange: () => void }) {
  const { data: opp } = useResource<Opportunity>(`/public/grant-opportunities/${a.opportunityId}`);
  const [conflictNote, setConflictNote] = useState('');
  const [scores, setScores] = useState<Record<string, { score: string; comment: string }>>(Object.fromEntries(a.scores.map((s) => [s.criterionKey, { score: String(s.score), comment: s.comment }])));
  const declare = useAction(async (conflict: boolean) => {
    await api(`/grant-reviews/${a.id}/declaration`, { method: 'POST', body: conflict ? { conflict, note: conflictNote.trim() } : { conflict } });
    onChange();
  });
  const score = useAction(async () => {
    await api(`/grant-reviews/${a.id}/scores`, { method: 'POST', body: { scores: Object.entries(scores).map(([criterionKey, v]) => ({ criterionKey, score: Number(v.score), comment: v.comment.trim() })) } });
    onChange();
  });
  const h = `asg-${a.id}`;
  return (
    <section aria-labelledby={h} className="fw-section border-top border-base-lighter padding-top-2" data-testid="assignment">
      <h2 id={h}>{a.projectTitle}</h2>
      <p>
        {a.applicantOrgName}, for {a.opportunityTitle}.{' '}
        <Link className="usa-link" to={`/grants/applications/${a.applicationId}`}>
          Read the application
        </Link>
        . Status: <strong data-testid="assignment-status">{a.status}</strong>
        {a.rawScore !== null ? `, raw score ${a.rawScore.toFixed(1)} / 100` : ''}
      </p>
      {a.status === 'assigned' ? (
        <div className="usa-form">
          <ProblemAlert error={declare.error} />
          <button className="usa-button" type="button" onClick={() => void declare.run(false)}>
            I have no conflict of interest
          </button>
          <TextField id={`${h}-conflict`} label="Or describe your conflict of interest" value={conflictNote} maxLength={2000} onChange={(e) => setConflictNote(e.target.value)} />
          <button className="usa-button usa-button--secondary" type="button" disabled={!conflictNote.trim()} onClick={() => void declare.run(true)}>
            Declare a conflict
          </button>
        </div>
      ) : null}
      {a.status === 'conflicted' ? <p>You declared a conflict of interest ({a.conflictNote}); you do not score this application.</p> : null}
      {(a.status === 'cleared' || a.status === 'scored') && opp ? (
        <form
          className="usa-form maxw-tablet"
          onSubmit={(e) => {
            e.preventDefault();
            void score.run();
          }}
        >
          <ProblemAlert error={score.error} />
          {opp.rubric.map((c) => (
            <fieldset className="usa-fieldset" key={c.key}>
              <legend className="usa-legend">
                {c.title} (weight {c.weight})
              </legend>
              <p className="usa-hint">{c.description}</p>
              <SelectField id={`${h}-${c.key}-score`} label={`Score for ${c.title}`} required value={scores[c.key]?.score ?? ''} onChange={(e) => setScores({ ...scores, [c.key]: { comment: scores[c.key]?.comment ?? '', score: e.target.value } })}>
                <option value="">Choose</option>
                {Array.from({ length: opp.scoreMax + 1 }, (_, i) => (
                  <option key={i} value={i}>
                    {i}
                  </option>
                ))}
              </SelectField>
              <TextAreaField id={`${h}-${c.key}-comment`} label={`Comment on ${c.title}`} required maxLength={4000} value={scores[c.key]?.comment ?? ''} onChange={(e) => setScores({ ...scores, [c.key]: { score: scores[c.key]?.score ?? '', comment: e.target.value } })} />
            </fieldset>
          ))}
          <button className="usa-button" type="submit" disabled={score.pending}>
            {a.status === 'scored' ? 'Update scores' : 'Submit scores'}
          </button>
        </form>
      ) : null}
    </section>
  );
}

export function ReviewAssignments() {
  usePageTitle('Grant reviews');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  const { data, error, loading, reload } = useResource<{ items: Assignment[] }>('/grant-reviews');
  return (
    <>
      <h1>Grant reviews</h1>
      <p className="usa-intro">Declare any conflict of interest before you score. Applicants see your comments, never your name.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No applications are assigned to you.</p> : null}
      {data?.items.map((a) => <AssignmentCard key={a.id} a={a} onChange={reload} />)}
    </>
  );
}
