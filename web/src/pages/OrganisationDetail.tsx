// One organisation: its details, users (with per-user edit) and the invite form.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { rolesForKind } from '../components/AccessFields.tsx';
import { InviteForm } from '../components/InviteForm.tsx';
import { Loading } from '../components/Loading.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { UserEditForm } from '../components/UserEditForm.tsx';
import { formatDateTime } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { orgKindLabel, sectorLabel } from '../types.ts';
import type { Items, Organisation, OrgUser, RoleInfo } from '../types.ts';

export function OrganisationDetail() {
  const { id = '' } = useParams();
  const path = `/organisations/${encodeURIComponent(id)}`;
  const org = useResource<Organisation>(path);
  const users = useResource<Items<OrgUser>>(`${path}/users`);
  const roles = useResource<Items<RoleInfo>>('/roles');
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const editRef = useRef<HTMLDivElement>(null);
  usePageTitle(org.data ? org.data.name : 'Organisation');

  const roleLabels = useMemo(() => new Map((roles.data?.items ?? []).map((r) => [r.role, r.label])), [roles.data]);

  useEffect(() => {
    if (editing) editRef.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [editing]);

  if (org.error) {
    return (
      <>
        <h1>Organisation</h1>
        <ProblemAlert error={org.error} />
        <p>
          <Link className="usa-link" to="/organisations">
            Back to organisations
          </Link>
        </p>
      </>
    );
  }
  if (!org.data) return <Loading label="Loading organisation…" />;

  const o = org.data;
  const userItems = users.data?.items ?? [];
  const kindRoles = rolesForKind(roles.data?.items ?? [], o.kind);
  const editingUser = userItems.find((u) => u.id === editing);

  return (
    <>
      <nav aria-label="Breadcrumbs" className="usa-breadcrumb">
        <ol className="usa-breadcrumb__list">
          <li className="usa-breadcrumb__list-item">
            <Link className="usa-breadcrumb__link" to="/organisations">
              <span>Organisations</span>
            </Link>
          </li>
          <li className="usa-breadcrumb__list-item usa-current" aria-current="page">
            <span>{o.name}</span>
          </li>
        </ol>
      </nav>
      <h1>{o.name}</h1>
      <dl className="fw-summary">
        <dt>Kind</dt>
        <dd>{orgKindLabel(o.kind)}</dd>
        {o.agencyCode ? (
          <>
            <dt>Agency</dt>
            <dd>{o.agencyCode}</dd>
          </>
        ) : null}
        {o.sector ? (
          <>
            <dt>Sector</dt>
            <dd>{sectorLabel(o.sector)}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDateTime(o.createdAt)}</dd>
      </dl>

      <section aria-labelledby="users-heading" className="fw-section">
        <h2 id="users-heading">Users</h2>
        {saved ? (
          <Notice type="success" slim role="status">
            <p className="margin-0">Saved changes to {saved}.</p>
          </Notice>
        ) : null}
        <ProblemAlert error={users.error} />
        <ProblemAlert error={roles.error} />
        {users.loading && !users.data ? (
          <Loading label="Loading users…" />
        ) : (
          <ScrollTable captionId="users-caption">
            <table className="usa-table usa-table--borderless usa-table--striped usa-table--compact width-full" data-testid="users-table">
              <caption id="users-caption">Users of {o.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Clearance</th>
                  <th scope="col">Compartments</th>
                  <th scope="col">Status</th>
                  <th scope="col">Authenticator</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="usa-sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {userItems.map((u) => (
                  <tr key={u.id}>
                    <th scope="row" className="fw-nowrap">{u.name}</th>
                    <td>{u.email}</td>
                    <td>{u.roles.map((r) => roleLabels.get(r) ?? r).join(', ') || '—'}</td>
                    <td>{u.clearance}</td>
                    <td>{u.compartments.join(', ') || '—'}</td>
                    <td>{u.disabled ? 'Disabled' : u.invitationPending ? 'Invitation pending' : 'Active'}</td>
                    <td>{u.totpEnrolled ? 'Enrolled' : 'Not enrolled'}</td>
                    <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'Never'}</td>
                    <td>
                      <button
                        type="button"
                        className="usa-button usa-button--unstyled"
                        aria-expanded={editing === u.id}
                        aria-controls="edit-user-panel"
                        onClick={() => {
                          setSaved(undefined);
                          setEditing(editing === u.id ? undefined : u.id);
                        }}
                      >
                        Edit<span className="usa-sr-only"> {u.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
        <div id="edit-user-panel" ref={editRef}>
          {editingUser ? (
            <UserEditForm
              key={editingUser.id}
              user={editingUser}
              roles={kindRoles}
              onSaved={(u) => {
                setEditing(undefined);
                setSaved(u.name || u.email);
                users.reload();
              }}
              onCancel={() => setEditing(undefined)}
            />
          ) : null}
        </div>
      </section>

      <InviteForm org={o} roles={roles.data?.items ?? []} onInvited={() => users.reload()} />
    </>
  );
}
