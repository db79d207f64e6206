// Organisations list (all for platform administrators, your own for organisation administrators).
import { Link } from 'react-router-dom';
import { Loading } from '../components/Loading.tsx';
import { OrgCreateForm } from '../components/OrgCreateForm.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { formatDate } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { useMe } from '../session.tsx';
import { orgKindLabel, sectorLabel } from '../types.ts';
import type { Items, Organisation } from '../types.ts';

export function Organisations() {
  usePageTitle('Organisations');
  const me = useMe();
  const canCreate = me.abilities.includes('organisations:manage');
  const orgs = useResource<Items<Organisation>>('/organisations');
  const items = orgs.data?.items ?? [];

  return (
    <>
      <h1>Organisations</h1>
      <p className="usa-intro">
        {canCreate
          ? 'Every organisation using Forewarn. Open one to manage its users and invitations.'
          : 'Your organisation. Open it to manage its users and invitations.'}
      </p>
      <ProblemAlert error={orgs.error} />
      {orgs.loading && !orgs.data ? (
        <Loading label="Loading organisations…" />
      ) : (
        <ScrollTable captionId="orgs-caption">
          <table className="usa-table usa-table--borderless usa-table--striped width-full" data-testid="orgs-table">
            <caption id="orgs-caption">
              {items.length === 1 ? '1 organisation' : `${items.length} organisations`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Agency</th>
                <th scope="col">Sector</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {items.map((org) => (
                <tr key={org.id}>
                  <th scope="row">
                    <Link className="usa-link" to={`/organisations/${encodeURIComponent(org.id)}`}>
                      {org.name}
                    </Link>
                  </th>
                  <td>{orgKindLabel(org.kind)}</td>
                  <td>{org.agencyCode ?? '—'}</td>
                  <td>{sectorLabel(org.sector)}</td>
                  <td>{formatDate(org.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {canCreate ? <OrgCreateForm onCreated={() => orgs.reload()} /> : null}
    </>
  );
}
