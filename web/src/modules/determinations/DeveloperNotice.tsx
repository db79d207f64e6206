// The developer's view of a determination: the outcome, the unclassified summary, the expiry and the
// re-evaluation triggers. Nothing else of the determination ever reaches this page.
import { Link, useParams } from 'react-router-dom';
import { useReportClassification } from '../../classification.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { OUTCOME_LABEL, TRIGGER_LABEL, pageMarking, type DeterminationNotice } from './types.ts';

export function DeveloperNoticePage() {
  const { id = '' } = useParams();
  usePageTitle('Determination outcome');
  const res = useResource<DeterminationNotice>(`/models/${id}/determination-notice`);
  const n = res.data;
  useReportClassification(n ? pageMarking(n.marking) : { classification: 'UNCLASSIFIED' });
  return (
    <>
      <p>
        <Link className="usa-link" to={`/models/${id}`}>
          Back to the model
        </Link>
      </p>
      <h1>Determination outcome</h1>
      {res.loading ? <Loading /> : null}
      {res.error && res.error.status === 404 ? (
        <p data-testid="no-notice">No determination has been recorded for this model.</p>
      ) : (
        <ProblemAlert error={res.error} />
      )}
      {n ? (
        <div data-testid="determination-notice">
          <h2>{OUTCOME_LABEL[n.outcome] ?? n.outcome}</h2>
          <p className="fw-prewrap">{n.summary}</p>
          <dl className="fw-dl">
            <dt>Decided</dt>
            <dd>{formatDateTime(n.decidedAt)}</dd>
            <dt>Valid until</dt>
            <dd>{n.expiresAt ? formatDate(n.expiresAt) : 'No expiry'}</dd>
          </dl>
          <h2>When the model will be looked at again</h2>
          <ul className="usa-list">
            {n.reevaluationTriggers.map((t) => (
              <li key={t}>{TRIGGER_LABEL[t] ?? t}</li>
            ))}
          </ul>
          <p>This outcome does not change, delay or condition your release: your release date stays yours to set.</p>
        </div>
      ) : null}
    </>
  );
}
