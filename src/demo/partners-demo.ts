import type { Db } from '../db/client.ts';
import { findUserByEmail } from '../modules/identity/identity.dal.ts';
import { subjectFor } from '../modules/identity/identity.fns.ts';
import type { Services } from '../server/services.ts';

/** Version 1 of the trusted-partner selection criteria, published by NIST, so the demo partner can apply. */
export async function seedPartnersDemo(services: Services, db: Db): Promise<void> {
  const nist = await findUserByEmail(db, 'nist.analyst@nist.demo');
  if (!nist) return;
  const subject = subjectFor(nist.user, nist.org, false);
  const actor = { subject, email: nist.user.email, orgName: nist.org.name, ip: null, via: 'system' as const };
  await services.partners.publishCriteria(actor, subject, {
    note: 'Initial criteria for early access to frontier models under review',
    criteria: [
      { key: 'facility_clearance', title: 'Facility clearance', evidenceRequirement: 'A current facility clearance letter' },
      { key: 'security_controls', title: 'Security controls', evidenceRequirement: 'An assessment against NIST SP 800-171' },
      { key: 'expertise', title: 'Relevant expertise', evidenceRequirement: 'Publications or engagements in AI security' },
      { key: 'no_conflicts', title: 'No disqualifying conflicts', evidenceRequirement: 'Declarations of ownership, affiliations and conflicts of interest' },
    ],
  });
}
