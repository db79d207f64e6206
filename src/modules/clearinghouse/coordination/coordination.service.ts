// Coordinated disclosure (issue 6): a case per validated vulnerability with the vendors of the
// affected products, their statements per product, a thread with the coordinators, and an embargo
// timed ahead of the public release of the model whose review found it.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../../../lib/errors.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import type { Actor } from '../../access/actor.ts';
import { CUI, dominates, type Marking } from '../../access/marking.ts';
import { can, type Subject } from '../../access/policy.ts';
import type { ClearinghouseService } from '../clearinghouse.service.ts';
import { buildPurl } from '../../matching/purl.ts';
import { acceptsWork, nextCaseState, type CaseEvent, type CaseState } from './case.machine.ts';
import * as dal from './coordination.dal.ts';
import { caseLink, createVendorNotices } from './vendor-notices.ts';
import { createVendorProducts } from './vendor-products.ts';
import {
  DEFAULT_COORDINATION_OPTIONS,
  defaultEmbargo,
  embargoChange,
  embargoClock,
  embargoWarnings,
  isIanaTimeZone,
  matchVendors,
  mayStateOn,
  packageKey,
  silentDays,
  statementProblems,
  wallTimeToInstant,
  type CoordinationOptions,
  type DefaultEmbargo,
} from './coordination.fns.ts';
import { coordinationCases, coordinationCaseVendors, coordinationEmbargoHistory, coordinationMessages, coordinationStatements } from './coordination.schema.ts';
import { MAX_MESSAGES_SHOWN, type CaseViewT, type ChangeEmbargoInput, type MessageInput, type OpenCaseInput, type StatementInput } from './coordination.types.ts';

/** The case's embargo: the public release moment and the time zone it was set in. */
export interface EmbargoView {
  releaseAt: Date;
  timeZone: string;
}

export type VendorProductStatus = 'affected' | 'not_affected' | 'under_investigation' | 'fixed';

/** A vendor's statement on one product, as an advisory (CSAF VEX, OSV) needs it. */
export interface VendorStatementForAdvisory {
  vendorOrgId: string;
  vendorName: string;
  /** The product's package-url (versionless). */
  product: string;
  status: VendorProductStatus;
  /** VEX justification when not affected (CSAF flag label / CycloneDX justification). */
  justification: string | null;
  fixedVersion: string | null;
  remediation: string | null;
}

export interface CoordinationLinks {
  /** Opening a case moves the vulnerability validated → coordinating in the same transaction. */
  clearinghouse: Pick<ClearinghouseService, 'transition' | 'getVulnerability'>;
}

export function createCoordinationService(deps: ModuleDeps, links: CoordinationLinks, options: Partial<CoordinationOptions> = {}) {
  const { db, audit, keyring, notify, queue, clock } = deps;
  const opts: CoordinationOptions = { ...DEFAULT_COORDINATION_OPTIONS, ...options };
  const products = createVendorProducts({ db, audit, clock });
  const notices = createVendorNotices({ db, audit, notify, queue, clock }, opts.reminderEveryDays);

  const cleared = (subject: Subject, m: Marking) => dominates({ classification: subject.clearance, compartments: subject.compartments }, m);
  const coordinates = (subject: Subject, c: dal.CaseRow) => can(subject, 'clearinghouse:coordinate') && cleared(subject, c);
  const mayRespond = (subject: Subject) => can(subject, 'vendor:respond') && subject.orgKind === 'vendor';
  const titleOf = (vulnerabilityId: string, enc: string) => keyring.decrypt(enc, `clearinghouse_vulnerabilities.title_enc:${vulnerabilityId}`);
  const messageAad = (id: string) => `coordination_messages.body_enc:${id}`;

  /** The reader's part in a case: coordinator, vendor (participant), or none (404, the case does not exist for it). */
  async function roleIn(subject: Subject, c: dal.CaseRow): Promise<'coordinator' | 'vendor'> {
    if (coordinates(subject, c)) return 'coordinator';
    if (mayRespond(subject) && c.classification <= CUI && (await dal.participation(db, c.id, subject.orgId))) return 'vendor';
    throw new NotFoundError('case', true);
  }

  async function loadCase(id: string): Promise<dal.CaseRow> {
    const c = await dal.caseById(db, id);
    if (!c) throw new NotFoundError('case');
    return c;
  }

  /** A case a coordinator works on (404 above its clearance). */
  async function coordinatedCase(subject: Subject, id: string): Promise<dal.CaseRow> {
    const c = await loadCase(id);
    if (!coordinates(subject, c)) throw new NotFoundError('case', true);
    return c;
  }

  function requireOpen(c: dal.CaseRow, what: string) {
    if (!acceptsWork(c.status as CaseState)) throw new InvalidTransitionError('case', c.status, what);
  }

  /** An embargo from a request: one of an instant or a wall-clock time, in a named IANA zone, in the future. */
  function resolveEmbargo(input: { releaseAt?: string; localTime?: string; timeZone: string }, now: Date, pathPrefix = ''): Date {
    if (!isIanaTimeZone(input.timeZone)) throw new ValidationError('The time zone is not an IANA time zone.', [{ path: `${pathPrefix}/timeZone`, message: 'an IANA name such as America/New_York' }]);
    if ((input.releaseAt === undefined) === (input.localTime === undefined)) throw new ValidationError('Give the release time once.', [{ path: `${pathPrefix}/releaseAt`, message: 'send exactly one of releaseAt (an instant) and localTime (a time in timeZone)' }]);
    const when = input.releaseAt !== undefined ? new Date(input.releaseAt) : wallTimeToInstant(input.localTime!, input.timeZone);
    if (!when || Number.isNaN(when.getTime())) throw new ValidationError('The release time is not a valid time.', [{ path: `${pathPrefix}/localTime`, message: 'not a valid date and time' }]);
    if (when.getTime() <= now.getTime()) throw new ValidationError('The release time is in the past.', [{ path: `${pathPrefix}${input.releaseAt !== undefined ? '/releaseAt' : '/localTime'}`, message: 'must be in the future' }]);
    return when;
  }

  // -------------------------------------------------------------------------------------------
  // Opening a case

  async function openCase(actor: Actor, subject: Subject, input: OpenCaseInput): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Opening coordination cases is for clearinghouse coordinators.');
    const now = clock();
    const timeZone = input.embargo?.timeZone ?? opts.defaultTimeZone;
    // A zone alone asks for the default embargo stated in that zone.
    const e = input.embargo;
    if (e && e.releaseAt === undefined && e.localTime === undefined && !isIanaTimeZone(e.timeZone)) throw new ValidationError('The time zone is not an IANA time zone.', [{ path: '/embargo/timeZone', message: 'an IANA name such as America/New_York' }]);
    const chosen = e && (e.releaseAt !== undefined || e.localTime !== undefined) ? resolveEmbargo(e, now, '/embargo') : null;
    const handPicked = [...new Set(input.vendorOrgIds)];
    const orgs = await dal.vendorOrgs(db, handPicked);
    const bad = handPicked.map((id, i) => ({ id, i })).filter(({ id }) => orgs.find((o) => o.id === id)?.kind !== 'vendor');
    if (bad.length) throw new ValidationError('Only vendor organisations can be added to a case.', bad.slice(0, 20).map(({ i }) => ({ path: `/vendorOrgIds/${i}`, message: 'not a vendor organisation' })));
    const caseId = randomUUID();
    await links.clearinghouse.transition(actor, subject, input.vulnerabilityId, { to: 'coordinating' }, async (tx, v) => {
      // Vendors are uncleared outside organisations: a classified vulnerability is coordinated out of band.
      if (v.classification > CUI) throw new ValidationError('A classified vulnerability cannot be coordinated with vendors here.', [{ path: '/vulnerabilityId', message: 'coordination cases are CUI at most' }]);
      const affected = (v.affected as { purl?: string }[]).flatMap((a) => (a.purl ? [a.purl] : []));
      const packages = affected.map(packageKey).filter((p): p is NonNullable<typeof p> => p !== null);
      const matched = matchVendors(await dal.candidateProducts(tx, packages), affected);
      const vendors = new Map<string, { addedHow: 'purl' | 'hand'; matchedPurls: string[] }>();
      for (const [orgId, purls] of matched) vendors.set(orgId, { addedHow: 'purl', matchedPurls: purls });
      for (const orgId of handPicked) if (!vendors.has(orgId)) vendors.set(orgId, { addedHow: 'hand', matchedPurls: [] });
      const embargo: DefaultEmbargo = chosen ? { releaseAt: chosen, basis: 'fallback', modelId: null } : defaultEmbargo(now, await dal.modelReleasesOf(tx, v.id), opts, timeZone);
      await tx.insert(coordinationCases).values({
        id: caseId,
        ownerOrgId: v.ownerOrgId,
        classification: v.classification,
        compartments: v.compartments,
        vulnerabilityId: v.id,
        status: 'open',
        embargoReleaseAt: embargo.releaseAt,
        embargoTimeZone: timeZone,
        openedBy: subject.userId,
        openedAt: now,
        updatedAt: now,
      });
      const rows = [...vendors].map(([vendorOrgId, x]) => ({ caseId, vendorOrgId, addedHow: x.addedHow, matchedPurls: x.matchedPurls, addedBy: subject.userId, addedAt: now }));
      // Multi-row inserts: a case with hundreds of vendors is a few statements, not hundreds.
      for (let i = 0; i < rows.length; i += 500) await tx.insert(coordinationCaseVendors).values(rows.slice(i, i + 500));
      await tx.insert(coordinationEmbargoHistory).values({
        caseId,
        action: chosen ? 'set' : 'default',
        fromReleaseAt: null,
        toReleaseAt: embargo.releaseAt,
        timeZone,
        basis: chosen ? null : embargo.basis,
        modelId: embargo.modelId,
        reason: null,
        actorUserId: subject.userId,
        at: now,
      });
      await notices.send(tx, caseId, [...vendors.keys()], 'opened');
      await audit.record(tx, {
        actor,
        action: 'coordination_case.open',
        recordType: 'coordination_case',
        recordId: caseId,
        marking: v,
        ownerOrgId: v.ownerOrgId,
        detail: { vulnerabilityId: v.id, vendors: vendors.size, byPurl: matched.size, embargo: embargo.releaseAt.toISOString(), timeZone, basis: chosen ? 'set' : embargo.basis },
      });
    });
    return caseView(subject, await loadCase(caseId), 'coordinator');
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  async function caseView(subject: Subject, c: dal.CaseRow, role: 'coordinator' | 'vendor'): Promise<CaseViewT> {
    const now = clock();
    const own = role === 'vendor' ? subject.orgId : undefined;
    const [v, vendors, statements, messages, history, releases] = await Promise.all([
      dal.vulnerabilitySummary(db, c.vulnerabilityId),
      dal.caseVendors(db, c.id, own),
      dal.caseStatements(db, c.id, own),
      dal.caseMessages(db, c.id, MAX_MESSAGES_SHOWN, own),
      role === 'coordinator' ? dal.embargoHistory(db, c.id) : Promise.resolve([]),
      role === 'coordinator' ? dal.modelReleasesOf(db, c.vulnerabilityId) : Promise.resolve([]),
    ]);
    if (!v) throw new NotFoundError('case');
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      id: c.id,
      view: role,
      vulnerabilityId: c.vulnerabilityId,
      title: titleOf(v.id, v.titleEnc),
      status: c.status as CaseState,
      openedAt: c.openedAt.toISOString(),
      closedAt: iso(c.closedAt),
      cvss: (v.cvss as { version: string; vector: string; baseScore: number; severity: string }[]).map((s) => ({ version: s.version, vector: s.vector, baseScore: s.baseScore, severity: s.severity })),
      cwe: v.cwe,
      affectedPurls: (v.affected as { purl?: string }[]).flatMap((a) => (a.purl ? [a.purl] : [])),
      embargo: embargoClock(c.embargoReleaseAt, c.embargoTimeZone, now),
      warnings: c.status === 'open' ? embargoWarnings(c.embargoReleaseAt, releases, now) : [],
      embargoHistory: history.map((h) => ({ action: h.action, from: iso(h.fromReleaseAt), to: h.toReleaseAt.toISOString(), timeZone: h.timeZone, basis: h.basis, modelId: h.modelId, reason: h.reason, at: h.at.toISOString() })),
      vendors: vendors.map(({ v: r, name }) => ({
        orgId: r.vendorOrgId,
        name,
        addedHow: r.addedHow as 'purl' | 'hand',
        matchedPurls: r.matchedPurls,
        addedAt: r.addedAt.toISOString(),
        notifiedAt: iso(r.notifiedAt),
        respondedAt: iso(r.respondedAt),
        silentDays: silentDays(r.notifiedAt, r.respondedAt, now),
        remindersSent: r.remindersSent,
        lastRemindedAt: iso(r.lastRemindedAt),
      })),
      statements: statements.map(({ s, vendorName }) => ({
        id: s.id,
        vendorOrgId: s.vendorOrgId,
        vendorName,
        product: s.product,
        status: s.status as VendorProductStatus,
        justification: s.justification,
        fixedVersion: s.fixedVersion,
        remediation: s.remediation,
        shared: s.shared,
        statedAt: s.statedAt.toISOString(),
      })),
      messages: messages.map(({ m, authorName, authorOrgName }) => ({
        id: m.id,
        visibility: m.visibility as 'internal' | 'vendor' | 'all_vendors',
        vendorOrgId: m.vendorOrgId,
        authorName,
        authorOrgName,
        mine: m.authorOrgId === subject.orgId,
        body: keyring.decrypt(m.bodyEnc, messageAad(m.id)),
        postedAt: m.postedAt.toISOString(),
      })),
    };
  }

  async function getCase(actor: Actor, subject: Subject, id: string): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate') && !can(subject, 'vendor:respond')) throw new NotFoundError('case');
    const c = await loadCase(id);
    const role = await roleIn(subject, c);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'coordination_case', recordId: c.id, classification: c.classification, compartments: c.compartments }, { view: role }, c.ownerOrgId));
    return caseView(subject, c, role);
  }

  async function listCases(subject: Subject, q: { status?: CaseState; silent?: 'true' | 'false'; limit: number }) {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('The case board is for clearinghouse coordinators.');
    const now = clock();
    const rows = await dal.coordinatorCases(db, subject, now, q);
    return rows.map((r) => ({
      id: r.c.id,
      vulnerabilityId: r.c.vulnerabilityId,
      title: titleOf(r.c.vulnerabilityId, r.titleEnc),
      status: r.c.status as CaseState,
      openedAt: r.c.openedAt.toISOString(),
      embargo: embargoClock(r.c.embargoReleaseAt, r.c.embargoTimeZone, now),
      vendors: Number(r.vendors),
      statements: Number(r.statements),
      silentVendors: Number(r.silent),
      longestSilentDays: r.oldestSilentSince ? silentDays(new Date(r.oldestSilentSince), null, now) : null,
    }));
  }

  async function listMyCases(subject: Subject, limit: number) {
    if (!mayRespond(subject)) throw new ForbiddenError('Vendor cases are for vendor security coordinators.');
    const now = clock();
    const rows = await dal.vendorCases(db, subject.orgId, limit);
    return rows
      .filter((r) => r.c.classification <= CUI)
      .map((r) => ({
        id: r.c.id,
        vulnerabilityId: r.c.vulnerabilityId,
        title: titleOf(r.c.vulnerabilityId, r.titleEnc),
        status: r.c.status as CaseState,
        openedAt: r.c.openedAt.toISOString(),
        embargo: embargoClock(r.c.embargoReleaseAt, r.c.embargoTimeZone, now),
        notifiedAt: r.notifiedAt?.toISOString() ?? null,
        myStatements: Number(r.mine),
      }));
  }

  // -------------------------------------------------------------------------------------------
  // Coordinators' work

  async function addVendor(actor: Actor, subject: Subject, caseId: string, vendorOrgId: string): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Adding vendors is for clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    requireOpen(c, 'add a vendor');
    const [org] = await dal.vendorOrgs(db, [vendorOrgId]);
    if (org?.kind !== 'vendor') throw new ValidationError('Only vendor organisations can be added to a case.', [{ path: '/vendorOrgId', message: 'not a vendor organisation' }]);
    const now = clock();
    await db.transaction(async (tx) => {
      const added = await tx
        .insert(coordinationCaseVendors)
        .values({ caseId: c.id, vendorOrgId, addedHow: 'hand', matchedPurls: [], addedBy: subject.userId, addedAt: now })
        .onConflictDoNothing()
        .returning({ id: coordinationCaseVendors.vendorOrgId });
      if (added.length === 0) throw new ConflictError('That vendor is already in the case.');
      await notices.send(tx, c.id, [vendorOrgId], 'added');
      await audit.record(tx, { actor, action: 'coordination_case.add_vendor', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { vendorOrgId } });
    });
    return caseView(subject, await loadCase(c.id), 'coordinator');
  }

  async function changeEmbargo(actor: Actor, subject: Subject, caseId: string, input: ChangeEmbargoInput): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('The embargo is set by clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    requireOpen(c, 'change the embargo');
    const now = clock();
    const next = resolveEmbargo(input, now);
    const change = embargoChange(c.embargoReleaseAt, next, now);
    if (!change.ok) throw new ValidationError('The embargo cannot be changed to that time.', [{ path: input.releaseAt !== undefined ? '/releaseAt' : '/localTime', message: change.message }]);
    await db.transaction(async (tx) => {
      await guardedUpdate(tx, c, { embargoReleaseAt: next, embargoTimeZone: input.timeZone, updatedAt: now });
      await tx.insert(coordinationEmbargoHistory).values({ caseId: c.id, action: change.kind, fromReleaseAt: c.embargoReleaseAt, toReleaseAt: next, timeZone: input.timeZone, basis: null, modelId: null, reason: input.reason.trim(), actorUserId: subject.userId, at: now });
      await notices.send(tx, c.id, await vendorIds(tx, c.id), 'embargo');
      await audit.record(tx, { actor, action: `coordination_case.embargo_${change.kind}`, recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { from: c.embargoReleaseAt.toISOString(), to: next.toISOString(), timeZone: input.timeZone, reason: input.reason.trim() } });
    });
    return caseView(subject, await loadCase(c.id), 'coordinator');
  }

  async function endEmbargo(actor: Actor, subject: Subject, caseId: string, reason: string): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('The embargo is ended by clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    requireOpen(c, 'end the embargo');
    const now = clock();
    if (c.embargoReleaseAt.getTime() <= now.getTime()) throw new ConflictError('The embargo has already ended.');
    await db.transaction(async (tx) => {
      await guardedUpdate(tx, c, { embargoReleaseAt: now, updatedAt: now });
      await tx.insert(coordinationEmbargoHistory).values({ caseId: c.id, action: 'end_early', fromReleaseAt: c.embargoReleaseAt, toReleaseAt: now, timeZone: c.embargoTimeZone, basis: null, modelId: null, reason: reason.trim(), actorUserId: subject.userId, at: now });
      await notices.send(tx, c.id, await vendorIds(tx, c.id), 'embargo');
      await audit.record(tx, { actor, action: 'coordination_case.embargo_end_early', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { from: c.embargoReleaseAt.toISOString(), to: now.toISOString(), reason: reason.trim() } });
    });
    return caseView(subject, await loadCase(c.id), 'coordinator');
  }

  /** Updates the case only if nobody changed it since it was read (two coordinators at once). */
  async function guardedUpdate(tx: DbOrTx, c: dal.CaseRow, set: Partial<dal.CaseRow>) {
    const done = await tx
      .update(coordinationCases)
      .set(set)
      .where(and(eq(coordinationCases.id, c.id), eq(coordinationCases.updatedAt, c.updatedAt)))
      .returning({ id: coordinationCases.id });
    if (done.length === 0) throw new ConflictError('The case changed meanwhile; reload it and try again.');
  }

  async function vendorIds(tx: DbOrTx, caseId: string): Promise<string[]> {
    const rows = await tx.select({ id: coordinationCaseVendors.vendorOrgId }).from(coordinationCaseVendors).where(eq(coordinationCaseVendors.caseId, caseId));
    return rows.map((r) => r.id);
  }

  async function moveCase(actor: Actor, subject: Subject, caseId: string, event: CaseEvent, reason: string): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Cases are closed and reopened by clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    const to = nextCaseState(c.status as CaseState, event);
    if (!to) throw new InvalidTransitionError('case', c.status, event);
    const now = clock();
    await db.transaction(async (tx) => {
      await guardedUpdate(tx, c, { status: to, closedAt: to === 'closed' ? now : null, updatedAt: now });
      await audit.record(tx, { actor, action: `coordination_case.${event}`, recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { from: c.status, to, reason: reason.trim() } });
    });
    return caseView(subject, await loadCase(c.id), 'coordinator');
  }

  async function shareStatement(actor: Actor, subject: Subject, caseId: string, statementId: string, shared: boolean): Promise<CaseViewT> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Statements are shared by clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    const now = clock();
    await db.transaction(async (tx) => {
      const done = await tx
        .update(coordinationStatements)
        .set({ shared, sharedAt: shared ? now : null })
        .where(and(eq(coordinationStatements.id, statementId), eq(coordinationStatements.caseId, c.id)))
        .returning({ vendorOrgId: coordinationStatements.vendorOrgId });
      if (done.length === 0) throw new NotFoundError('statement');
      await audit.record(tx, { actor, action: shared ? 'coordination_case.share_statement' : 'coordination_case.unshare_statement', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { statementId, vendorOrgId: done[0]!.vendorOrgId } });
    });
    return caseView(subject, await loadCase(c.id), 'coordinator');
  }

  async function remindSilent(actor: Actor, subject: Subject, caseId: string): Promise<{ queued: number }> {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Reminders are sent by clearinghouse coordinators.');
    const c = await coordinatedCase(subject, caseId);
    requireOpen(c, 'remind vendors');
    return db.transaction(async (tx) => {
      const silent = await tx
        .select({ id: coordinationCaseVendors.vendorOrgId })
        .from(coordinationCaseVendors)
        .where(and(eq(coordinationCaseVendors.caseId, c.id), sql`${coordinationCaseVendors.notifiedAt} is not null and ${coordinationCaseVendors.respondedAt} is null`));
      await notices.send(tx, c.id, silent.map((s) => s.id), 'reminder');
      await audit.record(tx, { actor, action: 'coordination_case.remind', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { vendors: silent.length } });
      return { queued: silent.length };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Vendors' and coordinators' words

  async function stateProduct(actor: Actor, subject: Subject, caseId: string, input: StatementInput): Promise<CaseViewT> {
    if (!mayRespond(subject)) throw new ForbiddenError('Statements are made by the vendor’s security coordinators.');
    const c = await loadCase(caseId);
    if ((await roleIn(subject, c)) !== 'vendor') throw new NotFoundError('case', true);
    requireOpen(c, 'state');
    const key = packageKey(input.product);
    if (!key) throw new ValidationError('The product is not a package-url.', [{ path: '/product', message: 'a package-url such as pkg:npm/%40openhealth/ehr-core' }]);
    const problems = statementProblems(input);
    if (problems.length) throw new ValidationError('The statement is incomplete.', problems);
    const [v, own] = await Promise.all([dal.vulnerabilitySummary(db, c.vulnerabilityId), dal.productsOf(db, subject.orgId)]);
    const affected = ((v?.affected ?? []) as { purl?: string }[]).flatMap((a) => (a.purl ? [a.purl] : []));
    if (!mayStateOn(key, affected, own)) throw new ValidationError('That product is neither affected nor one of yours.', [{ path: '/product', message: 'a package the vulnerability names, or a product your organisation registered' }]);
    const product = buildPurl({ type: key.type, namespace: key.namespace || null, name: key.name });
    const now = clock();
    await db.transaction(async (tx) => {
      const values = {
        status: input.status,
        justification: input.justification ?? null,
        fixedVersion: input.fixedVersion ?? null,
        remediation: input.remediation ?? null,
        // A changed statement is shared again only by a coordinator's new decision.
        shared: false,
        sharedAt: null,
        statedBy: subject.userId,
        statedAt: now,
      };
      await tx
        .insert(coordinationStatements)
        .values({ id: randomUUID(), caseId: c.id, vendorOrgId: subject.orgId, product, ...values })
        .onConflictDoUpdate({ target: [coordinationStatements.caseId, coordinationStatements.vendorOrgId, coordinationStatements.product], set: values });
      await markResponded(tx, c.id, subject.orgId, now);
      await audit.record(tx, { actor, action: 'coordination_case.statement', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { product, status: input.status, justification: input.justification ?? null, fixedVersion: input.fixedVersion ?? null } });
    });
    return caseView(subject, await loadCase(c.id), 'vendor');
  }

  async function markResponded(tx: DbOrTx, caseId: string, vendorOrgId: string, now: Date) {
    await tx
      .update(coordinationCaseVendors)
      .set({ respondedAt: sql`coalesce(${coordinationCaseVendors.respondedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(coordinationCaseVendors.caseId, caseId), eq(coordinationCaseVendors.vendorOrgId, vendorOrgId)));
  }

  async function postMessage(actor: Actor, subject: Subject, caseId: string, input: MessageInput) {
    if (!can(subject, 'clearinghouse:coordinate') && !mayRespond(subject)) throw new NotFoundError('case');
    const c = await loadCase(caseId);
    const role = await roleIn(subject, c);
    requireOpen(c, 'write');
    let visibility = input.visibility ?? (role === 'vendor' ? 'vendor' : 'internal');
    let vendorOrgId = input.vendorOrgId ?? null;
    if (role === 'vendor') {
      if (visibility !== 'vendor' || (vendorOrgId && vendorOrgId !== subject.orgId)) throw new ValidationError('A vendor writes to the coordinators only.', [{ path: '/visibility', message: 'a vendor’s message is seen by the coordinators and its own organisation' }]);
      vendorOrgId = subject.orgId;
    } else if (visibility === 'vendor') {
      if (!vendorOrgId || !(await dal.participation(db, c.id, vendorOrgId))) throw new ValidationError('Name a vendor of this case.', [{ path: '/vendorOrgId', message: 'a vendor of this case' }]);
    } else if (vendorOrgId) {
      throw new ValidationError('A vendor is named only for a message to that vendor.', [{ path: '/vendorOrgId', message: `not used with visibility ${visibility}` }]);
    }
    visibility = visibility as 'internal' | 'vendor' | 'all_vendors';
    const id = randomUUID();
    const now = clock();
    await db.transaction(async (tx) => {
      await tx.insert(coordinationMessages).values({ id, caseId: c.id, visibility, vendorOrgId, authorUserId: subject.userId, authorOrgId: subject.orgId, bodyEnc: keyring.encrypt(input.body, messageAad(id)), postedAt: now });
      if (role === 'vendor') {
        await markResponded(tx, c.id, subject.orgId, now);
        await notify.notify(tx, { orgIds: [c.ownerOrgId], roles: ['clearinghouse_analyst'], title: 'A vendor wrote in a vulnerability case', body: 'A vendor wrote to the coordinators of a coordinated vulnerability case. Sign in to read it.', link: caseLink(c.id) });
      } else if (visibility === 'vendor') {
        await notices.send(tx, c.id, [vendorOrgId!], 'message');
      } else if (visibility === 'all_vendors') {
        await notices.send(tx, c.id, await vendorIds(tx, c.id), 'message');
      }
      await audit.record(tx, { actor, action: 'coordination_case.message', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { messageId: id, visibility, vendorOrgId } });
    });
    const view = await caseView(subject, await loadCase(c.id), role);
    return view.messages.find((m) => m.id === id)!;
  }

  // -------------------------------------------------------------------------------------------
  // For publication

  return {
    options: opts,
    jobs: notices.jobs,
    startup: notices.startup,
    openCase,
    getCase,
    listCases,
    listMyCases,
    addVendor,
    changeEmbargo,
    endEmbargo,
    closeCase: (actor: Actor, subject: Subject, id: string, reason: string) => moveCase(actor, subject, id, 'close', reason),
    reopenCase: (actor: Actor, subject: Subject, id: string, reason: string) => moveCase(actor, subject, id, 'reopen', reason),
    shareStatement,
    remindSilent,
    remindSweep: notices.remindSweep,
    stateProduct,
    postMessage,
    ...products,
    /** The embargo of the case of this vulnerability; null when there is no case or no embargo. */
    /**
     * With a transaction, the case row is share-locked until it commits: an embargo extended at the
     * same moment waits for the publication, or the publication sees the extension.
     */
    embargoOf: async (vulnerabilityId: string, tx?: DbOrTx): Promise<EmbargoView | null> => {
      const c = await dal.caseOfVulnerability(tx ?? db, vulnerabilityId, tx !== undefined);
      return c ? { releaseAt: c.embargoReleaseAt, timeZone: c.embargoTimeZone } : null;
    },
    /** Every vendor statement of the case of this vulnerability (for the advisory's product status). */
    statementsOf: async (vulnerabilityId: string): Promise<VendorStatementForAdvisory[]> => {
      const c = await dal.caseOfVulnerability(db, vulnerabilityId);
      if (!c) return [];
      const rows = await dal.caseStatements(db, c.id);
      return rows.map(({ s, vendorName }) => ({ vendorOrgId: s.vendorOrgId, vendorName, product: s.product, status: s.status as VendorProductStatus, justification: s.justification, fixedVersion: s.fixedVersion, remediation: s.remediation }));
    },
    /** The vendor organisations of the case of this vulnerability (a TLP audience's case participants). */
    participantsOf: async (vulnerabilityId: string): Promise<string[]> => {
      const c = await dal.caseOfVulnerability(db, vulnerabilityId);
      return c ? vendorIds(db, c.id) : [];
    },
  };
}

export type CoordinationService = ReturnType<typeof createCoordinationService>;
