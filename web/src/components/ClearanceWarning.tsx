// Warns SECRET/TOP SECRET users whose session was not established with TOTP.
import { Link } from 'react-router-dom';
import { classificationRank } from '../classification.tsx';
import type { Me } from '../types.ts';
import { Notice } from './Notice.tsx';

export function needsMfaWarning(me: Me): boolean {
  return classificationRank(me.user.clearance) >= classificationRank('SECRET') && !me.session.mfa;
}

export function ClearanceWarning({ me }: { me: Me }) {
  if (!needsMfaWarning(me)) return null;
  return (
    <Notice type="warning" heading="Your clearance is capped at CONFIDENTIAL" headingLevel="h2" testId="clearance-warning">
      <p className="margin-0">
        Your clearance is {me.user.clearance}, but this session was not started with a two-factor (TOTP) code, so
        you can only see material up to CONFIDENTIAL.{' '}
        {me.user.totpEnrolled ? (
          <>Sign out and sign in again with your authenticator code to use your full clearance.</>
        ) : (
          <>
            <Link to="/account#totp" className="usa-link">Enrol an authenticator on the Account page</Link>, then sign in
            again with a code.
          </>
        )}
      </p>
    </Notice>
  );
}
