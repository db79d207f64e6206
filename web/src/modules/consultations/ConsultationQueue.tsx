// Agency queue: consultations assigned to my agency, soonest planned release first.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { CheckboxField, SelectField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDate } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { ROLE_LABEL, STATUS_LABEL } from './types.ts';
import type { Assignment, ConsultationStatus, ConsultationSummary } from './types.ts';

export function ConsultationQueue() {
  usePageTitle('Consultations');
  const [status, setStatus] = useState<ConsultationStatus | ''>('');
  const [mine, setMine] = useState(false);
  const list = useResource<{ items: ConsultationSummary[] }>('/consultations', { status, mine: mine ? 'true' : undefined });
  const items = list.data?.items ?? [];
  useReportClassification(items.length ? items.map((c) => c.marking) : { classification: 'UNCLASSIFIED' });
  return (
    <>
      <h1>Consultations</h1>
      <p className="usa-intro">Risk consultations assigned to your agency, soonest planned public release first. Consultations never hold up a release.</p>
      <form className="usa-form" onSubmit={(e) => e.preventDefault()} aria-label="Filter consultations">
        <SelectField id="queue-status" label="Status" value={status} onChange={(e) => setStatus(e.target.value as ConsultationStatus | '')}>
          <option value="">Any status</option>
          {(Object.keys(STATUS_LABEL) as ConsultationStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </SelectField>
        <CheckboxField id="queue-mine" label="Assigned to me" checked={mine} onChange={(e) => setMine(e.target.checked)} className="margin-top-2" />
      </form>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data ? <Loading label="Loading consultations…" /> : null}
      {list.data && items.length === 0 ? <p>No consultations match.</p> : null}
      {items.length > 0 ? (
        <ScrollTable captionId="queue-caption">
          <table className="usa-table usa-table--borderless width-full">
            <caption id="queue-caption">Consultation queue</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Your agency</th>
                <th scope="col">Due</th>
                <th scope="col">Days to release</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/consultations/${c.id}`}>
                      {c.modelName} {c.modelVersion}
                    </Link>
                  </th>
                  <td>{STATUS_LABEL[c.status]}</td>
                  <td>
                    {c.myRole ? ROLE_LABEL[c.myRole as Assignment['role']] : '—'}
                    {c.assignedToMe ? ' (you)' : ''}
                  </td>
                  <td>{formatDate(c.dueAt)}</td>
                  <td>{c.daysToRelease}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </>
  );
}
