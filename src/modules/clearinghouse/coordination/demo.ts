// Demo data: OpenHealth Software registers its products, so that a case on a vulnerability in any of
// them finds it by package-url. Runs once: a second call finds the products and changes nothing.
import type { Db } from '../../../db/client.ts';
import { findUserByEmail } from '../../identity/identity.dal.ts';
import { subjectFor } from '../../identity/identity.fns.ts';
import type { CoordinationService } from './coordination.service.ts';

export const DEMO_VENDOR_PRODUCTS = [
  { purl: 'pkg:maven/org.openhealth', match: 'namespace' as const, label: 'OpenHealth Java products (FHIR server, HL7 gateway)' },
  { purl: 'pkg:npm/%40openhealth/ehr-core', match: 'package' as const, label: 'OpenHealth EHR web core' },
  { purl: 'pkg:npm/dicom-parser', match: 'package' as const, label: 'DICOM parser (maintained by OpenHealth)' },
];

export async function seedCoordinationDemo(db: Db, coordination: CoordinationService): Promise<number> {
  const found = await findUserByEmail(db, 'security@openhealth.demo');
  if (!found) return 0;
  const subject = subjectFor(found.user, found.org, false);
  const actor = { subject, email: found.user.email, orgName: found.org.name, ip: null, via: 'system' as const };
  const have = new Set((await coordination.listProducts(subject)).map((p) => p.purl));
  let added = 0;
  for (const p of DEMO_VENDOR_PRODUCTS) {
    const shown = p.match === 'namespace' ? `${p.purl}/*` : p.purl;
    if (have.has(shown)) continue;
    await coordination.registerProduct(actor, subject, p);
    added++;
  }
  return added;
}
