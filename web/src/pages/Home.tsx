// Dashboard: who you are, what your session allows, and where you can go.
import { Link } from 'react-router-dom';
import { usePageTitle } from '../hooks.ts';
import { visibleNavItems } from '../nav.ts';
import { useMe } from '../session.tsx';
import { orgKindLabel } from '../types.ts';
import { formatDateTime } from '../format.ts';

export function Home() {
  usePageTitle('Dashboard');
  const me = useMe();
  const destinations = visibleNavItems(me.abilities).filter((item) => item.path !== '/');

  return (
    <>
      <h1>Welcome, {me.user.name}</h1>
      <p className="usa-intro">
        {me.organisation.name} · {orgKindLabel(me.organisation.kind)}
        {me.organisation.agencyCode ? ` (${me.organisation.agencyCode})` : ''}
      </p>

      <h2>Your session</h2>
      <dl className="fw-summary" data-testid="session-summary">
        <dt>Email</dt>
        <dd>{me.user.email}</dd>
        <dt>Clearance</dt>
        <dd>{me.user.clearance}</dd>
        <dt>Effective clearance this session</dt>
        <dd data-testid="effective-clearance">{me.session.effectiveClearance}</dd>
        <dt>Compartments</dt>
        <dd>{me.user.compartments.length ? me.user.compartments.join(', ') : 'None'}</dd>
        <dt>Two-factor authentication</dt>
        <dd>{me.session.mfa ? 'Used at sign-in' : me.user.totpEnrolled ? 'Enrolled, not used at sign-in' : 'Not enrolled'}</dd>
        <dt>Session expires</dt>
        <dd>{me.session.expiresAt ? formatDateTime(me.session.expiresAt) : 'When you sign out'}</dd>
      </dl>

      <h2>Where to go</h2>
      <ul className="usa-card-group">
        {destinations.map((item) => (
          <li key={item.path} className="usa-card tablet:grid-col-4">
            <div className="usa-card__container">
              <div className="usa-card__header">
                <h3 className="usa-card__heading">
                  <Link className="usa-link" to={item.path}>
                    {item.label}
                  </Link>
                </h3>
              </div>
              <div className="usa-card__body">
                <p>{item.description}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
