import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { findingEvidence, findingHistory, findings, type StoredProduct } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type ProblemFieldError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import { addGrant, enforce, grantsOf } from '../access/access.service.ts';
import { SYSTEM_ACTOR, type Actor } from '../access/actor.ts';
import { CUI, dominates, formatMarking, nameOf, parseMarking, type Marking } from '../access/marking.ts';
import { can, canRead, type ReadRule, type Subject } from '../access/policy.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { createAssessmentService, type AssessmentService } from '../reviews/assessment.service.ts';
import { findDuplicate } from './duplicates.ts';
import { dueAt, dueDaysFor, type DueDays } from './due.ts';
import { EVENT_PARTY, eventsFor, NOTE_REQUIRED, transition, type FindingEvent, type FindingState } from './finding.machine.ts';
import {
  dedupeCandidates,
  evidenceOf,
  FINDING_RECORD,
  findingById,
  historyOf,
  knowsModel,
  listFindings,
  modelOf,
  readableTranscripts,
  SHARE_SOURCE,
  sharesOf,
  visibleFindings,
  windowForFiling,
  windowGrantees,
  type FindingRow,
} from './findings.dal.ts';
import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, type FindingKind } from './findings.types.ts';
import { checkCwe, checkProduct } from './products.ts';
import { scoreCvss, type Rating } from './severity.ts';

export const HANDOFF_JOB = 'findings.handoff-clearinghouse';
export const INTAKE_UNAVAILABLE = 'clearinghouse intake not available';
/** Without an intake, the hand-off looks again this often; with one, failures back off from a minute. */
const RECHECK_MS = 60 * 60_000;
const MAX_HANDOFF_ATTEMPTS = 5;

/** What the clearinghouse receives for a third-party software vulnerability found during a review. */
export interface ClearinghouseHandoff {
  findingId: string;
  modelId: string;
  windowId: string;
  filerOrgId: string;
  title: string;
  summary: string;
  cvssVector: string | null;
  cvssScore: number | null;
  rating: string;
  cwe: string | null;
  products: { kind: 'purl' | 'cpe'; value: string }[];
  marking: Marking;
  filedAt: string;
}

export interface FindingsOptions {
  /**
   * The clearinghouse's intake. Returns the id of the report created (or already created for this
   * finding: the call must be idempotent on findingId). Until the clearinghouse module supplies it,
   * hand-offs stay `queued` with reason "clearinghouse intake not available" and are looked at again
   * every hour.
   */
  deliverToClearinghouse?: (finding: ClearinghouseHandoff) => Promise<{ reportId: string }>;
  /** Days before the planned release at which a response is due, by rating. */
  dueDays?: Partial<DueDays>;
  /** The coordinated-assessment service, when the composition root builds it itself. */
  assessments?: AssessmentService;
}

export interface NewFinding {
  modelId: string;
  kind: FindingKind;
  title: string;
  summary: string;
  cvssVector?: string;
  rating?: Rating;
  cwe?: string;
  products: string[];
  transcriptIds: string[];
  marking: string;
  submit: boolean;
}

/** Reviewers read with findings:file; the developer with findings:respond (through a share). */
function ruleFor(subject: Subject): ReadRule {
  return { ability: can(subject, 'findings:file') ? 'findings:file' : 'findings:respond' };
}

export function createFindingsService(deps: ModuleDeps, opts: FindingsOptions = {}) {
  const { db, audit, keyring, notify, queue, clock } = deps;
  const assessments = opts.assessments ?? createAssessmentService(deps);
  const summaryAad = (id: string) => `findings.summary_enc:${id}`;
  const noteAad = (id: string) => `finding_history.note_enc:${id}`;
  const evidenceAad = (id: string) => `finding_evidence.content_enc:${id}`;

  // ---- access ---------------------------------------------------------------------------------

  async function readable(tx: DbOrTx, subject: Subject, id: string, forUpdate = false): Promise<FindingRow> {
    const f = await findingById(tx, id, forUpdate);
    if (!f) throw new NotFoundError('finding');
    const grants = (await grantsOf(tx, FINDING_RECORD, [f.id])).get(f.id) ?? [];
    enforce(canRead(subject, { ...f, grants }, ruleFor(subject), clock()), 'finding');
    return f;
  }

  function roleOf(subject: Subject, f: FindingRow): 'reviewer' | 'developer' | 'reader' {
    if (f.ownerOrgId === subject.orgId && can(subject, 'findings:file')) return 'reviewer';
    if (f.modelOwnerOrgId === subject.orgId && can(subject, 'findings:respond')) return 'developer';
    return 'reader';
  }

  async function addHistory(tx: DbOrTx, f: { id: string }, subject: Subject | null, e: { action: string; from?: string | null; to?: string | null; note?: string | null; detail?: Record<string, unknown>; internal?: boolean }) {
    const id = crypto.randomUUID();
    await tx.insert(findingHistory).values({
      id,
      findingId: f.id,
      at: clock(),
      actorUserId: subject?.userId ?? null,
      actorOrgId: subject?.orgId ?? null,
      action: e.action,
      fromStatus: e.from ?? null,
      toStatus: e.to ?? null,
      detail: e.detail ?? {},
      noteEnc: e.note ? keyring.encrypt(e.note, noteAad(id)) : null,
      internal: e.internal ?? false,
    });
  }

  function markingOf(f: FindingRow): Marking {
    return { classification: f.classification, compartments: f.compartments };
  }

  // ---- views ------------------------------------------------------------------------------------

  function dueOf(f: FindingRow, plannedReleaseAt: Date) {
    return f.filedAt ? dueAt(plannedReleaseAt, f.dueDaysBeforeRelease, f.filedAt).toISOString() : null;
  }

  function summaryOf(r: Awaited<ReturnType<typeof listFindings>>[number]) {
    const f = r.f;
    return {
      id: f.id,
      modelId: f.modelId,
      modelName: r.modelName,
      modelVersion: r.modelVersion,
      kind: f.kind,
      title: f.title,
      rating: f.rating,
      cvssScore: f.cvssScore,
      status: f.status,
      dueAt: dueOf(f, r.plannedReleaseAt),
      filerOrgName: r.filerOrgName,
      duplicate: f.duplicateOfId !== null,
      handoffState: f.handoffState,
      marking: { classification: nameOf(f.classification), compartments: [...f.compartments] },
      markingText: formatMarking(markingOf(f)),
      createdAt: f.createdAt.toISOString(),
    };
  }

  async function view(tx: DbOrTx, subject: Subject, id: string) {
    const now = clock();
    const rule = ruleFor(subject);
    const [row] = await listFindings(tx, eq(findings.id, id), 1);
    const f = row.f;
    const role = roleOf(subject, f);
    let duplicateOf: { id: string; title: string } | null = null;
    if (f.duplicateOfId) {
      const [d] = await listFindings(tx, and(eq(findings.id, f.duplicateOfId), visibleFindings(subject, rule, now))!, 1);
      if (d) duplicateOf = { id: d.f.id, title: d.f.title };
    }
    const history = (await historyOf(tx, f.id))
      .filter((h) => role !== 'developer' || !h.h.internal)
      .map((h) => ({
        at: h.h.at.toISOString(),
        action: h.h.action,
        fromStatus: h.h.fromStatus,
        toStatus: h.h.toStatus,
        actorOrgName: h.orgName,
        note: h.h.noteEnc ? keyring.decrypt(h.h.noteEnc, noteAad(h.h.id)) : null,
        detail: h.h.detail,
      }));
    const shares = role === 'reviewer' ? (await sharesOf(tx, f.id)).map((s) => ({ orgId: s.grant.granteeOrgId, orgName: s.orgName, at: s.grant.createdAt.toISOString(), revokedAt: s.grant.revokedAt?.toISOString() ?? null })) : [];
    return {
      ...summaryOf(row),
      windowId: f.windowId,
      summary: keyring.decrypt(f.summaryEnc, summaryAad(f.id)),
      cvss: f.cvssVector && f.cvssVersion && f.cvssScore !== null ? { version: f.cvssVersion, vector: f.cvssVector, score: f.cvssScore } : null,
      cwe: f.cwe,
      products: f.products.map((p) => ({ kind: p.kind, value: p.value })),
      transcriptIds: role === 'developer' ? [] : [...f.transcriptIds],
      evidence: (await evidenceOf(tx, f.id)).map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
      plannedReleaseAt: row.plannedReleaseAt.toISOString(),
      duplicateOf,
      developerResponse: f.developerResponse,
      respondedAt: f.respondedAt?.toISOString() ?? null,
      verification: f.verification,
      verifiedAt: f.verifiedAt?.toISOString() ?? null,
      handoff: f.handoffState ? { state: f.handoffState, reason: f.handoffReason, attempts: f.handoffAttempts, at: f.handoffAt?.toISOString() ?? null, clearinghouseReportId: f.clearinghouseReportId } : null,
      filedAt: f.filedAt?.toISOString() ?? null,
      sharedAt: f.sharedAt?.toISOString() ?? null,
      role,
      allowedEvents: role === 'reader' ? [] : eventsFor(f.status, role),
      shares,
      history,
    };
  }

  // ---- filing ----------------------------------------------------------------------------------

  function checkInput(input: NewFinding) {
    const errors: ProblemFieldError[] = [];
    let cvss: { version: string; vector: string; score: number; rating: Rating } | null = null;
    if (input.cvssVector) {
      const r = scoreCvss(input.cvssVector);
      if (!r.ok) errors.push({ path: 'cvssVector', message: r.message });
      else {
        cvss = r.value;
        if (input.rating && input.rating !== r.value.rating) errors.push({ path: 'rating', message: `the vector scores ${r.value.score} (${r.value.rating})` });
      }
    } else if (!input.rating) errors.push({ path: 'rating', message: 'required without a CVSS vector' });
    let cwe: string | null = null;
    if (input.cwe) {
      const r = checkCwe(input.cwe);
      if (r.ok) cwe = r.value;
      else errors.push({ path: 'cwe', message: r.message });
    }
    const products: StoredProduct[] = [];
    input.products.forEach((p, i) => {
      const r = checkProduct(p);
      if (r.ok) products.push(r.value);
      else errors.push({ path: `products.${i}`, message: r.message });
    });
    if (input.kind === 'third_party_vulnerability' && input.products.length === 0) errors.push({ path: 'products', message: 'a third-party vulnerability names at least one affected product' });
    let marking: Marking | null = null;
    try {
      marking = parseMarking(input.marking);
      if (marking.classification < CUI) errors.push({ path: 'marking', message: 'findings are at least CUI' });
    } catch (e) {
      errors.push({ path: 'marking', message: (e as Error).message });
    }
    if (errors.length) throw new ValidationError(`The finding is not valid: ${errors.map((e) => e.path).join(', ')}. Nothing was saved.`, errors);
    const seen = new Set<string>();
    const unique = products.filter((p) => (seen.has(p.value) ? false : (seen.add(p.value), true)));
    return { cvss, rating: (cvss?.rating ?? input.rating)!, cwe, products: unique, marking: marking! };
  }

  /** draft → filed: the due date starts, duplicates are looked for, a software vulnerability is handed off. */
  async function fileIn(tx: DbOrTx, actor: Actor, subject: Subject, f: FindingRow, note?: string) {
    const now = clock();
    const next = transition(f.status, 'file');
    const rule = ruleFor(subject);
    const candidates = await dedupeCandidates(tx, f.modelId, f.id, visibleFindings(subject, rule, now));
    const dup = findDuplicate(
      { id: f.id, kind: f.kind, cwe: f.cwe, productKeys: f.products.map((p) => p.key) },
      candidates.map((c) => ({ id: c.id, kind: c.kind, cwe: c.cwe, productKeys: c.products.map((p) => p.key), at: c.filedAt ?? c.createdAt })),
    );
    const handoff = f.kind === 'third_party_vulnerability';
    await tx
      .update(findings)
      .set({ status: next, filedAt: now, updatedAt: now, duplicateOfId: dup?.id ?? null, ...(handoff ? { handoffState: 'queued', handoffReason: null, handoffAt: now } : {}) })
      .where(eq(findings.id, f.id));
    await addHistory(tx, f, subject, { action: 'file', from: f.status, to: next, note });
    if (dup) await addHistory(tx, f, subject, { action: 'duplicate_flagged', detail: { duplicateOf: dup.id }, internal: true });
    if (handoff) {
      await queue.send(tx, HANDOFF_JOB, { findingId: f.id }, { singletonKey: `${f.id}:0` });
      await addHistory(tx, f, subject, { action: 'handoff_queued', detail: { to: 'clearinghouse' } });
    }
    await audit.record(tx, {
      actor,
      action: 'finding.file',
      recordType: FINDING_RECORD,
      recordId: f.id,
      detail: { modelId: f.modelId, kind: f.kind, rating: f.rating, duplicateOf: dup?.id ?? null, handoff: handoff ? 'queued' : null },
      marking: markingOf(f),
      ownerOrgId: f.ownerOrgId,
    });
  }

  async function create(actor: Actor, subject: Subject, input: NewFinding) {
    if (!can(subject, 'findings:file')) throw new ForbiddenError('Filing findings needs an agency analyst or partner reviewer role.');
    const checked = checkInput(input);
    const id = await db.transaction(async (tx) => {
      const now = clock();
      const model = await modelOf(tx, input.modelId);
      if (!model) throw new NotFoundError('model');
      const window = await windowForFiling(tx, model.id, subject.orgId, now);
      if (!window) {
        if (model.ownerOrgId === subject.orgId || (await knowsModel(tx, model.id, subject.orgId))) throw new ForbiddenError('Filing a finding needs a live grant on the model’s open review window.');
        throw new NotFoundError('model', true);
      }
      const held = { classification: subject.clearance, compartments: subject.compartments };
      if (!dominates(held, checked.marking)) throw new ValidationError('You cannot mark a finding above your own clearance.', [{ path: 'marking', message: `above your clearance (${formatMarking(checked.marking)})` }]);
      const ids = [...new Set(input.transcriptIds)];
      const found = new Map((await readableTranscripts(tx, subject, model.id, ids)).map((t) => [t.id, t]));
      const bad: ProblemFieldError[] = [];
      input.transcriptIds.forEach((t, i) => {
        const r = found.get(t);
        if (!r) bad.push({ path: `transcriptIds.${i}`, message: 'not a gateway transcript of this model that you can read' });
        else if (!dominates(checked.marking, r)) bad.push({ path: `transcriptIds.${i}`, message: 'marked above the finding; raise the finding’s marking' });
      });
      if (bad.length) throw new ValidationError('Some transcripts cannot be cited.', bad);
      const fid = crypto.randomUUID();
      const [row] = await tx
        .insert(findings)
        .values({
          id: fid,
          ownerOrgId: subject.orgId,
          classification: checked.marking.classification,
          compartments: [...checked.marking.compartments],
          modelId: model.id,
          windowId: window.id,
          modelOwnerOrgId: model.ownerOrgId,
          kind: input.kind,
          title: input.title,
          summaryEnc: keyring.encrypt(input.summary, summaryAad(fid)),
          cvssVersion: checked.cvss?.version ?? null,
          cvssVector: checked.cvss?.vector ?? null,
          cvssScore: checked.cvss?.score ?? null,
          rating: checked.rating,
          cwe: checked.cwe,
          products: checked.products,
          transcriptIds: ids,
          status: 'draft',
          dueDaysBeforeRelease: dueDaysFor(checked.rating, opts.dueDays),
          createdBy: subject.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await addHistory(tx, row, subject, { action: 'create', to: 'draft', detail: { kind: input.kind, rating: checked.rating }, internal: true });
      if (!input.submit) {
        await audit.record(tx, { actor, action: 'finding.create', recordType: FINDING_RECORD, recordId: fid, detail: { modelId: model.id, kind: input.kind, rating: checked.rating }, marking: checked.marking });
      } else await fileIn(tx, actor, subject, row);
      return fid;
    });
    return view(db, subject, id);
  }

  // ---- reads ------------------------------------------------------------------------------------

  async function list(_actor: Actor, subject: Subject, q: { modelId?: string; status?: FindingState; limit: number }) {
    if (!can(subject, 'findings:file') && !can(subject, 'findings:respond')) throw new ForbiddenError('Findings are for reviewers and developers.');
    const now = clock();
    const where = and(visibleFindings(subject, ruleFor(subject), now), q.modelId ? eq(findings.modelId, q.modelId) : undefined, q.status ? eq(findings.status, q.status) : undefined)!;
    return (await listFindings(db, where, q.limit)).map(summaryOf);
  }

  async function get(actor: Actor, subject: Subject, id: string) {
    return db.transaction(async (tx) => {
      const f = await readable(tx, subject, id);
      await audit.recordRead(tx, actor, { recordType: FINDING_RECORD, recordId: f.id, classification: f.classification, compartments: f.compartments }, undefined, f.ownerOrgId);
      return view(tx, subject, id);
    });
  }

  // ---- changes -----------------------------------------------------------------------------------

  async function act(actor: Actor, subject: Subject, id: string, input: { event: FindingEvent; note?: string }) {
    await db.transaction(async (tx) => {
      const f = await readable(tx, subject, id, true);
      const party = EVENT_PARTY[input.event];
      const role = roleOf(subject, f);
      if (party !== role) throw new ForbiddenError(party === 'developer' ? 'Only the model’s developer answers a finding.' : 'Only the filing organisation’s reviewers do this.');
      if (NOTE_REQUIRED.has(input.event) && !input.note) throw new ValidationError(`A note is required to ${input.event.replace('_', ' ')}.`, [{ path: 'note', message: 'required' }]);
      if (input.event === 'file') return fileIn(tx, actor, subject, f, input.note);
      const next = transition(f.status, input.event);
      const now = clock();
      const set: Partial<typeof findings.$inferInsert> = { status: next, updatedAt: now };
      if (input.event === 'share') {
        // The developer is uncleared for anything above CUI, and is never given compartmented work.
        if (f.classification > CUI || f.compartments.length) throw new ConflictError(`A finding shared with the developer is at most CUI; this one is marked ${formatMarking(markingOf(f))}.`);
        await addGrant(tx, { recordType: FINDING_RECORD, recordId: f.id, granteeOrgId: f.modelOwnerOrgId, grantedBy: subject.userId, reason: 'finding shared with the developer', sourceType: SHARE_SOURCE, sourceId: f.id });
        set.sharedAt = now;
        await notify.notify(tx, { orgIds: [f.modelOwnerOrgId], roles: ['developer'], title: 'A finding was shared with you', body: 'A reviewer shared a finding about one of your models. Read it and respond in Forewarn.', link: `/findings/${f.id}` });
      }
      if (input.event === 'accept' || input.event === 'dispute' || input.event === 'mitigate') {
        set.developerResponse = input.event;
        set.respondedAt = now;
        await notify.notify(tx, { orgIds: [f.ownerOrgId], roles: ['analyst', 'partner_reviewer'], title: 'The developer answered a finding', body: `The developer's answer: ${input.event}.`, link: `/findings/${f.id}` });
      }
      if (input.event === 'verify' || input.event === 'reject_mitigation') {
        set.verification = input.event === 'verify' ? 'verified' : 'not_verified';
        set.verifiedAt = now;
        await notify.notify(tx, { orgIds: [f.modelOwnerOrgId], roles: ['developer'], title: input.event === 'verify' ? 'Mitigation verified' : 'Mitigation not verified', body: 'A reviewer checked your mitigation of a finding.', link: `/findings/${f.id}` });
      }
      await tx.update(findings).set(set).where(eq(findings.id, f.id));
      await addHistory(tx, f, subject, { action: input.event, from: f.status, to: next, note: input.note });
      await audit.record(tx, {
        actor,
        action: `finding.${input.event}`,
        recordType: FINDING_RECORD,
        recordId: f.id,
        detail: { modelId: f.modelId, from: f.status, to: next },
        marking: markingOf(f),
        ownerOrgId: f.ownerOrgId,
      });
    });
    return view(db, subject, id);
  }

  /** A reviewer shares its finding with another organisation on the same window (co-reviewers). */
  async function shareWith(actor: Actor, subject: Subject, id: string, orgId: string) {
    await db.transaction(async (tx) => {
      const f = await readable(tx, subject, id, true);
      if (roleOf(subject, f) !== 'reviewer') throw new ForbiddenError('Only the filing organisation’s reviewers share a finding.');
      if (orgId === f.modelOwnerOrgId) throw new ValidationError('Share with the developer through the "share" action.', [{ path: 'orgId', message: 'the developer' }]);
      const now = clock();
      const on = (await windowGrantees(tx, f.windowId)).some((g) => g.granteeOrgId === orgId && !g.revokedAt && (!g.expiresAt || g.expiresAt > now));
      if (!on || orgId === f.ownerOrgId) throw new ValidationError('Findings are shared with other organisations on the same review window.', [{ path: 'orgId', message: 'not on this review window' }]);
      const existing = (await sharesOf(tx, f.id)).some((s) => s.grant.granteeOrgId === orgId && !s.grant.revokedAt);
      if (existing) throw new ConflictError('The finding is already shared with that organisation.');
      await addGrant(tx, { recordType: FINDING_RECORD, recordId: f.id, granteeOrgId: orgId, grantedBy: subject.userId, reason: 'co-reviewer on the window', sourceType: SHARE_SOURCE, sourceId: f.id });
      await addHistory(tx, f, subject, { action: 'share_with_reviewer', detail: { orgId }, internal: true });
      await audit.record(tx, { actor, action: 'finding.share_with_reviewer', recordType: FINDING_RECORD, recordId: f.id, detail: { modelId: f.modelId, orgId }, marking: markingOf(f), ownerOrgId: f.ownerOrgId });
    });
    return view(db, subject, id);
  }

  async function addEvidence(actor: Actor, subject: Subject, id: string, input: { filename: string; mediaType: string; contentBase64: string }) {
    const s = input.contentBase64.replace(/\s+/g, '');
    if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new ValidationError('The content is not base64.', [{ path: 'contentBase64', message: 'not base64' }]);
    const bytes = Buffer.from(s, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_EVIDENCE_BYTES) throw new ValidationError(`Evidence files are 1 byte to ${MAX_EVIDENCE_BYTES} bytes.`, [{ path: 'contentBase64', message: `at most ${MAX_EVIDENCE_BYTES} bytes` }]);
    await db.transaction(async (tx) => {
      const f = await readable(tx, subject, id, true);
      if (roleOf(subject, f) !== 'reviewer') throw new ForbiddenError('Only the filing organisation’s reviewers add evidence.');
      if (f.status === 'closed' || f.status === 'withdrawn') throw new ConflictError(`The finding is ${f.status}.`);
      const count = (await evidenceOf(tx, f.id)).length;
      if (count >= MAX_EVIDENCE_FILES) throw new ConflictError(`A finding holds at most ${MAX_EVIDENCE_FILES} evidence files.`);
      const eid = crypto.randomUUID();
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await tx.insert(findingEvidence).values({ id: eid, findingId: f.id, filename: input.filename, mediaType: input.mediaType, sizeBytes: bytes.length, sha256, contentEnc: keyring.encrypt(s, evidenceAad(eid)), createdBy: subject.userId, createdAt: clock() });
      await addHistory(tx, f, subject, { action: 'evidence_added', detail: { evidenceId: eid, filename: input.filename, sizeBytes: bytes.length, sha256 } });
      await audit.record(tx, { actor, action: 'finding.evidence_add', recordType: FINDING_RECORD, recordId: f.id, detail: { evidenceId: eid, sizeBytes: bytes.length, sha256 }, marking: markingOf(f), ownerOrgId: f.ownerOrgId });
    });
    return view(db, subject, id);
  }

  async function evidence(actor: Actor, subject: Subject, id: string, evidenceId: string) {
    return db.transaction(async (tx) => {
      const f = await readable(tx, subject, id);
      const [e] = await tx
        .select()
        .from(findingEvidence)
        .where(and(eq(findingEvidence.id, evidenceId), eq(findingEvidence.findingId, f.id)));
      if (!e) throw new NotFoundError('evidence');
      await audit.recordRead(tx, actor, { recordType: 'finding_evidence', recordId: e.id, classification: f.classification, compartments: f.compartments }, { findingId: f.id }, f.ownerOrgId);
      return { id: e.id, filename: e.filename, mediaType: e.mediaType, sizeBytes: e.sizeBytes, sha256: e.sha256, createdAt: e.createdAt.toISOString(), contentBase64: keyring.decrypt(e.contentEnc, evidenceAad(e.id)) };
    });
  }

  /** A failed hand-off is queued again by the filing organisation's reviewers. */
  async function retryHandoff(actor: Actor, subject: Subject, id: string) {
    await db.transaction(async (tx) => {
      const f = await readable(tx, subject, id, true);
      if (roleOf(subject, f) !== 'reviewer') throw new ForbiddenError('Only the filing organisation’s reviewers retry the hand-off.');
      if (f.handoffState !== 'failed') throw new ConflictError(f.handoffState ? `The hand-off is ${f.handoffState}.` : 'This finding is not handed to the clearinghouse.');
      const now = clock();
      await tx.update(findings).set({ handoffState: 'queued', handoffReason: null, handoffAttempts: 0, handoffAt: now, updatedAt: now }).where(eq(findings.id, f.id));
      await queue.send(tx, HANDOFF_JOB, { findingId: f.id }, { singletonKey: `${f.id}:retry:${now.getTime()}` });
      await addHistory(tx, f, subject, { action: 'handoff_queued', detail: { to: 'clearinghouse', retry: true } });
      await audit.record(tx, { actor, action: 'finding.handoff_retry', recordType: FINDING_RECORD, recordId: f.id, detail: { modelId: f.modelId }, marking: markingOf(f), ownerOrgId: f.ownerOrgId });
    });
    return view(db, subject, id);
  }

  // ---- the clearinghouse hand-off ------------------------------------------------------------------

  function handoffPayload(f: FindingRow): ClearinghouseHandoff {
    return {
      findingId: f.id,
      modelId: f.modelId,
      windowId: f.windowId,
      filerOrgId: f.ownerOrgId,
      title: f.title,
      summary: keyring.decrypt(f.summaryEnc, summaryAad(f.id)),
      cvssVector: f.cvssVector,
      cvssScore: f.cvssScore,
      rating: f.rating,
      cwe: f.cwe,
      products: f.products.map((p) => ({ kind: p.kind, value: p.value })),
      marking: markingOf(f),
      filedAt: (f.filedAt ?? f.createdAt).toISOString(),
    };
  }

  async function recordHandoff(tx: DbOrTx, f: FindingRow, set: Partial<typeof findings.$inferInsert>, action: string, detail: Record<string, unknown>) {
    await tx.update(findings).set({ ...set, updatedAt: clock() }).where(eq(findings.id, f.id));
    await addHistory(tx, f, null, { action, detail });
    await audit.record(tx, { actor: SYSTEM_ACTOR, action: `finding.${action}`, recordType: FINDING_RECORD, recordId: f.id, detail: { modelId: f.modelId, ...detail }, marking: markingOf(f), ownerOrgId: f.ownerOrgId });
  }

  /** One attempt to hand a queued finding to the clearinghouse. Never throws for a delivery failure. */
  async function handoff(findingId: string): Promise<'delivered' | 'pending' | 'failed' | 'skipped'> {
    const f = await findingById(db, findingId);
    if (!f || f.handoffState !== 'queued') return 'skipped';
    const attempt = f.handoffAttempts + 1;
    const deliver = opts.deliverToClearinghouse;
    if (!deliver) {
      await db.transaction(async (tx) => {
        const cur = await findingById(tx, findingId, true);
        if (!cur || cur.handoffState !== 'queued') return;
        await tx.update(findings).set({ handoffReason: INTAKE_UNAVAILABLE, handoffAttempts: attempt, updatedAt: clock() }).where(eq(findings.id, f.id));
        await queue.send(tx, HANDOFF_JOB, { findingId }, { startAfter: new Date(clock().getTime() + RECHECK_MS), singletonKey: `${findingId}:${attempt}` });
      });
      return 'pending';
    }
    let reportId: string | null = null;
    let failure: string | null = null;
    try {
      reportId = (await deliver(handoffPayload(f))).reportId;
    } catch (e) {
      // The message may come from another module; keep it short and free of the finding's content.
      failure = e instanceof Error ? e.message.slice(0, 200) : 'delivery failed';
    }
    return db.transaction(async (tx) => {
      const cur = await findingById(tx, findingId, true);
      if (!cur || cur.handoffState !== 'queued') return 'skipped' as const;
      if (reportId) {
        await recordHandoff(tx, cur, { handoffState: 'delivered', handoffReason: null, handoffAttempts: attempt, handoffAt: clock(), clearinghouseReportId: reportId }, 'handoff_delivered', { reportId });
        return 'delivered' as const;
      }
      if (attempt >= MAX_HANDOFF_ATTEMPTS) {
        await recordHandoff(tx, cur, { handoffState: 'failed', handoffReason: failure, handoffAttempts: attempt }, 'handoff_failed', { attempts: attempt });
        await notify.notify(tx, { orgIds: [cur.ownerOrgId], roles: ['analyst', 'partner_reviewer'], title: 'Clearinghouse hand-off failed', body: 'A finding could not be handed to the clearinghouse. Retry it from the finding’s page.', link: `/findings/${cur.id}` });
        return 'failed' as const;
      }
      await tx.update(findings).set({ handoffReason: failure, handoffAttempts: attempt, updatedAt: clock() }).where(eq(findings.id, cur.id));
      await queue.send(tx, HANDOFF_JOB, { findingId }, { startAfter: new Date(clock().getTime() + 60_000 * 2 ** (attempt - 1)), singletonKey: `${findingId}:${attempt}` });
      return 'pending' as const;
    });
  }

  /**
   * For the clearinghouse: records the report a finding became, when the report is created on that
   * side first (inside the clearinghouse's transaction).
   */
  async function linkClearinghouseReport(tx: DbOrTx, findingId: string, reportId: string) {
    const f = await findingById(tx, findingId, true);
    if (!f) throw new NotFoundError('finding');
    if (f.clearinghouseReportId === reportId) return;
    await recordHandoff(tx, f, { handoffState: 'delivered', handoffReason: null, handoffAt: clock(), clearinghouseReportId: reportId }, 'handoff_delivered', { reportId, by: 'clearinghouse' });
  }

  /** Hand-offs still queued (for the operator's view and tests). */
  async function queuedHandoffs() {
    return db.select({ id: findings.id, attempts: findings.handoffAttempts, reason: findings.handoffReason }).from(findings).where(sql`${findings.handoffState} = 'queued'`);
  }

  const jobs: JobDefinition<any>[] = [{ name: HANDOFF_JOB, retryLimit: 3, handler: async (d: { findingId: string }) => void (await handoff(d.findingId)) }];

  return {
    jobs: [...jobs, ...assessments.jobs],
    startup: async () => {
      await assessments.startup();
    },
    assessments,
    create,
    list,
    get,
    act,
    shareWith,
    addEvidence,
    evidence,
    retryHandoff,
    handoff,
    linkClearinghouseReport,
    queuedHandoffs,
  };
}

export type FindingsService = ReturnType<typeof createFindingsService>;
