// A window's coordination board: workstreams by status at the reader's clearance; planners add
// workstreams, assignees move theirs along.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api.ts';
import { CheckboxField, fieldError, SelectField, TextAreaField, TextField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { WORKSTREAM_EVENT_LABELS, WORKSTREAM_KINDS, WORKSTREAM_STATUSES, type Board, type Workstream } from './types.ts';

function localToIso(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function PlanForm({ board, onDone }: { board: Board; onDone: () => void }) {
  const [kind, setKind] = useState('safeguard_red_teaming');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [marking, setMarking] = useState('');
  const [assignees, setAssignees] = useState<Set<string>>(new Set());
  const add = useAction(async () => {
    await api(`/windows/${board.window.id}/assessment/workstreams`, {
      method: 'POST',
      body: { kind, title, dueAt: localToIso(dueAt), assigneeOrgIds: [...assignees], ...(description.trim() ? { description } : {}), ...(marking.trim() ? { marking: marking.trim() } : {}) },
    });
    setTitle('');
    setDescription('');
    setAssignees(new Set());
    onDone();
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void add.run();
  }
  const assigneeError = fieldError(add.error, 'assigneeOrgIds');
  return (
    <section aria-labelledby="plan-heading" className="fw-section">
      <h2 id="plan-heading">Add a workstream</h2>
      <ProblemAlert error={add.error} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} aria-labelledby="plan-heading">
        <SelectField id="ws-kind" label="Workstream" required value={kind} onChange={(e) => setKind(e.target.value)}>
          {WORKSTREAM_KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField id="ws-title" label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} error={fieldError(add.error, 'title')} />
        <TextAreaField id="ws-description" label="Description" maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <TextField
          id="ws-due"
          type="datetime-local"
          label="Due"
          hint={`Inside the window: ${formatDateTime(board.window.opensAt)} to ${formatDateTime(board.window.closesAt)}. Your local time.`}
          required
          value={dueAt}
          onChange={(e) => setDueAt(e.target.value)}
          error={fieldError(add.error, 'dueAt')}
        />
        <TextField id="ws-marking" label="Marking" hint="CUI by default; the classified benchmark is always SECRET//BENCH." maxLength={60} value={marking} onChange={(e) => setMarking(e.target.value)} error={fieldError(add.error, 'marking')} />
        <fieldset className={`usa-fieldset usa-form-group${assigneeError ? ' usa-form-group--error' : ''}`}>
          <legend className="usa-legend">Assigned to</legend>
          {assigneeError ? <span className="usa-error-message">{assigneeError}</span> : null}
          {board.participants.map((p) => (
            <CheckboxField
              key={p.orgId}
              id={`ws-assignee-${p.orgId}`}
              label={p.orgName ?? p.orgId}
              checked={assignees.has(p.orgId)}
              onChange={(e) =>
                setAssignees((prev) => {
                  const next = new Set(prev);
                  if (e.target.checked) next.add(p.orgId);
                  else next.delete(p.orgId);
                  return next;
                })
              }
            />
          ))}
        </fieldset>
        <button className="usa-button margin-top-2" type="submit" disabled={add.pending}>
          Add workstream
        </button>
      </form>
    </section>
  );
}

function StatusControl({ w, onDone }: { w: Workstream; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const move = useAction(async (event: string) => {
    await api(`/assessment-workstreams/${w.id}/status`, { method: 'POST', body: { event, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
    setReason('');
    onDone();
  });
  if (w.allowedEvents.length === 0) return <>—</>;
  const needsReason = w.allowedEvents.some((e) => e === 'block' || e === 'cancel');
  return (
    <div>
      <ProblemAlert error={move.error} />
      {needsReason ? (
        <div className="usa-form-group margin-top-0">
          <label className="usa-label margin-top-0" htmlFor={`ws-reason-${w.id}`}>
            Reason<span className="usa-sr-only"> for {w.title}</span> (to block or cancel)
          </label>
          <input id={`ws-reason-${w.id}`} className="usa-input" maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      ) : null}
      <ul className="usa-button-group">
        {w.allowedEvents.map((e) => (
          <li className="usa-button-group__item" key={e}>
            <button className="usa-button usa-button--outline" type="button" disabled={move.pending} onClick={() => void move.run(e)}>
              {WORKSTREAM_EVENT_LABELS[e] ?? e}
              <span className="usa-sr-only">: {w.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function AssessmentBoard() {
  const { id = '' } = useParams();
  const { data: board, error, loading, reload } = useResource<Board>(`/windows/${id}/assessment`);
  usePageTitle(board ? `Assessment of ${board.window.modelName}` : 'Assessment board');
  useReportClassification(board ? board.marking : null);
  if (loading && !board) return <Loading />;
  if (!board)
    return (
      <>
        <h1>Assessment board</h1>
        <ProblemAlert error={error} />
      </>
    );
  return (
    <>
      <h1>
        Assessment of {board.window.modelName} {board.window.modelVersion}
      </h1>
      <p>
        <Link className="usa-link" to="/assessments">
          All assessment boards
        </Link>
      </p>
      <p className="usa-intro">
        Review window {board.window.status}, {formatDateTime(board.window.opensAt)} to {formatDateTime(board.window.closesAt)}. You see the workstreams at or below your clearance.
      </p>
      <ProblemAlert error={error} />
      {WORKSTREAM_STATUSES.map(([status, label]) => {
        const rows = board.workstreams.filter((w) => w.status === status);
        return (
          <section key={status} aria-labelledby={`ws-${status}-heading`} className="fw-section">
            <h2 id={`ws-${status}-heading`}>
              {label} ({rows.length})
            </h2>
            {rows.length ? (
              <ScrollTable captionId={`ws-${status}-caption`}>
                <table className="usa-table usa-table--borderless" data-testid={`workstreams-${status}`}>
                  <caption id={`ws-${status}-caption`}>Workstreams: {label.toLowerCase()}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Workstream</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Assigned to</th>
                      <th scope="col">Due</th>
                      <th scope="col">Marking</th>
                      <th scope="col">Update</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((w) => (
                      <tr key={w.id}>
                        <th scope="row">
                          {w.title}
                          {w.statusReason ? <div className="usa-hint">{w.statusReason}</div> : null}
                        </th>
                        <td>{w.kindLabel}</td>
                        <td>{w.assignees.map((a) => a.orgName).join(', ') || '—'}</td>
                        <td>{formatDateTime(w.dueAt)}</td>
                        <td>{w.markingText}</td>
                        <td>
                          <StatusControl w={w} onDone={reload} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            ) : (
              <p>None.</p>
            )}
          </section>
        );
      })}
      {board.canManage ? <PlanForm board={board} onDone={reload} /> : null}
    </>
  );
}
