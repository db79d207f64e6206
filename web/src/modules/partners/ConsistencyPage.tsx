// Oversight: how panel decisions relate to the published criteria, with flags where they depart.
import { Loading } from '../../components/Loading.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { useReportClassification } from '../../classification.tsx';
import { usePageTitle, useResource } from '../../hooks.ts';
import type { Consistency } from './types.ts';

const REASONS: Record<string, string> = {
  refused_eligible_without_unmet_criterion: 'Refused an eligible applicant without citing a criterion the vetting found unmet',
  approved_not_eligible: 'Approved an applicant who was not eligible',
};

export function ConsistencyPage() {
  usePageTitle('Partner decision consistency');
  useReportClassification({ classification: 'CUI' });
  const { data, error, loading } = useResource<Consistency>('/partners/consistency');
  const names = new Map(data?.byMember.map((m) => [m.userId, m.name]));
  return (
    <>
      <h1>Consistency of partner decisions</h1>
      <ProblemAlert error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="fw-summary">
            <dt>Approved</dt>
            <dd>{data.byOutcome.approved}</dd>
            <dt>Refused</dt>
            <dd>{data.byOutcome.refused}</dd>
            <dt>Appeals approved</dt>
            <dd>{data.byOutcome.appealsApproved}</dd>
            <dt>Appeals refused</dt>
            <dd>{data.byOutcome.appealsRefused}</dd>
          </dl>
          <h2>Flags</h2>
          {data.flags.length === 0 ? <p>No decision departs from the criteria.</p> : null}
          <ul className="usa-list" data-testid="consistency-flags">
            {data.flags.map((f, i) => (
              <li key={i}>
                {f.scope === 'panel' ? 'Panel' : (names.get(f.userId ?? '') ?? 'Member')}: {REASONS[f.reason] ?? f.reason} (panel {f.panelId.slice(0, 8)})
              </li>
            ))}
          </ul>
          <h2>By member</h2>
          <ScrollTable captionId="members-caption">
            <table className="usa-table usa-table--borderless">
              <caption id="members-caption">Votes by panel member</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Side</th>
                  <th scope="col">Panels</th>
                  <th scope="col">Approvals</th>
                  <th scope="col">Refusals</th>
                  <th scope="col">Conflicts declared</th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {data.byMember.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">{m.name}</th>
                    <td>{m.side}</td>
                    <td>{m.panels}</td>
                    <td>{m.approvals}</td>
                    <td>{m.refusals}</td>
                    <td>{m.conflictsDeclared}</td>
                    <td>{m.flags}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          <h2>By criterion</h2>
          <ScrollTable captionId="criteria-caption">
            <table className="usa-table usa-table--borderless">
              <caption id="criteria-caption">Criteria cited and found unmet</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">Cited in approvals</th>
                  <th scope="col">Cited in refusals</th>
                  <th scope="col">Unmet in vetting</th>
                </tr>
              </thead>
              <tbody>
                {data.byCriterion.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{c.key}</th>
                    <td>{c.citedInApprovals}</td>
                    <td>{c.citedInRefusals}</td>
                    <td>{c.unmetInVetting}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}
