// Account: details, password, TOTP, API tokens, sign-out.
import { ApiTokensSection } from '../components/ApiTokensSection.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { SignOutSection } from '../components/SignOutSection.tsx';
import { TotpSection } from '../components/TotpSection.tsx';
import { usePageTitle, useResource } from '../hooks.ts';
import type { Items, RoleInfo } from '../types.ts';
import { useMe } from '../session.tsx';

export function Account() {
  usePageTitle('Account');
  const me = useMe();
  const roles = useResource<Items<RoleInfo>>('/roles');
  const label = (role: string) => roles.data?.items.find((r) => r.role === role)?.label ?? role;
  return (
    <>
      <h1>Your account</h1>
      <p className="usa-intro">
        {me.user.name} ({me.user.email}), {me.organisation.name}
      </p>
      <dl className="fw-summary">
        <dt>Roles</dt>
        <dd>{me.user.roles.length ? me.user.roles.map(label).join(', ') : 'None'}</dd>
        <dt>Clearance</dt>
        <dd>{me.user.clearance}</dd>
        <dt>Compartments</dt>
        <dd>{me.user.compartments.length ? me.user.compartments.join(', ') : 'None'}</dd>
      </dl>
      <PasswordForm />
      <TotpSection />
      <ApiTokensSection />
      <SignOutSection />
    </>
  );
}
