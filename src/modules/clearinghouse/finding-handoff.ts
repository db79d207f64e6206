import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { findings } from '../../db/schema.ts';
import { findUserById } from '../identity/identity.dal.ts';
import { subjectFor } from '../identity/identity.fns.ts';
import type { ClearinghouseHandoff } from '../findings/findings.service.ts';
import type { ClearinghouseService } from './clearinghouse.service.ts';

const CUI = 1;

/**
 * How a review finding of a vulnerability in third-party software becomes a clearinghouse report: a
 * native report submitted in the filer's name, with the idempotency key `finding:<id>`, so the
 * findings job can retry it any number of times and get the same report back.
 */
export function createFindingHandoff(deps: { db: Db; clearinghouse: ClearinghouseService }) {
  return async function deliverToClearinghouse(h: ClearinghouseHandoff): Promise<{ reportId: string }> {
    // Reports are CUI: a classified finding's text must not be copied into one by a machine.
    if (h.marking.classification > CUI) throw new Error('A classified finding is reported to the clearinghouse by a cleared analyst, not automatically.');
    const [f] = await deps.db.select({ createdBy: findings.createdBy }).from(findings).where(eq(findings.id, h.findingId)).limit(1);
    if (!f) throw new Error('The finding no longer exists.');
    const filer = await findUserById(deps.db, f.createdBy);
    if (!filer) throw new Error('The filer of the finding no longer exists.');
    const subject = subjectFor(filer.user, filer.org, false);
    const actor = { subject, email: filer.user.email, orgName: filer.org.name, ip: null, via: 'system' as const };
    const version = h.cvssVector?.startsWith('CVSS:4.0/') ? '4.0' : h.cvssVector?.startsWith('CVSS:3.1/') ? '3.1' : null;
    const document = {
      format: 'forewarn-report/1' as const,
      title: h.title,
      description: h.summary,
      ...(h.cwe ? { cwe: [h.cwe] } : {}),
      ...(h.cvssVector && version ? { cvss: [{ version, vector: h.cvssVector }] } : {}),
      affected: h.products.map((p) => (p.kind === 'purl' ? { purl: p.value } : { cpe: p.value })),
    };
    const result = await deps.clearinghouse.submitReport(actor, subject, { format: 'native', document }, `finding:${h.findingId}`);
    return { reportId: result.reportId };
  };
}
