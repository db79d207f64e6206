// One vulnerability. Analysts (and its assigned validator) get the validation workspace: assessment,
// evidence, assignment, moves with reasons, history and the credited reporters; a reporter sees
// where its own reports stand, nothing of the analysts' work.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { usePageTitle, useResource } from '../../hooks.ts';
import { useMe } from '../../session.tsx';
import { describeAffected, STATUS_LABELS, type Vulnerability, type VulnerabilityState } from './types.ts';
import { AssessmentForm, AssignForm, Coordination, EvidenceForm, TransitionForm } from './WorkspaceForms.tsx';

const statusLabel = (s: string | null) => (s ? (STATUS_LABELS[s as VulnerabilityState] ?? s) : '—');

function Credits({ v, myUserId }: { v: Vulnerability; myUserId: string }) {
  return (
    <ScrollTable captionId="credits-caption">
      <table className="usa-table usa-table--borderless" data-testid="credits">
        <caption id="credits-caption">{v.view === 'analyst' ? 'Credits: every report of this vulnerability' : 'Your reports of this vulnerability'}</caption>
        <thead>
          <tr>
            <th scope="col">Report</th>
            <th scope="col">Reporter</th>
            <th scope="col">Organisation</th>
            <th scope="col">Outcome</th>
            <th scope="col">Linked</th>
          </tr>
        </thead>
        <tbody>
          {v.credits.map((c) => (
            <tr key={`${c.reportId}-${c.linkedAt}`}>
              <th scope="row">
                <Link className="usa-link text-mono" to={`/clearinghouse/reports/${c.reportId}`}>
                  {c.reportId.slice(0, 8)}
                </Link>
              </th>
              <td>{c.reporterUserId === myUserId ? 'You' : <span className="text-mono">{c.reporterUserId}</span>}</td>
              <td className="text-mono">{c.reporterOrgId}</td>
              <td>{c.merged ? 'Merged (a later report)' : 'First report'}</td>
              <td>{formatDateTime(c.linkedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function AnalystWorkspace({ v, onChange }: { v: Vulnerability; onChange: (v: Vulnerability) => void }) {
  const me = useMe();
  // Forms start from what was saved: a fresh key after every change resets them.
  const version = `${v.status}-${v.history?.length ?? 0}-${v.evidence?.length ?? 0}-${JSON.stringify(v.cvss)}-${JSON.stringify(v.affected)}-${(v.cwe ?? []).join()}`;
  return (
    <>
      <dl className="fw-summary" data-testid="vulnerability-summary">
        <dt>Status</dt>
        <dd data-testid="vulnerability-status">{statusLabel(v.status)}</dd>
        <dt>In this status since</dt>
        <dd>{formatDateTime(v.statusSince)}</dd>
        <dt>Service-level target</dt>
        <dd data-testid="sla">
          {v.slaDueAt ? `Due ${formatDateTime(v.slaDueAt)}` : 'None in this status'}
          {v.overdue ? <span className="usa-tag bg-secondary-dark margin-left-1">Overdue</span> : null}
        </dd>
        <dt>Received</dt>
        <dd>{formatDateTime(v.createdAt)}</dd>
        <dt>Scores</dt>
        <dd data-testid="cvss">{v.cvss?.length ? v.cvss.map((c) => `CVSS ${c.version} ${c.baseScore} ${c.severity} (${c.vector})`).join('; ') : 'Not scored yet'}</dd>
        <dt>Weaknesses</dt>
        <dd>{v.cwe?.length ? v.cwe.join(', ') : '—'}</dd>
        <dt>Affected products</dt>
        <dd>{v.affected?.length ? v.affected.map((a) => describeAffected(a)).join(' · ') : '—'}</dd>
        <dt>Marking</dt>
        <dd>CUI</dd>
      </dl>

      <TransitionForm key={`move-${version}`} v={v} abilities={me.abilities} onDone={onChange} />
      <Coordination key={`coordination-${v.status}`} v={v} abilities={me.abilities} />
      {me.abilities.includes('clearinghouse:validate') ? <AssignForm key={`assign-${v.assignedValidatorUserId}`} v={v} myUserId={me.user.id} onDone={onChange} /> : null}
      {me.abilities.includes('clearinghouse:validate') ? <AssessmentForm key={`assess-${version}`} v={v} onDone={onChange} /> : null}

      <section aria-labelledby="evidence-heading" className="margin-top-4">
        <h2 id="evidence-heading">Evidence</h2>
        {v.evidence?.length ? (
          <ul className="usa-list" data-testid="evidence">
            {v.evidence.map((e) => (
              <li key={e.id}>
                {e.kind}
                {e.name ? `: ${e.name}` : ''} ({e.mediaType ?? 'unknown type'}, {e.sizeBytes.toLocaleString('en-US')} bytes, added {formatDateTime(e.addedAt)})
              </li>
            ))}
          </ul>
        ) : (
          <p>No evidence yet.</p>
        )}
        <EvidenceForm v={v} onDone={onChange} />
      </section>

      <section aria-labelledby="credits-heading" className="margin-top-4">
        <h2 id="credits-heading">Reporters</h2>
        <Credits v={v} myUserId={me.user.id} />
      </section>

      <ScrollTable captionId="history-caption">
        <table className="usa-table usa-table--borderless" data-testid="history">
          <caption id="history-caption">History</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {(v.history ?? []).map((h, i) => (
              <tr key={i}>
                <th scope="row">{formatDateTime(h.at)}</th>
                <td>{statusLabel(h.from)}</td>
                <td>{statusLabel(h.to)}</td>
                <td>{h.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </>
  );
}

export function VulnerabilityPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const res = useResource<Vulnerability>(`/clearinghouse/vulnerabilities/${id}`);
  const [v, setV] = useState<Vulnerability | undefined>();
  useEffect(() => setV(res.data), [res.data]);
  usePageTitle(v?.title ?? 'Vulnerability');
  useReportClassification(v ? { classification: 'CUI' } : null);
  if (res.loading && !v) return <Loading />;
  if (!v)
    return (
      <>
        <h1>Vulnerability</h1>
        <ProblemAlert error={res.error} />
      </>
    );
  return (
    <>
      <h1>{v.view === 'analyst' ? v.title : 'Where your report stands'}</h1>
      <p>
        {me.abilities.includes('clearinghouse:validate') ? (
          <Link className="usa-link" to="/clearinghouse/queue">
            Validation queue
          </Link>
        ) : (
          <Link className="usa-link" to="/clearinghouse/report">
            Report a vulnerability
          </Link>
        )}
      </p>
      {v.view === 'analyst' ? (
        <AnalystWorkspace v={v} onChange={setV} />
      ) : (
        <>
          <dl className="fw-summary" data-testid="vulnerability-summary">
            <dt>Vulnerability</dt>
            <dd className="text-mono">{v.id}</dd>
            <dt>Status</dt>
            <dd data-testid="vulnerability-status">{statusLabel(v.status)}</dd>
            <dt>Since</dt>
            <dd>{formatDateTime(v.statusSince)}</dd>
          </dl>
          <Credits v={v} myUserId={me.user.id} />
        </>
      )}
    </>
  );
}
