import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { modelDocuments, models, organisations } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { readableBy } from '../access/access.sql.ts';
import { addGrant, enforce, grantsOf } from '../access/access.service.ts';
import type { Actor } from '../access/actor.ts';
import { CUI, dominates, highest, levelOf, nameOf, UNCLASSIFIED, type Marking } from '../access/marking.ts';
import { can, canRead, type Decision, type Grant, type ReadRule, type Subject } from '../access/policy.ts';
import {
  DOCUMENT_RECORD,
  documentsOf,
  familyVersions,
  findDocument,
  findModel,
  listAgencies as agenciesQuery,
  listModels,
  liveShares,
  lockDocument,
  lockModel,
  MODEL_RECORD,
  modelMarkedColumns,
  revokeDocumentGrants,
  SHARE_SOURCE,
  versionExists,
  type AgencyRow,
  type DocumentRow,
  type ModelRow,
} from './models.dal.ts';
import { aad, daysUntil, decodeBase64, diffShares, documentMarkingText, MAX_DOCUMENT_BYTES, sha256Hex } from './models.fns.ts';
import { documentState, documentTransition } from './models.machine.ts';
import type { DocumentViewT, ModelDetail, ModelSummary, NewVersionInput, RegisterModelInput, UpdateDocumentInput, UpdateModelInput, UploadDocumentInput } from './models.types.ts';

/** Who may read models and their documents: the owner's organisation, or a grantee, within clearance. */
export const MODEL_READ_RULE: ReadRule = { ability: 'models:read' };

const NOT_FOUND: Decision = { allow: false, reason: 'not-found' };

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

function markingView(m: Marking) {
  return { classification: nameOf(m.classification), compartments: [...m.compartments] };
}

export function createModelsService({ db, audit, keyring, clock }: ModuleDeps) {
  const enc = (row: string, column: string, text: string) => keyring.encrypt(text, aad('models', column, row));
  const dec = (row: ModelRow, column: 'intended_deployment_enc' | 'capability_summary_enc') =>
    keyring.decrypt(column === 'intended_deployment_enc' ? row.intendedDeploymentEnc : row.capabilitySummaryEnc, aad('models', column, row.id));
  const docAad = (id: string) => aad('model_documents', 'content_enc', id);

  function summaryOf(subject: Subject, m: ModelRow, ownerOrgName: string, now: Date): ModelSummary {
    return {
      id: m.id,
      familyId: m.familyId,
      previousVersionId: m.previousVersionId,
      name: m.name,
      version: m.version,
      modality: m.modality,
      plannedReleaseAt: m.plannedReleaseAt.toISOString(),
      daysToRelease: daysUntil(m.plannedReleaseAt, now),
      trainingComputeFlop: m.trainingComputeFlop,
      status: m.status,
      ownerOrgId: m.ownerOrgId,
      ownerOrgName,
      mine: m.ownerOrgId === subject.orgId && can(subject, 'models:register'),
      marking: markingView(m),
      createdAt: m.createdAt.toISOString(),
      updatedAt: m.updatedAt.toISOString(),
    };
  }

  function documentView(d: DocumentRow, sharedWith?: AgencyRow[]): DocumentViewT {
    return {
      id: d.id,
      modelId: d.modelId,
      kind: d.kind,
      title: d.title,
      filename: d.filename,
      mediaType: d.mediaType,
      sizeBytes: d.sizeBytes,
      sha256: d.sha256,
      marking: markingView(d),
      caveat: d.caveat,
      markingText: documentMarkingText(d, d.caveat),
      inheritedFromId: d.inheritedFromId,
      status: documentState(d),
      withdrawnAt: d.withdrawnAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
      ...(sharedWith ? { sharedWith: sharedWith.map((a) => ({ id: a.id, name: a.name, agencyCode: a.agencyCode })) } : {}),
    };
  }

  /** A withdrawn item exists only for its developer; otherwise the ordinary read rule with its own grants. */
  function canReadDocument(subject: Subject, d: DocumentRow, grants: readonly Grant[], now: Date): Decision {
    if (d.withdrawnAt && d.ownerOrgId !== subject.orgId) return NOT_FOUND;
    return canRead(subject, { ...d, grants }, MODEL_READ_RULE, now);
  }

  async function loadReadableModel(tx: DbOrTx, subject: Subject, id: string, now: Date) {
    const found = await findModel(tx, id);
    if (!found) throw new NotFoundError('model');
    const grants = (await grantsOf(tx, MODEL_RECORD, [id])).get(id) ?? [];
    enforce(canRead(subject, { ...found.model, grants }, MODEL_READ_RULE, now), 'model');
    return found;
  }

  /** The developer's own model, locked for the change: others get 404, a grantee agency 403. */
  async function loadOwnedModel(tx: DbOrTx, subject: Subject, id: string, now: Date): Promise<ModelRow> {
    await loadReadableModel(tx, subject, id, now);
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer changes its model.');
    const row = await lockModel(tx, id);
    if (row.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the developer changes its model.');
    return row;
  }

  async function loadOwnedDocument(tx: DbOrTx, subject: Subject, modelId: string, docId: string, now: Date) {
    const model = await loadOwnedModel(tx, subject, modelId, now);
    const d = await lockDocument(tx, modelId, docId);
    if (!d) throw new NotFoundError('document');
    enforce(canRead(subject, d, MODEL_READ_RULE, now), 'document');
    return { model, d };
  }

  function futureRelease(iso: string, now: Date): Date {
    const at = new Date(iso);
    if (at.getTime() <= now.getTime()) {
      throw new ValidationError('The planned public release date must be in the future.', [{ path: 'body.plannedReleaseAt', message: 'must be in the future' }]);
    }
    return at;
  }

  async function checkLineage(tx: DbOrTx, subject: Subject, lineageId: string | null | undefined, now: Date, self?: string) {
    if (!lineageId) return;
    const bad = () => new ValidationError('The lineage must name a model you can read.', [{ path: 'body.lineageModelId', message: 'no model you can read has this id' }]);
    if (lineageId === self) throw bad();
    const found = await findModel(tx, lineageId);
    if (!found) throw bad();
    const grants = (await grantsOf(tx, MODEL_RECORD, [lineageId])).get(lineageId) ?? [];
    if (!canRead(subject, { ...found.model, grants }, MODEL_READ_RULE, now).allow) throw bad();
  }

  function documentMarking(subject: Subject, m: { classification: string; compartments?: string[] }): Marking {
    const marking = { classification: levelOf(m.classification as never), compartments: [...new Set(m.compartments ?? [])].sort() };
    if (!dominates({ classification: subject.clearance, compartments: subject.compartments }, marking)) {
      throw new ValidationError('You cannot mark a document above your own clearance.', [{ path: 'body.marking', message: 'above your clearance or compartments' }]);
    }
    return marking;
  }

  async function detailOf(tx: DbOrTx, subject: Subject, m: ModelRow, ownerOrgName: string, now: Date): Promise<ModelDetail> {
    let lineage: ModelDetail['lineage'] = null;
    if (m.lineageModelId) {
      const l = await findModel(tx, m.lineageModelId);
      const grants = l ? ((await grantsOf(tx, MODEL_RECORD, [l.model.id])).get(l.model.id) ?? []) : [];
      if (l && canRead(subject, { ...l.model, grants }, MODEL_READ_RULE, now).allow) lineage = { id: l.model.id, name: l.model.name, version: l.model.version };
    }
    const versions = await familyVersions(tx, m.familyId, readableBy(subject, modelMarkedColumns, MODEL_RECORD, MODEL_READ_RULE, now));
    const docs = await documentsOf(tx, m.id);
    const grants = await grantsOf(tx, DOCUMENT_RECORD, docs.map((d) => d.id));
    const visible = docs.filter((d) => canReadDocument(subject, d, grants.get(d.id) ?? [], now).allow);
    const summary = summaryOf(subject, m, ownerOrgName, now);
    const shares = summary.mine ? await liveShares(tx, visible.map((d) => d.id)) : null;
    return {
      ...summary,
      lineageModelId: lineage ? m.lineageModelId : null,
      lineage,
      computeEstimationMethod: m.computeEstimationMethod,
      intendedDeployment: dec(m, 'intended_deployment_enc'),
      capabilitySummary: dec(m, 'capability_summary_enc'),
      versions: versions.map((v) => ({ id: v.id, version: v.version, previousVersionId: v.previousVersionId, plannedReleaseAt: v.plannedReleaseAt.toISOString(), status: v.status, createdAt: v.createdAt.toISOString() })),
      documents: visible.map((d) => documentView(d, shares ? (shares.get(d.id) ?? []) : undefined)),
    };
  }

  function modelEvent(actor: Actor, m: ModelRow, action: string, detail: Record<string, string | number | boolean | null | string[]>) {
    return { actor, action, recordType: MODEL_RECORD, recordId: m.id, marking: { classification: m.classification, compartments: m.compartments }, ownerOrgId: m.ownerOrgId, detail };
  }
  function documentEvent(actor: Actor, d: DocumentRow, action: string, detail: Record<string, string | number | boolean | null | string[]>) {
    return { actor, action, recordType: DOCUMENT_RECORD, recordId: d.id, marking: { classification: d.classification, compartments: d.compartments }, ownerOrgId: d.ownerOrgId, detail: { modelId: d.modelId, ...detail } };
  }

  /** Agency organisations, for choosing whom to share with. Any signed-in user may list them. */
  async function listAgencies(subject: Subject): Promise<AgencyRow[]> {
    if (!subject.userId) throw new ForbiddenError();
    return agenciesQuery(db);
  }

  async function list(actor: Actor, subject: Subject): Promise<ModelSummary[]> {
    if (!can(subject, 'models:read')) throw new ForbiddenError('Reading models needs the developer or analyst role.');
    const now = clock();
    return db.transaction(async (tx) => {
      const rows = await listModels(tx, readableBy(subject, modelMarkedColumns, MODEL_RECORD, MODEL_READ_RULE, now));
      const top = highest(rows.map((r) => r.model));
      // The list shows marked records: the read is recorded once, at the highest marking returned.
      if (top.classification > UNCLASSIFIED) {
        await audit.record(tx, { actor, action: 'model.list', recordType: MODEL_RECORD, marking: top, detail: { returned: rows.length } });
      }
      return rows.map((r) => summaryOf(subject, r.model, r.ownerOrgName, now));
    });
  }

  async function get(actor: Actor, subject: Subject, id: string): Promise<ModelDetail> {
    if (!can(subject, 'models:read')) throw new ForbiddenError('Reading models needs the developer or analyst role.');
    const now = clock();
    return db.transaction(async (tx) => {
      const found = await loadReadableModel(tx, subject, id, now);
      const detail = await detailOf(tx, subject, found.model, found.ownerOrgName, now);
      await audit.recordRead(tx, actor, { recordType: MODEL_RECORD, recordId: id, classification: found.model.classification, compartments: found.model.compartments }, undefined, found.model.ownerOrgId);
      return detail;
    });
  }

  async function register(actor: Actor, subject: Subject, input: RegisterModelInput): Promise<ModelDetail> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Registering a model needs the developer role.');
    const now = clock();
    const release = futureRelease(input.plannedReleaseAt, now);
    return db.transaction(async (tx) => {
      await checkLineage(tx, subject, input.lineageModelId, now);
      const id = randomUUID();
      const [m] = await tx
        .insert(models)
        .values({
          id,
          ownerOrgId: subject.orgId,
          classification: CUI,
          familyId: id,
          previousVersionId: null,
          lineageModelId: input.lineageModelId ?? null,
          name: input.name,
          version: input.version,
          modality: input.modality,
          plannedReleaseAt: release,
          trainingComputeFlop: input.trainingComputeFlop,
          computeEstimationMethod: input.computeEstimationMethod,
          intendedDeploymentEnc: enc(id, 'intended_deployment_enc', input.intendedDeployment),
          capabilitySummaryEnc: enc(id, 'capability_summary_enc', input.capabilitySummary),
          createdBy: subject.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const org = await orgNameOf(tx, subject.orgId);
      const detail = await detailOf(tx, subject, m, org, now);
      await audit.record(tx, modelEvent(actor, m, 'model.register', { version: m.version, modality: m.modality, lineage: m.lineageModelId }));
      return detail;
    });
  }

  async function orgNameOf(tx: DbOrTx, orgId: string): Promise<string> {
    const [o] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, orgId));
    return o?.name ?? '';
  }

  async function update(actor: Actor, subject: Subject, id: string, patch: UpdateModelInput): Promise<ModelDetail> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer changes its model.');
    const now = clock();
    return db.transaction(async (tx) => {
      const cur = await loadOwnedModel(tx, subject, id, now);
      if (patch.lineageModelId !== undefined) await checkLineage(tx, subject, patch.lineageModelId, now, id);
      const [m] = await tx
        .update(models)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.modality !== undefined ? { modality: patch.modality } : {}),
          ...(patch.lineageModelId !== undefined ? { lineageModelId: patch.lineageModelId } : {}),
          ...(patch.trainingComputeFlop !== undefined ? { trainingComputeFlop: patch.trainingComputeFlop } : {}),
          ...(patch.computeEstimationMethod !== undefined ? { computeEstimationMethod: patch.computeEstimationMethod } : {}),
          ...(patch.intendedDeployment !== undefined ? { intendedDeploymentEnc: enc(id, 'intended_deployment_enc', patch.intendedDeployment) } : {}),
          ...(patch.capabilitySummary !== undefined ? { capabilitySummaryEnc: enc(id, 'capability_summary_enc', patch.capabilitySummary) } : {}),
          updatedAt: now,
        })
        .where(eq(models.id, cur.id))
        .returning();
      const org = await orgNameOf(tx, m.ownerOrgId);
      const detail = await detailOf(tx, subject, m, org, now);
      const changed = Object.keys(patch).sort();
      await audit.record(tx, modelEvent(actor, m, 'model.update', { changed, ...(patch.trainingComputeFlop !== undefined ? { computeChanged: patch.trainingComputeFlop !== cur.trainingComputeFlop } : {}) }));
      return detail;
    });
  }

  async function createVersion(actor: Actor, subject: Subject, id: string, input: NewVersionInput): Promise<ModelDetail> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer versions its model.');
    const now = clock();
    const release = futureRelease(input.plannedReleaseAt, now);
    try {
      return await db.transaction(async (tx) => {
        const prev = await loadOwnedModel(tx, subject, id, now);
        if (input.lineageModelId !== undefined) await checkLineage(tx, subject, input.lineageModelId, now);
        if (await versionExists(tx, prev.familyId, input.version)) throw new ConflictError(`Version ${input.version} of this model already exists.`);
        const newId = randomUUID();
        const [m] = await tx
          .insert(models)
          .values({
            id: newId,
            ownerOrgId: prev.ownerOrgId,
            classification: prev.classification,
            compartments: prev.compartments,
            familyId: prev.familyId,
            previousVersionId: prev.id,
            lineageModelId: input.lineageModelId !== undefined ? input.lineageModelId : prev.lineageModelId,
            name: input.name ?? prev.name,
            version: input.version,
            modality: input.modality ?? prev.modality,
            plannedReleaseAt: release,
            trainingComputeFlop: input.trainingComputeFlop ?? prev.trainingComputeFlop,
            computeEstimationMethod: input.computeEstimationMethod ?? prev.computeEstimationMethod,
            intendedDeploymentEnc: enc(newId, 'intended_deployment_enc', input.intendedDeployment ?? dec(prev, 'intended_deployment_enc')),
            capabilitySummaryEnc: enc(newId, 'capability_summary_enc', input.capabilitySummary ?? dec(prev, 'capability_summary_enc')),
            createdBy: subject.userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        const inherited: DocumentRow[] = [];
        if (input.inheritPackage) {
          for (const d of await documentsOf(tx, prev.id)) {
            // Withdrawn items stay withdrawn; items above this developer's clearance are not its to copy.
            if (d.withdrawnAt || !canRead(subject, d, MODEL_READ_RULE, now).allow) continue;
            documentTransition(documentState(d), 'inherit');
            const docId = randomUUID();
            const [copy] = await tx
              .insert(modelDocuments)
              .values({
                id: docId,
                ownerOrgId: d.ownerOrgId,
                classification: d.classification,
                compartments: d.compartments,
                modelId: m.id,
                kind: d.kind,
                title: d.title,
                filename: d.filename,
                mediaType: d.mediaType,
                sizeBytes: d.sizeBytes,
                sha256: d.sha256,
                contentEnc: keyring.encrypt(keyring.decrypt(d.contentEnc, docAad(d.id)), docAad(docId)),
                caveat: d.caveat,
                inheritedFromId: d.id,
                createdBy: subject.userId,
                createdAt: now,
                updatedAt: now,
              })
              .returning();
            inherited.push(copy);
          }
        }
        const org = await orgNameOf(tx, m.ownerOrgId);
        const detail = await detailOf(tx, subject, m, org, now);
        await audit.record(tx, modelEvent(actor, m, 'model.version', { previousVersionId: prev.id, version: m.version, inheritedDocuments: inherited.length }));
        for (const c of inherited) await audit.record(tx, documentEvent(actor, c, 'model_document.inherit', { inheritedFromId: c.inheritedFromId }));
        return detail;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`Version ${input.version} of this model already exists.`);
      throw err;
    }
  }

  async function uploadDocument(actor: Actor, subject: Subject, modelId: string, input: UploadDocumentInput): Promise<DocumentViewT> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer adds to its disclosure package.');
    const now = clock();
    const bytes = decodeBase64(input.contentBase64);
    if (!bytes || bytes.length === 0) throw new ValidationError('The content is not base64.', [{ path: 'body.contentBase64', message: 'standard base64 of a non-empty file' }]);
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new ValidationError(`A document is at most ${MAX_DOCUMENT_BYTES} bytes.`, [{ path: 'body.contentBase64', message: `at most ${MAX_DOCUMENT_BYTES} bytes once decoded` }]);
    }
    const marking = documentMarking(subject, input.marking);
    return db.transaction(async (tx) => {
      const model = await loadOwnedModel(tx, subject, modelId, now);
      const id = randomUUID();
      const [d] = await tx
        .insert(modelDocuments)
        .values({
          id,
          ownerOrgId: model.ownerOrgId,
          classification: marking.classification,
          compartments: [...marking.compartments],
          modelId: model.id,
          kind: input.kind,
          title: input.title,
          filename: input.filename,
          mediaType: input.mediaType,
          sizeBytes: bytes.length,
          sha256: sha256Hex(bytes),
          contentEnc: keyring.encrypt(bytes.toString('base64'), docAad(id)),
          caveat: input.caveat ?? null,
          createdBy: subject.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit.record(tx, documentEvent(actor, d, 'model_document.upload', { kind: d.kind, sizeBytes: d.sizeBytes }));
      return documentView(d, []);
    });
  }

  async function updateDocument(actor: Actor, subject: Subject, modelId: string, docId: string, patch: UpdateDocumentInput): Promise<DocumentViewT> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer amends its disclosure package.');
    const now = clock();
    const marking = patch.marking ? documentMarking(subject, patch.marking) : null;
    return db.transaction(async (tx) => {
      const { d: cur } = await loadOwnedDocument(tx, subject, modelId, docId, now);
      documentTransition(documentState(cur), 'amend');
      const [d] = await tx
        .update(modelDocuments)
        .set({
          ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.caveat !== undefined ? { caveat: patch.caveat } : {}),
          ...(marking ? { classification: marking.classification, compartments: [...marking.compartments] } : {}),
          updatedAt: now,
        })
        .where(eq(modelDocuments.id, cur.id))
        .returning();
      const shares = (await liveShares(tx, [d.id])).get(d.id) ?? [];
      await audit.record(tx, documentEvent(actor, d, 'model_document.update', { changed: Object.keys(patch).sort() }));
      return documentView(d, shares);
    });
  }

  /** Sets exactly which agencies may read one item: new ones get a grant, removed ones lose theirs. */
  async function setShares(actor: Actor, subject: Subject, modelId: string, docId: string, agencyOrgIds: string[]) {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer shares its disclosure package.');
    const now = clock();
    const wanted = [...new Set(agencyOrgIds)];
    return db.transaction(async (tx) => {
      const { d } = await loadOwnedDocument(tx, subject, modelId, docId, now);
      documentTransition(documentState(d), 'share');
      const agencies = await agenciesQuery(tx, wanted);
      if (agencies.length !== wanted.length) {
        const known = new Set(agencies.map((a) => a.id));
        throw new ValidationError('Documents are shared with agencies only.', wanted.filter((w) => !known.has(w)).map((w) => ({ path: 'body.agencyOrgIds', message: `${w} is not an agency organisation` })));
      }
      const current = (await liveShares(tx, [d.id])).get(d.id) ?? [];
      const { add, remove } = diffShares(
        current.map((c) => c.id),
        wanted,
      );
      await revokeDocumentGrants(tx, d.id, now, remove);
      for (const orgId of add) {
        await addGrant(tx, { recordType: DOCUMENT_RECORD, recordId: d.id, granteeOrgId: orgId, grantedBy: subject.userId, reason: 'shared by the developer', sourceType: SHARE_SOURCE, sourceId: d.id, startsAt: now });
      }
      const after = (await liveShares(tx, [d.id])).get(d.id) ?? [];
      const codeOf = (id: string) => [...current, ...agencies].find((a) => a.id === id)?.agencyCode ?? id;
      await audit.record(tx, documentEvent(actor, d, 'model_document.share', { added: add.map(codeOf), removed: remove.map(codeOf) }));
      return { documentId: d.id, sharedWith: after.map((a) => ({ id: a.id, name: a.name, agencyCode: a.agencyCode })) };
    });
  }

  /** Withdraws an item at once: every grant on it is revoked and its content erased; the hash stays on record. */
  async function withdrawDocument(actor: Actor, subject: Subject, modelId: string, docId: string): Promise<DocumentViewT> {
    if (!can(subject, 'models:register')) throw new ForbiddenError('Only the developer withdraws from its disclosure package.');
    const now = clock();
    return db.transaction(async (tx) => {
      const { d: cur } = await loadOwnedDocument(tx, subject, modelId, docId, now);
      documentTransition(documentState(cur), 'withdraw');
      const revoked = await revokeDocumentGrants(tx, cur.id, now);
      const [d] = await tx
        .update(modelDocuments)
        .set({ withdrawnAt: now, withdrawnBy: subject.userId, contentEnc: keyring.encrypt('', docAad(cur.id)), updatedAt: now })
        .where(eq(modelDocuments.id, cur.id))
        .returning();
      await audit.record(tx, documentEvent(actor, d, 'model_document.withdraw', { revokedGrants: revoked.length }));
      return documentView(d, []);
    });
  }

  /** The decrypted file for an authorised reader; every download is recorded, for the developer to see. */
  async function readContent(actor: Actor, subject: Subject, modelId: string, docId: string): Promise<{ filename: string; mediaType: string; bytes: Buffer }> {
    if (!can(subject, 'models:read')) throw new ForbiddenError('Reading models needs the developer or analyst role.');
    const now = clock();
    return db.transaction(async (tx) => {
      await loadReadableModel(tx, subject, modelId, now);
      const d = await findDocument(tx, modelId, docId);
      if (!d) throw new NotFoundError('document');
      const grants = (await grantsOf(tx, DOCUMENT_RECORD, [d.id])).get(d.id) ?? [];
      enforce(canReadDocument(subject, d, grants, now), 'document');
      if (d.withdrawnAt) throw new ConflictError('This document was withdrawn; its content is no longer kept.');
      const bytes = Buffer.from(keyring.decrypt(d.contentEnc, docAad(d.id)), 'base64');
      if (sha256Hex(bytes) !== d.sha256) throw new Error(`document ${d.id} does not match its hash`);
      await audit.record(tx, documentEvent(actor, d, 'model_document.read', { sizeBytes: d.sizeBytes }));
      return { filename: d.filename, mediaType: d.mediaType, bytes };
    });
  }

  return {
    listAgencies,
    list,
    get,
    register,
    update,
    createVersion,
    uploadDocument,
    updateDocument,
    setShares,
    withdrawDocument,
    readContent,
    jobs: [] as JobDefinition<any>[],
    startup: async () => {},
  };
}

export type ModelsService = ReturnType<typeof createModelsService>;
