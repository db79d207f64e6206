// Clearinghouse intake and validation: reports in every accepted format become candidates, merged
// into vulnerabilities by fingerprint or similarity key, then moved through the validation workflow.
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx as Tx } from '../../db/client.ts';
import {
  clearinghouseEvidence,
  clearinghouseIdempotency,
  clearinghouseReportLinks,
  clearinghouseReports,
  clearinghouseStatusHistory,
  clearinghouseVulnerabilities,
  organisations,
  users,
} from '../../db/schema.ts';
import { CvssVectorError, scoreCvss } from '../../lib/cvss/cvss.ts';
import { findings } from '../findings/findings.schema.ts';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { Actor } from '../access/actor.ts';
import { COMPARTMENT_PATTERN, CUI, dominates, type Marking } from '../access/marking.ts';
import { abilities, can, type Subject } from '../access/policy.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { affectedOnly, type CandidateReport, type IntakeSource } from './intake/candidate.ts';
import { parseIntake } from './intake/intake.ts';
import { normalizeAffected } from './intake/native.ts';
import { dedupKeys, planLinks, type CandidateLink, type DedupKey } from './intake/dedup-plan.ts';
import { claimKeysAndLink, insertReportReadingOwners, keyOwners, releaseKeys, type NewVulnerability } from './clearinghouse.dal.ts';
import {
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_PER_VULNERABILITY,
  type AssessmentInput,
  type ReportViewT,
  type SubmitReportInput,
  type SubmitReportResult,
  type VulnerabilityViewT,
} from './clearinghouse.types.ts';
import { checkMove, isOverdue, SLA_DAYS, slaDueAt, type VulnerabilityState } from './vulnerability.machine.ts';

const DAY = 86_400_000;
const CUI_MARKING: Marking = { classification: CUI, compartments: [] };
/** Organisations whose users may be assigned as validators (Treasury, NSA, CISA, trusted partners). */
const VALIDATOR_ORG_KINDS = new Set(['agency', 'trusted_partner']);

/** The same Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(422, 'idempotency-key-reused', 'Idempotency-Key already used for another request', 'This Idempotency-Key was used with a different request body; use a new key for a new report.');
  }
}

type VulnRow = typeof clearinghouseVulnerabilities.$inferSelect;
type StoredCvss = { version: string; vector: string; baseScore: number; severity: string; score: number };

// The stored answer can quote the document (intake warnings name identifiers), so it is encrypted too.
const idempotencyAad = (userId: string, key: string) => `clearinghouse_idempotency.response:${userId}:${sha256(key)}`;

const MAX_ATTEMPTS = 3;
const deadlocked = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } } | null;
  return err?.code === '40P01' || err?.cause?.code === '40P01';
};

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function scoreAll(vectors: readonly string[], path: string): StoredCvss[] {
  return vectors.map((v, i) => {
    try {
      const r = scoreCvss(v);
      return { version: r.version, vector: r.vector, baseScore: r.baseScore, severity: r.severity, score: r.score };
    } catch (e) {
      if (e instanceof CvssVectorError) throw new ValidationError('A CVSS vector is not valid.', [{ path: `${path}/${i}`, message: e.message }]);
      throw e;
    }
  });
}

/** Candidate vectors that cannot be scored (CVSS 3.0, malformed) are kept out and reported as warnings. */
function scoreCandidate(c: CandidateReport, index: number, warnings: string[]): StoredCvss[] {
  const out: StoredCvss[] = [];
  for (const v of c.cvss ?? []) {
    try {
      const r = scoreCvss(v.vector);
      out.push({ version: r.version, vector: r.vector, baseScore: r.baseScore, severity: r.severity, score: r.score });
    } catch {
      warnings.push(`Candidate ${index}: CVSS ${v.version} vector not scored; an analyst can set it in the assessment.`);
    }
  }
  return out;
}

export function createClearinghouseService({ db, audit, keyring, clock }: ModuleDeps) {
  const clearedFor = (subject: Subject, m: Marking) => dominates({ classification: subject.clearance, compartments: subject.compartments }, m);
  const isAnalyst = (subject: Subject, m: Marking) => can(subject, 'clearinghouse:validate') && clearedFor(subject, m);

  async function priorAnswer(userId: string, key: string, requestHash: string): Promise<SubmitReportResult | null> {
    const [row] = await db
      .select()
      .from(clearinghouseIdempotency)
      .where(and(eq(clearinghouseIdempotency.submitterUserId, userId), eq(clearinghouseIdempotency.key, key)));
    if (!row) return null;
    if (row.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
    return JSON.parse(keyring.decrypt((row.response as { enc: string }).enc, idempotencyAad(userId, key))) as SubmitReportResult;
  }

  /** The new vulnerabilities of a plan; their scoring warnings are added to `warnings`. */
  function newVulnerabilities(candidates: readonly CandidateReport[], keysPer: readonly DedupKey[][], links: readonly CandidateLink[], now: Date, warnings: string[]): NewVulnerability[] {
    const out: NewVulnerability[] = [];
    links.forEach((l, index) => {
      if (!l.created) return;
      const c = candidates[index];
      const affected = affectedOnly(c).map((a) => ({ ...(a.purl ? { purl: a.purl } : {}), ...(a.cpe ? { cpe: a.cpe } : {}), ...(a.ecosystem ? { ecosystem: a.ecosystem } : {}), ...(a.name ? { name: a.name } : {}), ...(a.ranges ? { ranges: a.ranges } : {}), ...(a.versions ? { versions: a.versions } : {}), ...(a.vers ? { vers: a.vers } : {}) }));
      out.push({
        id: l.vulnerabilityId,
        classification: CUI,
        titleEnc: keyring.encrypt(c.title, `clearinghouse_vulnerabilities.title_enc:${l.vulnerabilityId}`),
        similarityKey: keysPer[index].find((k) => k.kind === 'similarity')?.key ?? null,
        status: 'received',
        statusSince: now,
        slaDueAt: slaDueAt('received', now),
        cvss: scoreCandidate(c, index, warnings),
        cwe: c.cwe ?? [],
        affected,
        createdAt: now,
      });
    });
    return out;
  }

  /** Intake: parse (nothing is written when the document is refused), then store, link and credit in one transaction. */
  async function submitReport(actor: Actor, subject: Subject, input: SubmitReportInput, idempotencyKey?: string): Promise<SubmitReportResult> {
    if (!can(subject, 'clearinghouse:report')) throw new ForbiddenError('Submitting reports to the clearinghouse needs a role that may report.');
    const raw = typeof input.document === 'string' ? input.document : JSON.stringify(input.document);
    const requestHash = sha256(`${input.format ?? ''}\n${input.affected ? JSON.stringify(input.affected) : ''}\n${raw}`);
    if (idempotencyKey) {
      const prior = await priorAnswer(subject.userId, idempotencyKey, requestHash);
      if (prior) return prior;
    }
    const affected = input.affected ? normalizeAffected(input.affected) : undefined;
    const parsed = parseIntake(raw, { ...(input.format ? { format: input.format } : {}), ...(affected ? { affected } : {}) });
    if (affected && parsed.source !== 'sarif') {
      throw new ValidationError('Products can be named alongside a SARIF file only; other formats name them in the document.', [{ path: '/affected', message: `not accepted with a ${parsed.source} document` }]);
    }
    const now = clock();
    const reportId = randomUUID();
    const warnings = [...parsed.warnings].slice(0, 100);
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction(async (tx) => {
          // Candidates are linked against one read of the stored keys; when a concurrent submission of
          // the same bug claims one of the new keys first, this report gives its claims back and plans
          // again knowing that key's owner, so both end up on one vulnerability. Each round learns at
          // least one owner, so the rounds are bounded by the number of keys.
          const keysPer = parsed.candidates.map(dedupKeys);
          const known = await insertReportReadingOwners(
            tx,
            {
              id: reportId,
              ownerOrgId: subject.orgId,
              classification: CUI,
              submitterUserId: subject.userId,
              format: parsed.source,
              receivedAt: now,
              documentEnc: keyring.encrypt(raw, `clearinghouse_reports.document_enc:${reportId}`),
              candidatesEnc: keyring.encrypt(JSON.stringify(parsed.candidates), `clearinghouse_reports.candidates_enc:${reportId}`),
              candidateCount: parsed.candidates.length,
            },
            [...new Set(keysPer.flatMap((ks) => ks.map((k) => k.key)))],
          );
          for (;;) {
            const plan = planLinks(keysPer, known, randomUUID);
            const roundWarnings = [...warnings];
            const vulnerabilities = newVulnerabilities(parsed.candidates, keysPer, plan.links, now, roundWarnings);
            const candidates: SubmitReportResult['candidates'] = plan.links.map((l, index) => ({ index, vulnerabilityId: l.vulnerabilityId, merged: l.merged }));
            const result: SubmitReportResult = { reportId, format: parsed.source, candidates, warnings: roundWarnings.slice(0, 100).map((w) => w.slice(0, 1000)) };
            const outcome = await claimKeysAndLink(tx, {
              newKeys: plan.newKeys,
              fallbackOwnerOrgId: subject.orgId,
              vulnerabilities,
              links: plan.links.map((l, index) => ({ vulnerabilityId: l.vulnerabilityId, merged: l.merged, toolName: parsed.candidates[index].tool?.name ?? null })),
              report: { id: reportId, reporterUserId: subject.userId, reporterOrgId: subject.orgId, linkedAt: now },
              ...(idempotencyKey
                ? { idempotency: { submitterUserId: subject.userId, key: idempotencyKey, requestHash, responseEnc: keyring.encrypt(JSON.stringify(result), idempotencyAad(subject.userId, idempotencyKey)), createdAt: now } }
                : {}),
            });
            if (!outcome.written) {
              if (outcome.held.length) await releaseKeys(tx, outcome.held);
              const owners = await keyOwners(tx, outcome.lost);
              if (owners.size === 0) throw new Error('A deduplication key was claimed and then vanished; the submission can be retried.');
              for (const [k, v] of owners) known.set(k, v);
              continue;
            }
            await audit.record(tx, {
              actor,
              action: 'clearinghouse_report.submit',
              recordType: 'clearinghouse_report',
              recordId: reportId,
              marking: CUI_MARKING,
              ownerOrgId: subject.orgId,
              detail: { format: parsed.source, candidates: candidates.length, merged: candidates.filter((c) => c.merged).length },
            });
            return result;
          }
        });
      } catch (e) {
        // A concurrent retry with the same key committed first: answer as it did.
        if (idempotencyKey) {
          const prior = await priorAnswer(subject.userId, idempotencyKey, requestHash);
          if (prior) return prior;
        }
        // Two submissions of overlapping findings can still wait on each other's keys after a
        // conflict; PostgreSQL then aborts one, which starts again from a fresh read.
        if (attempt < MAX_ATTEMPTS && deadlocked(e)) continue;
        throw e;
      }
    }
  }

  async function getReport(actor: Actor, subject: Subject, id: string): Promise<ReportViewT> {
    if (!can(subject, 'clearinghouse:report') && !can(subject, 'clearinghouse:validate')) throw new NotFoundError('report');
    const [r] = await db.select().from(clearinghouseReports).where(eq(clearinghouseReports.id, id));
    if (!r) throw new NotFoundError('report');
    const mine = r.submitterUserId === subject.userId;
    if (!mine && !isAnalyst(subject, r)) throw new NotFoundError('report', true);
    const candidates = JSON.parse(keyring.decrypt(r.candidatesEnc, `clearinghouse_reports.candidates_enc:${r.id}`)) as CandidateReport[];
    const links = await db
      .select({ index: clearinghouseReportLinks.candidateIndex, vulnerabilityId: clearinghouseReportLinks.vulnerabilityId, merged: clearinghouseReportLinks.merged, status: clearinghouseVulnerabilities.status })
      .from(clearinghouseReportLinks)
      .innerJoin(clearinghouseVulnerabilities, eq(clearinghouseVulnerabilities.id, clearinghouseReportLinks.vulnerabilityId))
      .where(eq(clearinghouseReportLinks.reportId, r.id))
      .orderBy(asc(clearinghouseReportLinks.candidateIndex));
    // The review finding this report came from, if any (the findings module keeps the report's id).
    const [origin] = await db.select({ id: findings.id }).from(findings).where(eq(findings.clearinghouseReportId, r.id)).limit(1);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'clearinghouse_report', recordId: r.id, classification: r.classification, compartments: r.compartments }, undefined, r.ownerOrgId));
    return {
      id: r.id,
      format: r.format as IntakeSource,
      receivedAt: r.receivedAt.toISOString(),
      submitterUserId: r.submitterUserId,
      mine,
      findingId: origin?.id ?? null,
      candidates: links.map((l) => ({ index: l.index, title: candidates[l.index]?.title ?? '', vulnerabilityId: l.vulnerabilityId, merged: l.merged, status: l.status as VulnerabilityState })),
    };
  }

  async function queue(actor: Actor, subject: Subject, q: { status?: VulnerabilityState; overdue?: 'true' | 'false'; limit: number }) {
    if (!can(subject, 'clearinghouse:validate')) throw new ForbiddenError('The validation queue is for clearinghouse analysts.');
    void actor;
    const now = clock();
    const conds = [sql`${clearinghouseVulnerabilities.classification} <= ${subject.clearance}`, sql`${clearinghouseVulnerabilities.compartments} <@ ${sql.raw(`ARRAY[${subject.compartments.filter((c) => COMPARTMENT_PATTERN.test(c)).map((c) => `'${c}'`).join(',')}]::text[]`)}`];
    if (q.status) conds.push(eq(clearinghouseVulnerabilities.status, q.status));
    if (q.overdue === 'true') conds.push(sql`${clearinghouseVulnerabilities.slaDueAt} < ${now}`);
    if (q.overdue === 'false') conds.push(sql`(${clearinghouseVulnerabilities.slaDueAt} is null or ${clearinghouseVulnerabilities.slaDueAt} >= ${now})`);
    const rows = await db
      .select({ v: clearinghouseVulnerabilities, reports: sql<number>`(select count(*)::int from ${clearinghouseReportLinks} l where l.vulnerability_id = ${clearinghouseVulnerabilities.id})` })
      .from(clearinghouseVulnerabilities)
      .where(and(...conds))
      .orderBy(asc(clearinghouseVulnerabilities.slaDueAt), asc(clearinghouseVulnerabilities.createdAt))
      .limit(q.limit);
    return rows.map(({ v, reports }) => {
      const state = v.status as VulnerabilityState;
      const due = slaDueAt(state, v.statusSince);
      return {
        id: v.id,
        title: keyring.decrypt(v.titleEnc, `clearinghouse_vulnerabilities.title_enc:${v.id}`),
        status: state,
        createdAt: v.createdAt.toISOString(),
        ageDays: Math.floor(((now.getTime() - v.createdAt.getTime()) / DAY) * 10) / 10,
        statusSince: v.statusSince.toISOString(),
        slaDays: SLA_DAYS[state],
        slaDueAt: due?.toISOString() ?? null,
        overdue: isOverdue(state, v.statusSince, now),
        assignedValidatorUserId: v.assignedValidatorUserId,
        reports: Number(reports),
      };
    });
  }

  async function loadVulnerability(id: string): Promise<VulnRow> {
    const [v] = await db.select().from(clearinghouseVulnerabilities).where(eq(clearinghouseVulnerabilities.id, id));
    if (!v) throw new NotFoundError('vulnerability');
    return v;
  }

  /** Analysts up to their clearance, and the validator assigned to it. */
  const worksOn = (subject: Subject, v: VulnRow) => isAnalyst(subject, v) || (v.assignedValidatorUserId === subject.userId && clearedFor(subject, v));

  async function analystView(v: VulnRow): Promise<VulnerabilityViewT> {
    const now = clock();
    const state = v.status as VulnerabilityState;
    const [credits, evidence, history] = await Promise.all([
      db.select().from(clearinghouseReportLinks).where(eq(clearinghouseReportLinks.vulnerabilityId, v.id)).orderBy(asc(clearinghouseReportLinks.linkedAt)),
      db
        .select({ id: clearinghouseEvidence.id, kind: clearinghouseEvidence.kind, name: clearinghouseEvidence.name, mediaType: clearinghouseEvidence.mediaType, sizeBytes: clearinghouseEvidence.sizeBytes, addedAt: clearinghouseEvidence.addedAt })
        .from(clearinghouseEvidence)
        .where(eq(clearinghouseEvidence.vulnerabilityId, v.id))
        .orderBy(asc(clearinghouseEvidence.addedAt)),
      db.select().from(clearinghouseStatusHistory).where(eq(clearinghouseStatusHistory.vulnerabilityId, v.id)).orderBy(asc(clearinghouseStatusHistory.at), asc(clearinghouseStatusHistory.id)),
    ]);
    return {
      id: v.id,
      view: 'analyst',
      status: state,
      statusSince: v.statusSince.toISOString(),
      title: keyring.decrypt(v.titleEnc, `clearinghouse_vulnerabilities.title_enc:${v.id}`),
      createdAt: v.createdAt.toISOString(),
      slaDueAt: slaDueAt(state, v.statusSince)?.toISOString() ?? null,
      overdue: isOverdue(state, v.statusSince, now),
      cvss: v.cvss as StoredCvss[],
      cwe: v.cwe,
      affected: v.affected as unknown[],
      assignedValidatorUserId: v.assignedValidatorUserId,
      credits: credits.map((c) => ({ reportId: c.reportId, reporterUserId: c.reporterUserId, reporterOrgId: c.reporterOrgId, merged: c.merged, linkedAt: c.linkedAt.toISOString() })),
      evidence: evidence.map((e) => ({ ...e, addedAt: e.addedAt.toISOString() })),
      history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, reason: h.reason, at: h.at.toISOString() })),
    };
  }

  async function getVulnerability(actor: Actor, subject: Subject, id: string): Promise<VulnerabilityViewT> {
    if (!can(subject, 'clearinghouse:report') && !can(subject, 'clearinghouse:validate')) throw new NotFoundError('vulnerability');
    const v = await loadVulnerability(id);
    if (worksOn(subject, v)) {
      await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'clearinghouse_vulnerability', recordId: v.id, classification: v.classification, compartments: v.compartments }, undefined, v.ownerOrgId));
      return analystView(v);
    }
    // A reporter learns only where its own reports stand, never the others' or the analysts' work.
    const own = await db
      .select()
      .from(clearinghouseReportLinks)
      .where(and(eq(clearinghouseReportLinks.vulnerabilityId, v.id), eq(clearinghouseReportLinks.reporterUserId, subject.userId)));
    if (own.length === 0) throw new NotFoundError('vulnerability', true);
    return {
      id: v.id,
      view: 'reporter',
      status: v.status as VulnerabilityState,
      statusSince: v.statusSince.toISOString(),
      credits: own.map((c) => ({ reportId: c.reportId, reporterUserId: c.reporterUserId, reporterOrgId: c.reporterOrgId, merged: c.merged, linkedAt: c.linkedAt.toISOString() })),
    };
  }

  /**
   * Moves a vulnerability through its workflow. `alongside` runs in the same transaction, after the
   * move, so that a case opened or an advisory published with the move commits with it or not at all.
   */
  async function transition(
    actor: Actor,
    subject: Subject,
    id: string,
    body: { to: VulnerabilityState; reason?: string },
    alongside?: (tx: Tx, vulnerability: VulnRow) => Promise<void>,
  ): Promise<VulnerabilityViewT> {
    if (!can(subject, 'clearinghouse:validate') && !can(subject, 'clearinghouse:coordinate') && !can(subject, 'advisories:publish')) throw new NotFoundError('vulnerability');
    const v = await loadVulnerability(id);
    if (!worksOn(subject, v)) throw new NotFoundError('vulnerability', true);
    const from = v.status as VulnerabilityState;
    const check = checkMove(from, body.to, abilities(subject), body.reason);
    if (!check.ok) {
      if (check.reason === 'invalid') throw new InvalidTransitionError('vulnerability', from, `move to ${body.to}`);
      if (check.reason === 'forbidden') throw new ForbiddenError(`Your role cannot move a vulnerability from ${from} to ${body.to}.`);
      throw new ValidationError('A reason is required for this move.', [{ path: '/reason', message: `moving to ${body.to} needs a reason` }]);
    }
    const now = clock();
    await db.transaction(async (tx) => {
      const moved = await tx
        .update(clearinghouseVulnerabilities)
        .set({ status: body.to, statusSince: now, slaDueAt: slaDueAt(body.to, now), updatedAt: now })
        .where(and(eq(clearinghouseVulnerabilities.id, v.id), eq(clearinghouseVulnerabilities.status, from)))
        .returning({ id: clearinghouseVulnerabilities.id });
      if (moved.length === 0) throw new InvalidTransitionError('vulnerability', 'a state changed meanwhile', `move to ${body.to}`);
      await tx.insert(clearinghouseStatusHistory).values({ vulnerabilityId: v.id, fromStatus: from, toStatus: body.to, reason: body.reason?.trim() || null, actorUserId: subject.userId, at: now });
      // The neighbour's work (rendering and signing an advisory, notifying vendors) runs before the
      // audit row, which takes the chain head's lock: every audited write waits while it is held.
      await alongside?.(tx, { ...v, status: body.to, statusSince: now });
      await audit.record(tx, { actor, action: 'clearinghouse_vulnerability.transition', recordType: 'clearinghouse_vulnerability', recordId: v.id, marking: v, ownerOrgId: v.ownerOrgId, detail: { from, to: body.to } });
    });
    return analystView(await loadVulnerability(id));
  }

  async function assign(actor: Actor, subject: Subject, id: string, userId: string): Promise<VulnerabilityViewT> {
    if (!can(subject, 'clearinghouse:validate')) throw new ForbiddenError('Assigning validators is for clearinghouse analysts.');
    const v = await loadVulnerability(id);
    if (!isAnalyst(subject, v)) throw new NotFoundError('vulnerability', true);
    const [u] = await db
      .select({ id: users.id, disabled: users.disabled, clearance: users.clearance, compartments: users.compartments, orgKind: organisations.kind })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.orgId))
      .where(eq(users.id, userId));
    if (!u || u.disabled || !VALIDATOR_ORG_KINDS.has(u.orgKind)) {
      throw new ValidationError('That user cannot validate.', [{ path: '/userId', message: 'a validator is an active user of an agency or a trusted partner' }]);
    }
    if (!dominates({ classification: u.clearance, compartments: u.compartments }, v)) {
      throw new ValidationError('That user is not cleared for this vulnerability.', [{ path: '/userId', message: 'the validator must be cleared for the vulnerability’s marking' }]);
    }
    const now = clock();
    await db.transaction(async (tx) => {
      await tx.update(clearinghouseVulnerabilities).set({ assignedValidatorUserId: u.id, assignedAt: now, updatedAt: now }).where(eq(clearinghouseVulnerabilities.id, v.id));
      await audit.record(tx, { actor, action: 'clearinghouse_vulnerability.assign', recordType: 'clearinghouse_vulnerability', recordId: v.id, marking: v, ownerOrgId: v.ownerOrgId, detail: { validatorUserId: u.id } });
    });
    return analystView(await loadVulnerability(id));
  }

  async function addEvidence(actor: Actor, subject: Subject, id: string, body: { kind: string; name?: string; mediaType?: string; text?: string; contentBase64?: string }): Promise<VulnerabilityViewT> {
    if (!can(subject, 'clearinghouse:validate') && !can(subject, 'clearinghouse:report')) throw new NotFoundError('vulnerability');
    const v = await loadVulnerability(id);
    if (!worksOn(subject, v)) throw new NotFoundError('vulnerability', true);
    const content = body.text ?? body.contentBase64!;
    const size = body.text !== undefined ? Buffer.byteLength(body.text, 'utf8') : Buffer.from(body.contentBase64!, 'base64').length;
    if (body.contentBase64 !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(body.contentBase64)) throw new ValidationError('The file is not base64.', [{ path: '/contentBase64', message: 'not base64' }]);
    if (size > MAX_EVIDENCE_BYTES) throw new ValidationError('The evidence is too large.', [{ path: body.text !== undefined ? '/text' : '/contentBase64', message: `at most ${MAX_EVIDENCE_BYTES} bytes` }]);
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(clearinghouseEvidence).where(eq(clearinghouseEvidence.vulnerabilityId, v.id));
    if (Number(n) >= MAX_EVIDENCE_PER_VULNERABILITY) throw new ValidationError('Too much evidence on this vulnerability.', [{ path: '', message: `at most ${MAX_EVIDENCE_PER_VULNERABILITY} items` }]);
    const evidenceId = randomUUID();
    const now = clock();
    await db.transaction(async (tx) => {
      await tx.insert(clearinghouseEvidence).values({
        id: evidenceId,
        vulnerabilityId: v.id,
        kind: body.text !== undefined ? body.kind : 'file',
        name: body.name ?? null,
        mediaType: body.mediaType ?? (body.text !== undefined ? 'text/plain' : 'application/octet-stream'),
        sizeBytes: size,
        contentEnc: keyring.encrypt(content, `clearinghouse_evidence.content_enc:${evidenceId}`),
        addedBy: subject.userId,
        addedAt: now,
      });
      await audit.record(tx, { actor, action: 'clearinghouse_vulnerability.evidence', recordType: 'clearinghouse_vulnerability', recordId: v.id, marking: v, ownerOrgId: v.ownerOrgId, detail: { evidenceId, kind: body.kind, sizeBytes: size } });
    });
    return analystView(await loadVulnerability(id));
  }

  async function setAssessment(actor: Actor, subject: Subject, id: string, body: AssessmentInput): Promise<VulnerabilityViewT> {
    if (!can(subject, 'clearinghouse:validate')) throw new ForbiddenError('Assessing vulnerabilities is for clearinghouse analysts.');
    const v = await loadVulnerability(id);
    if (!isAnalyst(subject, v)) throw new NotFoundError('vulnerability', true);
    const cvss = scoreAll(body.cvss, '/cvss');
    const now = clock();
    await db.transaction(async (tx) => {
      await tx.update(clearinghouseVulnerabilities).set({ cvss, cwe: [...new Set(body.cwe)], affected: body.affected, updatedAt: now }).where(eq(clearinghouseVulnerabilities.id, v.id));
      await audit.record(tx, {
        actor,
        action: 'clearinghouse_vulnerability.assess',
        recordType: 'clearinghouse_vulnerability',
        recordId: v.id,
        marking: v,
        ownerOrgId: v.ownerOrgId,
        detail: { cvss: cvss.map((c) => c.vector), cwe: body.cwe, affected: body.affected.length },
      });
    });
    return analystView(await loadVulnerability(id));
  }

  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
    submitReport,
    getReport,
    queue,
    getVulnerability,
    transition,
    assign,
    addEvidence,
    setAssessment,
  };
}

export type ClearinghouseService = ReturnType<typeof createClearinghouseService>;
export type VulnerabilityRow = VulnRow;
