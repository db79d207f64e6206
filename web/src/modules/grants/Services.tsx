// Defensive-tool services for operators: the catalogue (public), enrolment requests, and the program's
// view of enrolments by sector and tier with the coverage of small operators as a chart and a table.
import { useState } from 'react';
import { api } from '../../api.ts';
import { SelectField, TextAreaField } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { formatDateTime } from '../../format.ts';
import { useAction, usePageTitle, useResource } from '../../hooks.ts';
import { useSession } from '../../session.tsx';
import { words, type Enrolment, type EnrolmentStats, type Service } from './types.ts';

function EnrolForm({ s, onDone }: { s: Service; onDone: () => void }) {
  const [tier, setTier] = useState(s.tiers[0] ?? 'small');
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const enrol = useAction(async () => {
    await api(`/services/${s.id}/enrolments`, { method: 'POST', body: { tier, ...(note.trim() ? { note: note.trim() } : {}) } });
    setDone(true);
    onDone();
  });
  if (done)
    return (
      <Notice type="success" slim role="status">
        <p className="margin-0">Enrolment requested.</p>
      </Notice>
    );
  return (
    <form
      className="usa-form"
      onSubmit={(e) => {
        e.preventDefault();
        void enrol.run();
      }}
    >
      <ProblemAlert error={enrol.error} />
      <SelectField id={`tier-${s.id}`} label="Your organisation’s size" value={tier} onChange={(e) => setTier(e.target.value)}>
        {['small', 'medium', 'large'].map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </SelectField>
      <TextAreaField id={`note-${s.id}`} label="Anything the provider should know (optional)" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <button className="usa-button" type="submit" disabled={enrol.pending}>
        Request enrolment in {s.name}
      </button>
    </form>
  );
}

export function Catalogue() {
  usePageTitle('Defensive-tool services');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  // Public page: works signed out too, where there are no abilities.
  const abilities = useSession().me?.abilities ?? [];
  const { data, error, loading, reload } = useResource<{ items: Service[] }>('/public/services');
  const operator = abilities.includes('enrolments:request');
  return (
    <>
      <h1>Defensive-tool services</h1>
      <p className="usa-intro">AI-enabled defensive tools and services for critical-infrastructure operators, from awardees and federal programs. This catalogue is public.</p>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data?.items.map((s) => (
        <section key={s.id} aria-labelledby={`svc-${s.id}`} className="fw-section border-top border-base-lighter padding-top-2" data-testid="service">
          <h2 id={`svc-${s.id}`}>{s.name}</h2>
          <p>{s.description}</p>
          <dl className="fw-summary">
            <dt>Provided by</dt>
            <dd>{s.provider}</dd>
            <dt>Sectors</dt>
            <dd>{s.sectors.map(words).join(', ')}</dd>
            <dt>Operator sizes</dt>
            <dd>{s.tiers.join(', ')}</dd>
            <dt>Cost to operator</dt>
            <dd>{s.costToOperator}</dd>
            <dt>How to enrol</dt>
            <dd>{s.howToEnrol}</dd>
          </dl>
          {operator ? <EnrolForm s={s} onDone={reload} /> : null}
        </section>
      ))}
    </>
  );
}

/** Share of operators per sector that are small operators enrolled: bars with a text alternative and the same numbers as a table. */
function CoverageChart({ rows }: { rows: EnrolmentStats['smallOperatorCoverage'] }) {
  const barH = 28;
  const labelW = 150;
  const width = 520;
  const height = rows.length * (barH + 10) + 10;
  return (
    <figure className="margin-x-0">
      <svg role="img" aria-labelledby="cov-title cov-desc" width="100%" viewBox={`0 0 ${width} ${height}`} className="maxw-tablet" data-testid="coverage-chart">
        <title id="cov-title">Coverage of small operators by sector</title>
        <desc id="cov-desc">{rows.map((r) => `${words(r.sector)}: ${Math.round(r.share * 100)}% (${r.smallOperatorsEnrolled} of ${r.operatorsOnForewarn})`).join('; ')}</desc>
        {rows.map((r, i) => {
          const y = 10 + i * (barH + 10);
          const w = Math.max(0, Math.min(1, r.share)) * (width - labelW - 60);
          return (
            <g key={r.sector}>
              <text x={0} y={y + barH / 2 + 5} fontSize="14" fill="#1b1b1b">
                {words(r.sector)}
              </text>
              <rect x={labelW} y={y} width={width - labelW - 60} height={barH} fill="#dfe1e2" />
              <rect x={labelW} y={y} width={w} height={barH} fill="#005ea2" />
              <text x={width - 50} y={y + barH / 2 + 5} fontSize="14" fill="#1b1b1b">
                {Math.round(r.share * 100)}%
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="usa-hint">Small operators enrolled in at least one service, as a share of the sector’s operators on Forewarn.</figcaption>
    </figure>
  );
}

export function Enrolments() {
  usePageTitle('Service enrolments');
  useReportClassification({ classification: 'UNCLASSIFIED' });
  // Public page: works signed out too, where there are no abilities.
  const abilities = useSession().me?.abilities ?? [];
  const program = abilities.includes('catalogue:manage');
  const { data, error, loading, reload } = useResource<{ items: Enrolment[] }>('/service-enrolments');
  const { data: stats, reload: reloadStats } = useResource<EnrolmentStats>(program ? '/service-enrolments/stats' : null);
  const decide = useAction(async (id: string, status: 'enrolled' | 'declined') => {
    await api(`/service-enrolments/${id}/decision`, { method: 'POST', body: { status } });
    reload();
    reloadStats();
  });
  return (
    <>
      <h1>Service enrolments</h1>
      <ProblemAlert error={error ?? decide.error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <p>No enrolment requests yet.</p> : null}
      {data && data.items.length > 0 ? (
        <ScrollTable captionId="enrol-caption">
          <table className="usa-table usa-table--borderless" data-testid="enrolments">
            <caption id="enrol-caption">Enrolment requests</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Operator</th>
                <th scope="col">Sector</th>
                <th scope="col">Size</th>
                <th scope="col">Status</th>
                <th scope="col">Requested</th>
                {program ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.serviceName}</th>
                  <td>{e.operatorOrgName}</td>
                  <td>{words(e.sector)}</td>
                  <td>{e.tier}</td>
                  <td>{e.status}</td>
                  <td>{formatDateTime(e.requestedAt)}</td>
                  {program ? (
                    <td>
                      {e.status === 'requested' ? (
                        <>
                          <button className="usa-button usa-button--unstyled margin-right-1" type="button" onClick={() => void decide.run(e.id, 'enrolled')}>
                            Enrol {e.operatorOrgName}
                          </button>
                          <button className="usa-button usa-button--unstyled" type="button" onClick={() => void decide.run(e.id, 'declined')}>
                            Decline {e.operatorOrgName}
                          </button>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {stats ? (
        <>
          <section aria-labelledby="cov-h" className="fw-section">
            <h2 id="cov-h">Coverage of small operators</h2>
            <CoverageChart rows={stats.smallOperatorCoverage} />
            <ScrollTable captionId="cov-caption">
              <table className="usa-table usa-table--borderless" data-testid="coverage">
                <caption id="cov-caption">Small operators enrolled, by sector</caption>
                <thead>
                  <tr>
                    <th scope="col">Sector</th>
                    <th scope="col">Operators on Forewarn</th>
                    <th scope="col">Small operators enrolled</th>
                    <th scope="col">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.smallOperatorCoverage.map((r) => (
                    <tr key={r.sector}>
                      <th scope="row">{words(r.sector)}</th>
                      <td>{r.operatorsOnForewarn}</td>
                      <td>{r.smallOperatorsEnrolled}</td>
                      <td>{Math.round(r.share * 100)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
          <section aria-labelledby="tier-h" className="fw-section">
            <h2 id="tier-h">Enrolments by sector and size</h2>
            <ScrollTable captionId="tier-caption">
              <table className="usa-table usa-table--borderless">
                <caption id="tier-caption">Requests pending and enrolments, by sector and operator size</caption>
                <thead>
                  <tr>
                    <th scope="col">Sector</th>
                    <th scope="col">Size</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Enrolled</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.bySectorTier.map((r) => (
                    <tr key={`${r.sector}-${r.tier}`}>
                      <th scope="row">{words(r.sector)}</th>
                      <td>{r.tier}</td>
                      <td>{r.requested}</td>
                      <td>{r.enrolled}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          </section>
        </>
      ) : null}
    </>
  );
}
