import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agencyConsultations, benchmarks, organisations, thresholdVersions, users } from '../../db/schema.ts';
import type { Keyring } from '../../lib/crypto/keyring.ts';
import type { Actor } from '../access/actor.ts';
import { addGrant } from '../access/access.service.ts';
import { SECRET } from '../access/marking.ts';
import type { OrgKind } from '../access/roles.ts';
import type { AuditService } from '../audit/audit.service.ts';

export const DEMO_BENCHMARK = { name: 'Frontier Cyber Benchmark', version: 1 } as const;
const MARKING = { classification: SECRET, compartments: ['BENCH'] };

async function demoActor(db: Db, email: string, agencyCode: string): Promise<Actor | null> {
  const [u] = await db
    .select({ user: users, org: organisations })
    .from(users)
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(eq(users.email, email));
  let row = u;
  if (!row) {
    // Fall back to any analyst of the agency, should the demo emails differ.
    const [any] = await db
      .select({ user: users, org: organisations })
      .from(users)
      .innerJoin(organisations, eq(users.orgId, organisations.id))
      .where(eq(organisations.agencyCode, agencyCode))
      .limit(1);
    row = any;
  }
  if (!row) return null;
  return {
    subject: {
      userId: row.user.id,
      orgId: row.org.id,
      orgKind: row.org.kind as OrgKind,
      agencyCode: row.org.agencyCode,
      roles: row.user.roles,
      clearance: row.user.clearance,
      compartments: row.user.compartments,
    },
    email: row.user.email,
    orgName: row.org.name,
    ip: null,
    via: 'system',
  };
}

/**
 * The demo's classified benchmark (SECRET//BENCH, owned by NSA) and its threshold version 1, adopted
 * after ONCD and CISA concurred. Runs once: a second call finds the benchmark and changes nothing.
 */
export async function seedDeterminationsDemo(db: Db, keyring: Keyring, audit: AuditService): Promise<{ benchmarkId: string; thresholdVersionId: string } | null> {
  const [existing] = await db.select().from(benchmarks).where(and(eq(benchmarks.name, DEMO_BENCHMARK.name), eq(benchmarks.version, DEMO_BENCHMARK.version)));
  if (existing) {
    const [t] = await db.select().from(thresholdVersions).where(eq(thresholdVersions.benchmarkId, existing.id)).limit(1);
    return { benchmarkId: existing.id, thresholdVersionId: t?.id ?? '' };
  }
  const nsa = await demoActor(db, 'nsa.analyst@nsa.demo', 'NSA');
  const oncd = await demoActor(db, 'oncd.analyst@oncd.demo', 'ONCD');
  const cisa = await demoActor(db, 'cisa.analyst@cisa.demo', 'CISA');
  if (!nsa?.subject || !oncd?.subject || !cisa?.subject) return null;
  const ns = nsa.subject;
  return db.transaction(async (tx) => {
    const benchmarkId = crypto.randomUUID();
    const definition = {
      domains: [
        { domain: 'cyber', suites: ['vuln-discovery-v1', 'exploit-dev-v1', 'network-intrusion-v1'], rule: 'mean_score' },
        { domain: 'cbrn', suites: ['cbrn-uplift-v1'], rule: 'max_score' },
        { domain: 'autonomy', suites: ['autonomous-replication-v1', 'long-horizon-ops-v1'], rule: 'pass_rate' },
      ],
      description: 'Demo benchmark: offensive-cyber capability suites with CBRN and autonomy companions.',
    };
    await tx.insert(benchmarks).values({
      id: benchmarkId,
      ownerOrgId: ns.orgId,
      ...MARKING,
      name: DEMO_BENCHMARK.name,
      version: DEMO_BENCHMARK.version,
      definitionEnc: keyring.encrypt(JSON.stringify(definition), `benchmarks.definition_enc:${benchmarkId}`),
      createdBy: ns.userId,
    });
    await audit.record(tx, { actor: nsa, action: 'benchmark.create', recordType: 'benchmark', recordId: benchmarkId, detail: { version: 1, demo: true }, marking: MARKING, ownerOrgId: ns.orgId });

    const thresholdVersionId = crypto.randomUUID();
    const content = { thresholds: { cyber: 0.6, cbrn: 0.5, autonomy: 0.7 }, note: 'Initial thresholds for the demo.' };
    await tx.insert(thresholdVersions).values({
      id: thresholdVersionId,
      ownerOrgId: ns.orgId,
      ...MARKING,
      benchmarkId,
      version: 1,
      thresholdsEnc: keyring.encrypt(JSON.stringify(content), `threshold_versions.thresholds_enc:${thresholdVersionId}`),
      status: 'proposed',
      proposedBy: ns.userId,
    });
    await audit.record(tx, { actor: nsa, action: 'threshold_version.propose', recordType: 'threshold_version', recordId: thresholdVersionId, detail: { benchmarkId, version: 1, demo: true }, marking: MARKING, ownerOrgId: ns.orgId });

    for (const consulted of [oncd, cisa]) {
      const s = consulted.subject!;
      for (const [recordType, recordId] of [
        ['benchmark', benchmarkId],
        ['threshold_version', thresholdVersionId],
      ] as const) {
        await addGrant(tx, { recordType, recordId, granteeOrgId: s.orgId, grantedBy: ns.userId, reason: `${s.agencyCode} is consulted on determinations`, sourceType: 'determinations', sourceId: recordId });
      }
      await tx.insert(agencyConsultations).values({ subjectType: 'threshold_version', subjectId: thresholdVersionId, agencyOrgId: s.orgId, userId: s.userId, position: 'concur' });
      await audit.record(tx, { actor: consulted, action: 'threshold_version.consult', recordType: 'threshold_version', recordId: thresholdVersionId, detail: { position: 'concur', agency: s.agencyCode ?? null, demo: true }, marking: MARKING, ownerOrgId: ns.orgId });
    }

    await tx.update(thresholdVersions).set({ status: 'adopted', adoptedBy: ns.userId, adoptedAt: new Date() }).where(eq(thresholdVersions.id, thresholdVersionId));
    await audit.record(tx, { actor: nsa, action: 'threshold_version.adopt', recordType: 'threshold_version', recordId: thresholdVersionId, detail: { version: 1, demo: true }, marking: MARKING, ownerOrgId: ns.orgId });
    return { benchmarkId, thresholdVersionId };
  });
}
