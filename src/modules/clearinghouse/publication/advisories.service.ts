// Advisories (issue 6): a coordinated vulnerability becomes an advisory with an FWN-YYYY-NNNN
// identifier, revisions, a TLP 2.0 marking deciding who receives it, and its documents (CSAF 2.0
// advisory and VEX, OSV, a readable page). TLP:CLEAR advisories are distributed in the CSAF
// trusted-provider layout, signed with the installation's OpenPGP key; restricted ones only through
// the authenticated API and feed, to their audience.
import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx as Tx } from '../../../db/client.ts';
import { organisations, users } from '../../../db/schema.ts';
import { AppError, ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../../../lib/errors.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import { SYSTEM_ACTOR, type Actor } from '../../access/actor.ts';
import { CUI, dominates, type Marking } from '../../access/marking.ts';
import type { OrgKind } from '../../access/roles.ts';
import { can, type Subject } from '../../access/policy.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { MatchableAdvisory } from '../../matching/matching.types.ts';
import type { MatchingService } from '../../matching/matching.service.ts';
import { matchingAdvisories, matchingMatches } from '../../matching/matching.schema.ts';
import { clearinghouseVulnerabilities } from '../clearinghouse.schema.ts';
import type { ClearinghouseService } from '../clearinghouse.service.ts';
import type { CoordinationService, VendorStatementForAdvisory } from '../coordination/coordination.service.ts';
import { DEFAULT_PUBLISHER } from '../advisory/model.ts';
import { mayReceive, tlpRank, type TlpAudience, type TlpLabel } from '../advisory/tlp.ts';
import { advisories, advisoryCounters, advisoryRevisions, advisorySigningKeys } from './advisories.schema.ts';
import {
  AudienceSchema,
  type AdvisoryFieldsT,
  type AdvisoryState,
  type AdvisoryViewT,
  type Audience,
  type DocumentName,
  type DraftInput,
  type FeedViewT,
  type ListItemT,
  type ListQueryT,
  type PatchInput,
  type ReviseInput,
} from './advisories.types.ts';
import { advisoryModel, asValidation, matchableOf, renderDocuments, renderPage, withDefaults, type RevisionEntry } from './advisory-documents.ts';
import { CLEAR_FOLDER, changesCsv, csafFileName, CSAF_SCHEMA_URL, hashFile, indexTxt, providerMetadata, publicKeyPath, relativePath, WELL_KNOWN, type DistributedDocument } from './distribution.ts';
import { generateSigningKey, readSigningKey, signDetached, type SigningKey } from './signing.ts';

export interface AdvisoryDeps {
  /** Publishing moves the vulnerability coordinating → published in the same transaction. */
  clearinghouse: Pick<ClearinghouseService, 'transition' | 'getVulnerability'>;
  coordination: Pick<CoordinationService, 'embargoOf' | 'statementsOf' | 'participantsOf'>;
  matching: Pick<MatchingService, 'upsertAdvisory'>;
  /** The public origin (FOREWARN_PUBLIC_URL); when given, CLEAR documents carry their canonical URL. */
  publicUrl?: () => string;
}

/** Publication asked for before the case's embargo ends. */
export class EmbargoInForceError extends AppError {
  constructor(releaseAt: Date, timeZone: string) {
    super(409, 'embargo-in-force', 'The embargo has not ended', `This vulnerability is under embargo until ${releaseAt.toISOString()} (${timeZone}); the advisory can be published from then on.`);
  }
}

type Row = typeof advisories.$inferSelect;
interface Stored {
  fields: AdvisoryFieldsT;
  revisions: RevisionEntry[];
}
interface StoredDocuments {
  summary: string;
  csaf: string;
  vex: string | null;
  osv: string;
  model: unknown;
}

const ADVISORY_MARKING: Marking = { classification: CUI, compartments: [] };
const RESTRICTED: readonly TlpLabel[] = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
const API = '/api/v1/clearinghouse/advisories';

const contentAad = (id: string) => `advisories.content_enc:${id}`;
const documentsAad = (id: string, n: number) => `advisory_revisions.documents_enc:${id}:${n}`;
const keyAad = (fingerprint: string) => `advisory_signing_keys.private_key_enc:${fingerprint}`;

export interface ServedFile {
  body: string;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export function createAdvisoriesService({ db, audit, keyring, clock }: ModuleDeps, links: AdvisoryDeps) {
  const mayPublish = (subject: Subject | null) => subject !== null && can(subject, 'advisories:publish');
  // Tests switch this off while the matching index (another module) is still a stub.
  let indexInMatching = true;

  async function indexForMatching(tx: Tx, advisory: MatchableAdvisory): Promise<void> {
    if (indexInMatching) await links.matching.upsertAdvisory(tx, advisory);
  }

  // ---------- signing key ----------

  let cachedKey: { fingerprint: string; publicKey: string; privateKey: SigningKey; createdAt: Date } | null = null;

  /** The installation's key, generated on first use; a concurrent first use keeps the first key stored. */
  async function signingKey() {
    if (cachedKey) return cachedKey;
    let [row] = await db.select().from(advisorySigningKeys).where(eq(advisorySigningKeys.slot, 'current'));
    if (!row) {
      const k = await generateSigningKey(DEFAULT_PUBLISHER.name, 'csaf-signing@forewarn.invalid');
      await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(advisorySigningKeys)
          .values({ fingerprint: k.fingerprint, slot: 'current', publicKey: k.publicKey, privateKeyEnc: keyring.encrypt(k.privateKey, keyAad(k.fingerprint)), createdAt: clock() })
          .onConflictDoNothing()
          .returning({ fingerprint: advisorySigningKeys.fingerprint });
        if (inserted.length > 0) {
          await audit.record(tx, { actor: SYSTEM_ACTOR, action: 'advisory_signing_key.generate', recordType: 'advisory_signing_key', recordId: k.fingerprint, marking: { classification: 0, compartments: [] }, detail: { fingerprint: k.fingerprint } });
        }
      });
      [row] = await db.select().from(advisorySigningKeys).where(eq(advisorySigningKeys.slot, 'current'));
    }
    cachedKey = { fingerprint: row.fingerprint, publicKey: row.publicKey, createdAt: row.createdAt, privateKey: await readSigningKey(keyring.decrypt(row.privateKeyEnc, keyAad(row.fingerprint))) };
    return cachedKey;
  }

  // ---------- loading and reading rules ----------

  const stored = (r: Row): Stored => JSON.parse(keyring.decrypt(r.contentEnc, contentAad(r.id))) as Stored;
  const audienceOf = (r: Row): TlpAudience => {
    const a = r.audience as Partial<Audience>;
    return {
      ownerOrgId: r.ownerOrgId,
      caseParticipantOrgIds: a.participantOrgIds ?? [],
      affectedOrgIds: a.affectedOrgIds ?? [],
      clientOrgIds: a.clientOrgIds ?? [],
      namedRecipientUserIds: a.namedUserIds ?? [],
      ...(a.greenCommunity ? { greenCommunity: a.greenCommunity } : {}),
    };
  };

  async function load(ref: string): Promise<Row | undefined> {
    const byTracking = /^FWN-/i.test(ref);
    const [r] = await db
      .select()
      .from(advisories)
      .where(byTracking ? eq(advisories.trackingId, ref.toUpperCase()) : eq(advisories.id, ref));
    return r;
  }

  async function sectorOf(orgId: string): Promise<string | undefined> {
    const [o] = await db.select({ sector: organisations.sector }).from(organisations).where(eq(organisations.id, orgId));
    return o?.sector ?? undefined;
  }

  /**
   * Advisories of the clearinghouse that the matching index found affecting the organisation (open or
   * since cleared): under TLP those operators are "found affected" and in the audience.
   */
  async function matchedAdvisories(orgId: string, advisoryIds?: readonly string[]): Promise<Set<string>> {
    const rows = await db
      .selectDistinct({ id: matchingAdvisories.clearinghouseAdvisoryId })
      .from(matchingMatches)
      .innerJoin(matchingAdvisories, eq(matchingAdvisories.id, matchingMatches.advisoryId))
      .where(and(eq(matchingMatches.orgId, orgId), eq(matchingAdvisories.source, 'clearinghouse'), ...(advisoryIds ? [inArray(matchingAdvisories.clearinghouseAdvisoryId, [...advisoryIds])] : [])));
    return new Set(rows.map((r) => r.id).filter((id): id is string => id !== null));
  }

  interface ReaderFacts {
    sector: string | undefined;
    matched: Set<string>;
  }

  /** TLP decides: drafts are the publishers' alone; anonymous readers get TLP:CLEAR; others their audience's labels. */
  async function receives(subject: Subject | null, r: Row, facts?: ReaderFacts): Promise<boolean> {
    if (r.status === 'draft') return mayPublish(subject);
    if (r.tlp === 'CLEAR') return true;
    if (!subject) return false;
    if (mayPublish(subject)) return true;
    const f = facts ?? { sector: await sectorOf(subject.orgId), matched: await matchedAdvisories(subject.orgId, [r.id]) };
    const audience = audienceOf(r);
    const withMatched = f.matched.has(r.id) ? { ...audience, affectedOrgIds: [...audience.affectedOrgIds, subject.orgId] } : audience;
    return mayReceive(r.tlp as TlpLabel, { orgId: subject.orgId, orgKind: subject.orgKind as OrgKind, userId: subject.userId, ...(f.sector ? { sector: f.sector } : {}) }, withMatched);
  }

  /** The advisory if the subject may receive it; otherwise it does not exist for the subject. */
  async function readable(subject: Subject | null, ref: string): Promise<Row> {
    const r = await load(ref);
    if (!r) throw new NotFoundError('advisory');
    if (!(await receives(subject, r))) throw new NotFoundError('advisory', subject !== null);
    return r;
  }

  async function revisionsOf(id: string) {
    return db.select().from(advisoryRevisions).where(eq(advisoryRevisions.advisoryId, id)).orderBy(advisoryRevisions.number);
  }

  function documentsLinks(r: Row): AdvisoryViewT['documents'] {
    if (r.status === 'draft' || !r.trackingId) return [];
    const ref = r.trackingId;
    const names: DocumentName[] = ['csaf.json', 'csaf.json.sha256', 'csaf.json.sha512', 'csaf.json.asc', 'osv.json', 'page.html', 'page.txt'];
    return names.map((name) => ({ name, href: `${API}/${ref}/documents/${name}` }));
  }

  function view(r: Row, subject: Subject | null): AdvisoryViewT {
    const s = stored(r);
    const publisher = mayPublish(subject);
    return {
      id: r.id,
      trackingId: r.trackingId,
      status: r.status as AdvisoryState,
      tlp: r.tlp as TlpLabel,
      csafStatus: r.csafStatus as 'interim' | 'final',
      title: s.fields.title,
      summary: s.fields.summary,
      severity: r.severity,
      currentRevision: r.currentRevision,
      initialReleaseAt: r.initialReleaseAt?.toISOString() ?? null,
      currentReleaseAt: r.currentReleaseAt?.toISOString() ?? null,
      revisions: s.revisions,
      documents: documentsLinks(r),
      distributionUrl: r.tlp === 'CLEAR' && r.trackingId && r.initialReleaseAt ? `${WELL_KNOWN}/${CLEAR_FOLDER}/${relativePath({ trackingId: r.trackingId, initialReleaseAt: r.initialReleaseAt })}` : null,
      ...(publisher ? { vulnerabilityId: r.vulnerabilityId, fields: s.fields as unknown as Record<string, unknown> } : {}),
    };
  }

  // ---------- drafting ----------

  async function checkAudience(a: Audience | undefined): Promise<void> {
    if (!a) return;
    const orgIds = [...new Set([...a.participantOrgIds, ...a.affectedOrgIds, ...a.clientOrgIds])];
    if (orgIds.length > 0) {
      const found = new Set((await db.select({ id: organisations.id }).from(organisations).where(inArray(organisations.id, orgIds))).map((o) => o.id));
      const missing = orgIds.filter((id) => !found.has(id));
      if (missing.length > 0) throw new ValidationError('The audience names unknown organisations.', missing.slice(0, 20).map((id) => ({ path: '/audience', message: `no organisation ${id}` })));
    }
    if (a.namedUserIds.length > 0) {
      const found = new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, a.namedUserIds))).map((u) => u.id));
      const missing = a.namedUserIds.filter((id) => !found.has(id));
      if (missing.length > 0) throw new ValidationError('The audience names unknown people.', missing.slice(0, 20).map((id) => ({ path: '/audience/namedUserIds', message: `no user ${id}` })));
    }
  }

  async function vulnerabilityFacts(vulnerabilityId: string) {
    const [v] = await db.select().from(clearinghouseVulnerabilities).where(eq(clearinghouseVulnerabilities.id, vulnerabilityId));
    return v;
  }

  /** Renders a preview so that what cannot be published is refused while drafting. */
  function previewCheck(fields: AdvisoryFieldsT, now: Date): void {
    const model = advisoryModel(fields, { trackingId: `FWN-${now.getUTCFullYear()}-0000`, csafStatus: 'draft', revisions: [{ number: 1, date: now.toISOString(), summary: 'Draft.' }] });
    renderDocuments(model, []);
  }

  const audienceColumns = (a: Audience | undefined) => {
    const audience = AudienceSchema.parse(a ?? {});
    return { audience, audienceOrgIds: [...new Set([...audience.participantOrgIds, ...audience.affectedOrgIds, ...audience.clientOrgIds])] };
  };

  async function draft(actor: Actor, subject: Subject, body: DraftInput): Promise<AdvisoryViewT> {
    if (!can(subject, 'advisories:publish')) throw new ForbiddenError('Drafting advisories is for clearinghouse analysts who publish.');
    const v = await vulnerabilityFacts(body.vulnerabilityId);
    if (!v || !dominates({ classification: subject.clearance, compartments: subject.compartments }, v)) throw new NotFoundError('vulnerability', v !== undefined);
    if (!['validated', 'coordinating'].includes(v.status)) throw new InvalidTransitionError('vulnerability', v.status, 'draft an advisory');
    const { vulnerabilityId, ...given } = body;
    await checkAudience(given.audience);
    const fields = withDefaults(given, { cvss: v.cvss as { version: string; vector: string }[], affected: v.affected as unknown[] });
    const now = clock();
    previewCheck(fields, now);
    const id = randomUUID();
    try {
      await db.transaction(async (tx) => {
        await tx.insert(advisories).values({
          id,
          vulnerabilityId,
          ownerOrgId: v.ownerOrgId,
          status: 'draft',
          tlp: fields.tlp,
          contentEnc: keyring.encrypt(JSON.stringify({ fields, revisions: [] } satisfies Stored), contentAad(id)),
          ...audienceColumns(fields.audience),
          createdBy: subject.userId,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, { actor, action: 'advisory.draft', recordType: 'advisory', recordId: id, marking: ADVISORY_MARKING, ownerOrgId: v.ownerOrgId, detail: { vulnerabilityId, tlp: fields.tlp } });
      });
    } catch (e) {
      if (String((e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code) === '23505') throw new ConflictError('This vulnerability already has an advisory.');
      throw e;
    }
    return view((await load(id))!, subject);
  }

  async function updateDraft(actor: Actor, subject: Subject, ref: string, body: PatchInput): Promise<AdvisoryViewT> {
    if (!can(subject, 'advisories:publish')) throw new ForbiddenError('Editing advisories is for clearinghouse analysts who publish.');
    const r = await load(ref);
    if (!r) throw new NotFoundError('advisory');
    if (r.status !== 'draft') throw new InvalidTransitionError('advisory', r.status, 'edit the draft (publish a revision instead)');
    await checkAudience(body.audience);
    const fields: AdvisoryFieldsT = { ...stored(r).fields, ...body };
    const now = clock();
    previewCheck(fields, now);
    await db.transaction(async (tx) => {
      const done = await tx
        .update(advisories)
        .set({ tlp: fields.tlp, contentEnc: keyring.encrypt(JSON.stringify({ fields, revisions: [] } satisfies Stored), contentAad(r.id)), ...audienceColumns(fields.audience), updatedAt: now })
        .where(and(eq(advisories.id, r.id), eq(advisories.status, 'draft')))
        .returning({ id: advisories.id });
      if (done.length === 0) throw new InvalidTransitionError('advisory', 'a state changed meanwhile', 'edit the draft');
      await audit.record(tx, { actor, action: 'advisory.edit', recordType: 'advisory', recordId: r.id, marking: ADVISORY_MARKING, ownerOrgId: r.ownerOrgId, detail: { changed: Object.keys(body) } });
    });
    return view((await load(r.id))!, subject);
  }

  // ---------- publication and revisions ----------

  const selfUrlOf = (tlp: TlpLabel, trackingId: string, initial: Date) =>
    tlp === 'CLEAR' && links.publicUrl ? `${links.publicUrl().replace(/\/+$/, '')}${WELL_KNOWN}/${CLEAR_FOLDER}/${relativePath({ trackingId, initialReleaseAt: initial })}` : undefined;

  /** Renders, hashes, signs and stores revision `number`; updates the advisory row. In the caller's transaction. */
  async function writeRevision(
    tx: Tx,
    subject: Subject,
    r: Row,
    o: { trackingId: string; fields: AdvisoryFieldsT; revisions: RevisionEntry[]; csafStatus: 'interim' | 'final'; status: AdvisoryState; initial: Date; now: Date; statements: readonly VendorStatementForAdvisory[]; withdrawal?: { reason: string } },
  ) {
    const key = await signingKey();
    const last = o.revisions[o.revisions.length - 1];
    const model = advisoryModel(o.fields, {
      trackingId: o.trackingId,
      csafStatus: o.csafStatus,
      revisions: o.revisions,
      selfUrl: selfUrlOf(o.fields.tlp, o.trackingId, o.initial),
      ...(o.withdrawal ? { withdrawal: { reason: o.withdrawal.reason, date: o.now.toISOString() } } : {}),
    });
    const docs = renderDocuments(model, o.statements);
    const signature = await signDetached(new TextEncoder().encode(docs.csaf), key.privateKey);
    const documents: StoredDocuments = { summary: last.summary, csaf: docs.csaf, vex: docs.vex, osv: docs.osv, model };
    await tx.insert(advisoryRevisions).values({
      advisoryId: r.id,
      number: last.number,
      date: o.now,
      documentsEnc: keyring.encrypt(JSON.stringify(documents), documentsAad(r.id, last.number)),
      sha256: docs.sha256,
      sha512: docs.sha512,
      signature,
      signingKeyFingerprint: key.fingerprint,
      actorUserId: subject.userId,
    });
    const updated = await tx
      .update(advisories)
      .set({
        trackingId: o.trackingId,
        status: o.status,
        tlp: o.fields.tlp,
        csafStatus: o.csafStatus,
        contentEnc: keyring.encrypt(JSON.stringify({ fields: o.fields, revisions: o.revisions } satisfies Stored), contentAad(r.id)),
        ...audienceColumns(o.fields.audience),
        severity: docs.severity,
        currentRevision: last.number,
        initialReleaseAt: o.initial,
        currentReleaseAt: o.now,
        updatedAt: o.now,
      })
      .where(and(eq(advisories.id, r.id), eq(advisories.currentRevision, r.currentRevision), eq(advisories.status, r.status)))
      .returning({ id: advisories.id });
    if (updated.length === 0) throw new ConflictError('The advisory changed meanwhile; reload it and try again.');
    await indexForMatching(tx, matchableOf(model, { advisoryId: r.id, publishedAt: o.initial, withdrawn: o.status === 'withdrawn' }, docs.severity));
    return docs;
  }

  /** The case's vendors (and those who made statements) are participants: they receive the advisory at any TLP. */
  async function withCase(fields: AdvisoryFieldsT, vulnerabilityId: string, statements: readonly VendorStatementForAdvisory[]): Promise<AdvisoryFieldsT> {
    const a = AudienceSchema.parse(fields.audience ?? {});
    const caseOrgs = [...(links.coordination.participantsOf ? await links.coordination.participantsOf(vulnerabilityId) : []), ...statements.map((s) => s.vendorOrgId)];
    const added = [...new Set(caseOrgs)].filter((id) => !a.participantOrgIds.includes(id));
    return added.length === 0 ? fields : { ...fields, audience: { ...a, participantOrgIds: [...a.participantOrgIds, ...added] } };
  }

  async function publish(actor: Actor, subject: Subject, ref: string, body: { csafStatus: 'interim' | 'final' }): Promise<AdvisoryViewT> {
    if (!can(subject, 'advisories:publish')) throw new ForbiddenError('Publishing advisories is for clearinghouse analysts who publish.');
    const r = await load(ref);
    if (!r) throw new NotFoundError('advisory');
    if (r.status !== 'draft') throw new InvalidTransitionError('advisory', r.status, 'publish');
    const now = clock();
    const embargo = await links.coordination.embargoOf(r.vulnerabilityId);
    if (embargo && embargo.releaseAt.getTime() > now.getTime()) throw new EmbargoInForceError(embargo.releaseAt, embargo.timeZone);
    const statements = await links.coordination.statementsOf(r.vulnerabilityId);
    const fields = await withCase(stored(r).fields, r.vulnerabilityId, statements);
    await signingKey();
    const year = now.getUTCFullYear();
    await links.clearinghouse.transition(actor, subject, r.vulnerabilityId, { to: 'published' }, async (tx) => {
      // Checked again under the case's lock: an embargo extended since the check above wins.
      const held = await links.coordination.embargoOf(r.vulnerabilityId, tx);
      if (held && held.releaseAt.getTime() > clock().getTime()) throw new EmbargoInForceError(held.releaseAt, held.timeZone);
      // The counter row stays locked until commit: concurrent publications queue here and get consecutive numbers.
      const [{ last }] = await tx
        .insert(advisoryCounters)
        .values({ year, last: 1 })
        .onConflictDoUpdate({ target: advisoryCounters.year, set: { last: sql`${advisoryCounters.last} + 1` } })
        .returning({ last: advisoryCounters.last });
      const trackingId = `FWN-${year}-${String(last).padStart(4, '0')}`;
      const revisions = [{ number: 1, date: now.toISOString(), summary: 'Initial release.' }];
      const docs = await writeRevision(tx, subject, r, { trackingId, fields, revisions, csafStatus: body.csafStatus, status: 'published', initial: now, now, statements });
      await audit.record(tx, { actor, action: 'advisory.publish', recordType: 'advisory', recordId: r.id, marking: ADVISORY_MARKING, ownerOrgId: r.ownerOrgId, detail: { trackingId, tlp: fields.tlp, sha256: docs.sha256, vex: docs.vex !== null } });
    });
    return view((await load(r.id))!, subject);
  }

  async function revise(actor: Actor, subject: Subject, ref: string, body: ReviseInput): Promise<AdvisoryViewT> {
    if (!can(subject, 'advisories:publish')) throw new ForbiddenError('Revising advisories is for clearinghouse analysts who publish.');
    const r = await load(ref);
    if (!r) throw new NotFoundError('advisory');
    if (r.status !== 'published') throw new InvalidTransitionError('advisory', r.status, 'publish a revision');
    const s = stored(r);
    // What was disseminated cannot be recalled: a revision may widen the audience, never narrow the label.
    if (body.changes.tlp && tlpRank(body.changes.tlp) > tlpRank(s.fields.tlp)) {
      throw new ValidationError('A revision cannot make the TLP label more restrictive.', [{ path: '/changes/tlp', message: `already disseminated as TLP:${s.fields.tlp}` }]);
    }
    await checkAudience(body.changes.audience);
    const statements = await links.coordination.statementsOf(r.vulnerabilityId);
    const fields = await withCase({ ...s.fields, ...body.changes }, r.vulnerabilityId, statements);
    const now = clock();
    const revisions = [...s.revisions, { number: r.currentRevision + 1, date: now.toISOString(), summary: body.summary }];
    asValidation('advisory', () => previewCheck(fields, now));
    await signingKey();
    await db.transaction(async (tx) => {
      const docs = await writeRevision(tx, subject, r, { trackingId: r.trackingId!, fields, revisions, csafStatus: r.csafStatus as 'interim' | 'final', status: 'published', initial: r.initialReleaseAt!, now, statements });
      await audit.record(tx, { actor, action: 'advisory.revise', recordType: 'advisory', recordId: r.id, marking: ADVISORY_MARKING, ownerOrgId: r.ownerOrgId, detail: { trackingId: r.trackingId, revision: r.currentRevision + 1, sha256: docs.sha256 } });
    });
    return view((await load(r.id))!, subject);
  }

  /** Withdrawal is the final revision: the documents stay distributed and say that they are withdrawn. */
  async function withdraw(actor: Actor, subject: Subject, ref: string, body: { reason: string }): Promise<AdvisoryViewT> {
    if (!can(subject, 'advisories:publish')) throw new ForbiddenError('Withdrawing advisories is for clearinghouse analysts who publish.');
    const r = await load(ref);
    if (!r) throw new NotFoundError('advisory');
    if (r.status !== 'published') throw new InvalidTransitionError('advisory', r.status, 'withdraw');
    const s = stored(r);
    const statements = await links.coordination.statementsOf(r.vulnerabilityId);
    const now = clock();
    const revisions = [...s.revisions, { number: r.currentRevision + 1, date: now.toISOString(), summary: `Withdrawn: ${body.reason}`.slice(0, 1000) }];
    await signingKey();
    await links.clearinghouse.transition(actor, subject, r.vulnerabilityId, { to: 'withdrawn', reason: body.reason }, async (tx) => {
      await writeRevision(tx, subject, r, { trackingId: r.trackingId!, fields: s.fields, revisions, csafStatus: 'final', status: 'withdrawn', initial: r.initialReleaseAt!, now, statements, withdrawal: { reason: body.reason } });
      await audit.record(tx, { actor, action: 'advisory.withdraw', recordType: 'advisory', recordId: r.id, marking: ADVISORY_MARKING, ownerOrgId: r.ownerOrgId, detail: { trackingId: r.trackingId, revision: r.currentRevision + 1 } });
    });
    return view((await load(r.id))!, subject);
  }

  // ---------- reading ----------

  async function get(actor: Actor, subject: Subject | null, ref: string): Promise<AdvisoryViewT> {
    const r = await readable(subject, ref);
    if (subject && r.tlp !== 'CLEAR') await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'advisory', recordId: r.id, ...ADVISORY_MARKING }, undefined, r.ownerOrgId));
    return view(r, subject);
  }

  async function latestDocuments(r: Row) {
    const [rev] = await db.select().from(advisoryRevisions).where(eq(advisoryRevisions.advisoryId, r.id)).orderBy(desc(advisoryRevisions.number)).limit(1);
    if (!rev) throw new NotFoundError('advisory document');
    return { rev, docs: JSON.parse(keyring.decrypt(rev.documentsEnc, documentsAad(r.id, rev.number))) as StoredDocuments };
  }

  /** One document of a published advisory, for whoever may receive it (anyone for TLP:CLEAR). */
  async function document(actor: Actor, subject: Subject | null, ref: string, name: DocumentName): Promise<ServedFile> {
    const r = await readable(subject, ref);
    if (r.status === 'draft' || !r.trackingId) throw new NotFoundError('advisory document');
    const { rev, docs } = await latestDocuments(r);
    const file = csafFileName(r.trackingId);
    const etag = (suffix: string) => `"${rev.sha256.slice(0, 32)}-${rev.number}-${suffix}"`;
    const base = { lastModified: rev.date };
    let served: ServedFile;
    switch (name) {
      case 'csaf.json':
        served = { ...base, body: docs.csaf, contentType: 'application/json', etag: etag('csaf') };
        break;
      case 'csaf.json.sha256':
        served = { ...base, body: hashFile(rev.sha256, file), contentType: 'text/plain; charset=utf-8', etag: etag('sha256') };
        break;
      case 'csaf.json.sha512':
        served = { ...base, body: hashFile(rev.sha512, file), contentType: 'text/plain; charset=utf-8', etag: etag('sha512') };
        break;
      case 'csaf.json.asc':
        served = { ...base, body: rev.signature, contentType: 'application/pgp-signature', etag: etag('asc') };
        break;
      case 'vex.json':
        if (docs.vex === null) throw new NotFoundError('VEX document (no vendor statement yet)');
        served = { ...base, body: docs.vex, contentType: 'application/json', etag: etag('vex') };
        break;
      case 'osv.json':
        served = { ...base, body: docs.osv, contentType: 'application/json', etag: etag('osv') };
        break;
      case 'page.html':
        served = { ...base, body: renderPage(docs.model as never, 'html'), contentType: 'text/html; charset=utf-8', etag: etag('html') };
        break;
      case 'page.txt':
        served = { ...base, body: renderPage(docs.model as never, 'text'), contentType: 'text/plain; charset=utf-8', etag: etag('txt') };
        break;
    }
    if (subject && r.tlp !== 'CLEAR') await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'advisory', recordId: r.id, ...ADVISORY_MARKING }, { document: name }, r.ownerOrgId));
    return served;
  }

  /** Published advisories the subject may receive (publishers: every advisory, drafts too). */
  async function receivableRows(subject: Subject, q: { statuses?: readonly AdvisoryState[]; tlp?: readonly TlpLabel[]; limit: number }): Promise<Row[]> {
    const conds = [];
    if (q.statuses) conds.push(inArray(advisories.status, [...q.statuses]));
    if (q.tlp) conds.push(inArray(advisories.tlp, [...q.tlp]));
    if (!mayPublish(subject)) {
      conds.push(inArray(advisories.status, ['published', 'withdrawn']));
      // First cut in SQL (labels open to a community, or the organisation named); mayReceive decides.
      conds.push(
        sql`(${advisories.tlp} in ('CLEAR', 'GREEN') or ${advisories.ownerOrgId} = ${subject.orgId} or ${subject.orgId}::uuid = any(${advisories.audienceOrgIds}) or ${advisories.id} in (select ${matchingAdvisories.clearinghouseAdvisoryId} from ${matchingMatches} join ${matchingAdvisories} on ${matchingAdvisories.id} = ${matchingMatches.advisoryId} where ${matchingMatches.orgId} = ${subject.orgId} and ${matchingAdvisories.source} = 'clearinghouse'))`,
      );
    }
    const rows = await db
      .select()
      .from(advisories)
      .where(and(...conds))
      .orderBy(sql`${advisories.currentReleaseAt} desc nulls first`, desc(advisories.updatedAt))
      .limit(Math.min(q.limit * 2, 1000));
    const facts: ReaderFacts = { sector: await sectorOf(subject.orgId), matched: mayPublish(subject) ? new Set() : await matchedAdvisories(subject.orgId) };
    const out: Row[] = [];
    for (const r of rows) if (await receives(subject, r, facts)) out.push(r);
    return out.slice(0, q.limit);
  }

  async function list(actor: Actor, subject: Subject, q: ListQueryT): Promise<ListItemT[]> {
    void actor;
    if (q.status === 'draft' && !mayPublish(subject)) return [];
    const rows = await receivableRows(subject, { ...(q.status ? { statuses: [q.status] } : {}), ...(q.tlp ? { tlp: [q.tlp] } : {}), limit: q.limit });
    return rows.map((r) => ({
      id: r.id,
      trackingId: r.trackingId,
      status: r.status as AdvisoryState,
      tlp: r.tlp as TlpLabel,
      title: stored(r).fields.title,
      severity: r.severity,
      currentRevision: r.currentRevision,
      currentReleaseAt: r.currentReleaseAt?.toISOString() ?? null,
    }));
  }

  /** The ROLIE-like feed of published advisories the caller's organisation may receive. */
  async function feed(actor: Actor, subject: Subject, q: { tlp?: TlpLabel; limit: number }, baseUrl: string): Promise<FeedViewT> {
    void actor;
    const labels = q.tlp ? [q.tlp] : RESTRICTED;
    const rows = await receivableRows(subject, { statuses: ['published', 'withdrawn'], tlp: labels, limit: q.limit });
    const base = baseUrl.replace(/\/+$/, '');
    const updated = rows.reduce((m, r) => Math.max(m, r.currentReleaseAt?.getTime() ?? 0), 0);
    return {
      feed: {
        id: `forewarn-advisories-${q.tlp ?? 'restricted'}`,
        title: `Forewarn clearinghouse advisories (${q.tlp ? `TLP:${q.tlp}` : 'restricted TLP labels'}) for your organisation`,
        link: [{ rel: 'self', href: `${base}${API}/feed${q.tlp ? `?tlp=${encodeURIComponent(q.tlp)}` : ''}` }],
        category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
        updated: new Date(updated || clock().getTime()).toISOString(),
        entry: rows.map((r) => {
          const docs = `${base}${API}/${r.trackingId}/documents`;
          return {
            id: r.trackingId!,
            title: stored(r).fields.title,
            link: [
              { rel: 'self', href: `${docs}/csaf.json` },
              { rel: 'hash', href: `${docs}/csaf.json.sha256` },
              { rel: 'hash', href: `${docs}/csaf.json.sha512` },
              { rel: 'signature', href: `${docs}/csaf.json.asc` },
            ],
            published: r.initialReleaseAt!.toISOString(),
            updated: r.currentReleaseAt!.toISOString(),
            summary: { content: stored(r).fields.summary.slice(0, 2000) },
            content: { type: 'application/json', src: `${docs}/csaf.json` },
            format: { schema: CSAF_SCHEMA_URL, version: '2.0' },
            tlp: r.tlp as TlpLabel,
            withdrawn: r.status === 'withdrawn',
          };
        }),
      },
    };
  }

  // ---------- the CSAF trusted-provider directory (TLP:CLEAR only, public) ----------

  async function clearDocuments(): Promise<(DistributedDocument & { id: string })[]> {
    const rows = await db
      .select({ id: advisories.id, trackingId: advisories.trackingId, initialReleaseAt: advisories.initialReleaseAt, currentReleaseAt: advisories.currentReleaseAt })
      .from(advisories)
      .where(and(eq(advisories.tlp, 'CLEAR'), inArray(advisories.status, ['published', 'withdrawn'])));
    return rows.filter((r) => r.trackingId && r.initialReleaseAt && r.currentReleaseAt) as (DistributedDocument & { id: string })[];
  }

  const listingFile = (body: string, docs: readonly DistributedDocument[]): ServedFile => {
    const last = docs.reduce((m, d) => Math.max(m, d.currentReleaseAt.getTime()), 0);
    return { body, contentType: 'text/plain; charset=utf-8', etag: `"${createHashHex(body).slice(0, 32)}"`, lastModified: new Date(last || 0) };
  };

  async function distributionIndex(): Promise<ServedFile> {
    const docs = await clearDocuments();
    return listingFile(indexTxt(docs), docs);
  }

  async function distributionChanges(): Promise<ServedFile> {
    const docs = await clearDocuments();
    return { ...listingFile(changesCsv(docs), docs), contentType: 'text/csv; charset=utf-8' };
  }

  /** /.well-known/csaf/clear/<year>/<file>: only TLP:CLEAR advisories exist here, whoever asks. */
  async function distributionFile(year: string, file: string): Promise<ServedFile> {
    const m = /^(fwn-(\d{4})-\d{4,6})\.json(\.sha256|\.sha512|\.asc)?$/.exec(file);
    if (!m || m[2] !== year) throw new NotFoundError('file');
    const [r] = await db.select().from(advisories).where(eq(advisories.trackingId, m[1].toUpperCase()));
    if (!r || r.tlp !== 'CLEAR' || r.status === 'draft' || !r.initialReleaseAt || String(r.initialReleaseAt.getUTCFullYear()) !== year) throw new NotFoundError('file');
    const name = ({ '': 'csaf.json', '.sha256': 'csaf.json.sha256', '.sha512': 'csaf.json.sha512', '.asc': 'csaf.json.asc' } as const)[(m[3] ?? '') as '' | '.sha256' | '.sha512' | '.asc'];
    return document({ ...SYSTEM_ACTOR, email: null, via: 'none' }, null, r.id, name);
  }

  async function distributionMetadata(baseUrl: string): Promise<ServedFile> {
    const key = await signingKey();
    const [{ last }] = await db
      .select({ last: sql<Date | null>`max(${advisories.currentReleaseAt})` })
      .from(advisories)
      .where(and(eq(advisories.tlp, 'CLEAR'), inArray(advisories.status, ['published', 'withdrawn'])));
    const lastUpdated = last ? new Date(last) : new Date(0);
    const body = JSON.stringify(providerMetadata({ baseUrl: links.publicUrl?.() ?? baseUrl, publisher: DEFAULT_PUBLISHER, lastUpdated, key }), null, 2);
    return { body, contentType: 'application/json', etag: `"${createHashHex(body).slice(0, 32)}"`, lastModified: lastUpdated };
  }

  async function publicKey(fingerprint: string): Promise<ServedFile> {
    const key = await signingKey();
    if (fingerprint.toUpperCase() !== key.fingerprint) {
      const [old] = await db.select().from(advisorySigningKeys).where(eq(advisorySigningKeys.fingerprint, fingerprint.toUpperCase()));
      if (!old) throw new NotFoundError('key');
      return { body: old.publicKey, contentType: 'application/pgp-keys', etag: `"${old.fingerprint}"`, lastModified: old.createdAt };
    }
    return { body: key.publicKey, contentType: 'application/pgp-keys', etag: `"${key.fingerprint}"`, lastModified: key.createdAt };
  }

  return {
    draft,
    updateDraft,
    publish,
    revise,
    withdraw,
    get,
    list,
    feed,
    document,
    distributionIndex,
    distributionChanges,
    distributionFile,
    distributionMetadata,
    publicKey,
    /** The public key's path under /.well-known/csaf. */
    publicKeyPath: async () => publicKeyPath((await signingKey()).fingerprint),
    /** For tests while the matching module is a stub: skip indexing published advisories. */
    setMatchingIndex: (on: boolean) => {
      indexInMatching = on;
    },
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

function createHashHex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export type AdvisoriesService = ReturnType<typeof createAdvisoriesService>;
