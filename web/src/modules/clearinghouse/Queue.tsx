// The validation queue: every vulnerability the analyst is cleared for, oldest service-level target first.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { SelectField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { shortId, STATES, STATUS_LABELS, type QueueItem } from './types.ts';

export function ValidationQueue() {
  usePageTitle('Validation queue');
  const me = useMe();
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState('');
  const { data, error, loading } = useResource<{ items: QueueItem[] }>('/clearinghouse/queue', { status, overdue });
  const items = data?.items ?? [];
  useReportClassification(data ? { classification: items.length ? 'CUI' : 'UNCLASSIFIED' } : null);
  return (
    <>
      <h1>Validation queue</h1>
      <p className="usa-intro">Reported vulnerabilities waiting for triage, validation and coordination, the most pressing service-level target first. Times are shown in your time zone.</p>
      <form aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="grid-row grid-gap">
          <div className="grid-col-12 tablet:grid-col-4">
            <SelectField id="queue-status" label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="grid-col-12 tablet:grid-col-4">
            <SelectField id="queue-overdue" label="Service-level target" value={overdue} onChange={(e) => setOverdue(e.target.value)}>
              <option value="">All</option>
              <option value="true">Overdue only</option>
              <option value="false">Not overdue</option>
            </SelectField>
          </div>
        </div>
      </form>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data && items.length === 0 ? <p data-testid="queue-empty">Nothing in the queue matches.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="queue-caption">
          <table className="usa-table usa-table--borderless" data-testid="queue">
            <caption id="queue-caption">
              {items.length} vulnerabilit{items.length === 1 ? 'y' : 'ies'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Vulnerability</th>
                <th scope="col">Status</th>
                <th scope="col">Age (days)</th>
                <th scope="col">In this status since</th>
                <th scope="col">Due</th>
                <th scope="col">Validator</th>
                <th scope="col">Reports</th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={v.id} data-testid={`queue-row-${v.id}`}>
                  <th scope="row">
                    <Link className="usa-link" to={`/clearinghouse/vulnerabilities/${v.id}`}>
                      {v.title}
                    </Link>
                  </th>
                  <td>{STATUS_LABELS[v.status] ?? v.status}</td>
                  <td>{v.ageDays}</td>
                  <td>{formatDateTime(v.statusSince)}</td>
                  <td>
                    {v.slaDueAt ? formatDateTime(v.slaDueAt) : 'No target'}
                    {v.slaDays !== null ? <span className="usa-sr-only"> ({v.slaDays}-day target)</span> : null}
                    {v.overdue ? <span className="usa-tag bg-secondary-dark margin-left-1">Overdue</span> : null}
                  </td>
                  <td>{v.assignedValidatorUserId === null ? 'Unassigned' : v.assignedValidatorUserId === me.user.id ? 'You' : <span className="text-mono">{shortId(v.assignedValidatorUserId)}</span>}</td>
                  <td>{v.reports}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
