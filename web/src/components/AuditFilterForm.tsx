// Audit trail → filter form.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { SelectField, TextField } from './Field.tsx';

export interface AuditFilters {
  actor: string;
  action: string;
  recordType: string;
  outcome: string;
  from: string; // yyyy-mm-dd (local)
  to: string; // yyyy-mm-dd (local)
}

export const EMPTY_FILTERS: AuditFilters = { actor: '', action: '', recordType: '', outcome: '', from: '', to: '' };

export const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** The API query for filters: dates become ISO instants (start of `from` day, end of `to` day, local time). */
export function auditQuery(filters: AuditFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.actor.trim()) query.actor = filters.actor.trim();
  if (filters.action.trim()) query.action = filters.action.trim();
  if (filters.recordType.trim()) query.recordType = filters.recordType.trim();
  if (filters.outcome) query.outcome = filters.outcome;
  if (filters.from) query.from = new Date(`${filters.from}T00:00:00`).toISOString();
  if (filters.to) query.to = new Date(`${filters.to}T23:59:59.999`).toISOString();
  return query;
}

export function AuditFilterForm({ initial, onApply }: { initial: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const [f, setF] = useState<AuditFilters>(initial);
  const set = (key: keyof AuditFilters) => (e: { target: { value: string } }) => setF((prev) => ({ ...prev, [key]: e.target.value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(f);
  }

  return (
    <form className="fw-filter-form" onSubmit={onSubmit} aria-labelledby="filter-heading" data-testid="audit-filters">
      <h2 id="filter-heading" className="margin-top-0">
        Filter events
      </h2>
      <div className="grid-row grid-gap">
        <div className="tablet:grid-col-4">
          <TextField id="f-actor" name="actor" label="Actor email" type="email" value={f.actor} onChange={set('actor')} />
        </div>
        <div className="tablet:grid-col-4">
          <TextField id="f-action" name="action" label="Action" hint="For example auth.login" value={f.action} onChange={set('action')} />
        </div>
        <div className="tablet:grid-col-4">
          <TextField id="f-record-type" name="recordType" label="Record type" hint="For example user" value={f.recordType} onChange={set('recordType')} />
        </div>
        <div className="tablet:grid-col-4">
          <SelectField id="f-outcome" name="outcome" label="Outcome" value={f.outcome} onChange={set('outcome')}>
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="tablet:grid-col-4">
          <TextField id="f-from" name="from" label="From date" type="date" value={f.from} onChange={set('from')} />
        </div>
        <div className="tablet:grid-col-4">
          <TextField id="f-to" name="to" label="To date" type="date" value={f.to} onChange={set('to')} />
        </div>
      </div>
      <div className="usa-button-group margin-top-2">
        <button className="usa-button" type="submit">
          Apply filters
        </button>
        <button
          className="usa-button usa-button--outline"
          type="button"
          onClick={() => {
            setF(EMPTY_FILTERS);
            onApply(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
