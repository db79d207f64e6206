import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { inventoryAssets, inventoryChannels, inventoryComponents, inventoryOperatorProfiles, inventorySboms, organisations } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, canRead, type ReadRule, type Subject } from '../access/policy.ts';
import { readableBy } from '../access/access.sql.ts';
import { newSecret } from '../identity/tokens.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { parseSbom, type SbomLimits } from './sbom/sbom.ts';
import { manualComponentRow, rowFromSbomComponent } from './inventory.fns.ts';
import { componentCounts, currentComponentsPage, insertComponents, nextSbomVersion, sbomComponents, sbomsOf } from './inventory.dal.ts';
import type { z } from 'zod';
import type { ChannelBody, CreateAssetBody, ManualComponentBody, ProfileBody, TLP_LEVELS } from './inventory.types.ts';

export { currentComponentsByPackage, currentComponentsOfOrg, type CurrentComponent } from './inventory.dal.ts';

const ASSET_RULE: ReadRule = { ability: 'inventory:manage' };
export const WEBHOOK_SECRET_PREFIX = 'fwh_';
const MAX_CHANNELS = 20;

export interface InventoryOptions {
  /** Limits on one SBOM (defaults: the parser's — 20 MiB, 50,000 components, 32 levels). */
  sbomLimits?: Partial<SbomLimits>;
  /** Called in the transaction that changed an asset's current components (matching re-runs). */
  onComponentsChanged?: (tx: DbOrTx, assetId: string) => Promise<void>;
}

type AssetRow = typeof inventoryAssets.$inferSelect;
type SbomRow = typeof inventorySboms.$inferSelect;

function manage(subject: Subject): void {
  if (!can(subject, 'inventory:manage')) throw new ForbiddenError('Managing an inventory needs the operator staff role.');
}

function sbomSummary(s: SbomRow, currentId: string | null) {
  return {
    id: s.id,
    version: s.version,
    format: s.format,
    specVersion: s.specVersion,
    serialNumber: s.serialNumber,
    subjectName: s.subjectName,
    sha256: s.sha256,
    bytes: s.bytes,
    componentCount: s.componentCount,
    warnings: s.warnings,
    current: s.id === currentId,
    uploadedAt: s.uploadedAt.toISOString(),
  };
}

function assetView(a: AssetRow, componentCount: number) {
  return {
    id: a.id,
    name: a.name,
    kind: a.kind,
    description: a.description,
    currentSbomId: a.currentSbomId,
    componentCount,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function channelView(c: typeof inventoryChannels.$inferSelect) {
  return { id: c.id, kind: c.kind as 'email' | 'webhook', address: c.address, tlpMax: c.tlpMax as (typeof TLP_LEVELS)[number], hasSecret: c.secretEnc !== null, createdAt: c.createdAt.toISOString() };
}

export function createInventoryService({ db, audit, keyring, clock }: ModuleDeps, opts: InventoryOptions = {}) {
  const marking = (a: AssetRow) => ({ classification: a.classification, compartments: a.compartments });

  /** The asset if the subject may see it; another organisation's asset does not exist for it. */
  async function assetFor(tx: DbOrTx, subject: Subject, id: string, lock = false): Promise<AssetRow> {
    const q = tx.select().from(inventoryAssets).where(eq(inventoryAssets.id, id));
    const [a] = lock ? await q.for('update') : await q;
    if (!a || !canRead(subject, a, ASSET_RULE, clock()).allow) throw new NotFoundError('asset', !!a);
    return a;
  }

  async function createAsset(actor: Actor, subject: Subject, body: z.infer<typeof CreateAssetBody>) {
    manage(subject);
    return db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: inventoryAssets.id }).from(inventoryAssets).where(and(eq(inventoryAssets.ownerOrgId, subject.orgId), eq(inventoryAssets.name, body.name)));
      if (dup) throw new ConflictError(`Your organisation already has an asset named "${body.name}".`);
      const [a] = await tx
        .insert(inventoryAssets)
        .values({ ownerOrgId: subject.orgId, name: body.name, kind: body.kind, description: body.description ?? null, createdBy: subject.userId })
        .returning();
      await audit.record(tx, { actor, action: 'inventory.asset.create', recordType: 'inventory_asset', recordId: a.id, marking: marking(a), ownerOrgId: a.ownerOrgId, detail: { kind: a.kind } });
      return assetView(a, 0);
    });
  }

  async function listAssets(actor: Actor, subject: Subject) {
    manage(subject);
    void actor;
    const rows = await db
      .select()
      .from(inventoryAssets)
      .where(readableBy(subject, inventoryAssets, 'inventory_asset', ASSET_RULE, clock()))
      .orderBy(asc(inventoryAssets.name))
      .limit(1000);
    const counts = await componentCounts(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => assetView(r, counts.get(r.id) ?? 0));
  }

  async function getAsset(actor: Actor, subject: Subject, id: string, page: { limit: number; offset: number }) {
    manage(subject);
    void actor;
    const a = await assetFor(db, subject, id);
    const components = await currentComponentsPage(db, id, page.limit, page.offset);
    const sboms = await sbomsOf(db, id);
    return {
      ...assetView(a, components.total),
      components: { items: components.items.map((c) => ({ ...c, source: c.source as 'sbom' | 'manual' })), total: components.total, limit: page.limit, offset: page.offset },
      sboms: sboms.map((s) => sbomSummary(s, a.currentSbomId)),
    };
  }

  async function getSbom(actor: Actor, subject: Subject, assetId: string, sbomId: string) {
    manage(subject);
    void actor;
    const a = await assetFor(db, subject, assetId);
    const [s] = await db.select().from(inventorySboms).where(and(eq(inventorySboms.id, sbomId), eq(inventorySboms.assetId, a.id)));
    if (!s) throw new NotFoundError('SBOM');
    const components = await sbomComponents(db, s.id);
    return { ...sbomSummary(s, a.currentSbomId), assetId: a.id, components: components.map((c) => ({ ...c, source: c.source as 'sbom' | 'manual' })) };
  }

  /** A new SBOM becomes the asset's current one; earlier ones and their components stay as history. */
  async function uploadSbom(actor: Actor, subject: Subject, assetId: string, document: string) {
    manage(subject);
    // Parse before the transaction: a refused file writes nothing and holds no lock.
    await assetFor(db, subject, assetId);
    const parsed = parseSbom(document, { limits: opts.sbomLimits });
    const rows = parsed.components.map(rowFromSbomComponent);
    const sha256 = createHash('sha256').update(document).digest('hex');
    const bytes = Buffer.byteLength(document);
    return db.transaction(async (tx) => {
      const a = await assetFor(tx, subject, assetId, true);
      const version = await nextSbomVersion(tx, a.id);
      const [s] = await tx
        .insert(inventorySboms)
        .values({
          assetId: a.id,
          ownerOrgId: a.ownerOrgId,
          version,
          format: parsed.format,
          specVersion: parsed.specVersion,
          serialNumber: parsed.serialNumber ?? null,
          subjectName: parsed.name ?? null,
          sha256,
          bytes,
          componentCount: rows.length,
          warnings: parsed.warnings.slice(0, 100).map((w) => w.slice(0, 1000)),
          uploadedBy: subject.userId,
        })
        .returning();
      await insertComponents(tx, { assetId: a.id, ownerOrgId: a.ownerOrgId, sbomId: s.id, source: 'sbom', createdBy: subject.userId }, rows);
      await tx.update(inventoryAssets).set({ currentSbomId: s.id, updatedAt: clock() }).where(eq(inventoryAssets.id, a.id));
      await opts.onComponentsChanged?.(tx, a.id);
      await audit.record(tx, {
        actor,
        action: 'inventory.sbom.upload',
        recordType: 'inventory_asset',
        recordId: a.id,
        marking: marking(a),
        ownerOrgId: a.ownerOrgId,
        detail: { sbomId: s.id, version, format: parsed.format, components: rows.length, replaced: a.currentSbomId },
      });
      return { ...sbomSummary(s, s.id), assetId: a.id };
    });
  }

  async function addComponent(actor: Actor, subject: Subject, assetId: string, body: z.infer<typeof ManualComponentBody>) {
    manage(subject);
    const row = manualComponentRow(body);
    return db.transaction(async (tx) => {
      const a = await assetFor(tx, subject, assetId, true);
      const [id] = await insertComponents(tx, { assetId: a.id, ownerOrgId: a.ownerOrgId, sbomId: null, source: 'manual', createdBy: subject.userId }, [row]);
      await tx.update(inventoryAssets).set({ updatedAt: clock() }).where(eq(inventoryAssets.id, a.id));
      await opts.onComponentsChanged?.(tx, a.id);
      await audit.record(tx, { actor, action: 'inventory.component.add', recordType: 'inventory_asset', recordId: a.id, marking: marking(a), ownerOrgId: a.ownerOrgId, detail: { componentId: id } });
      return { id, source: 'manual' as const, ...row };
    });
  }

  /** Only components added by hand can be removed; an SBOM's are replaced by uploading another. */
  async function removeComponent(actor: Actor, subject: Subject, assetId: string, componentId: string) {
    manage(subject);
    await db.transaction(async (tx) => {
      const a = await assetFor(tx, subject, assetId, true);
      const gone = await tx
        .delete(inventoryComponents)
        .where(and(eq(inventoryComponents.id, componentId), eq(inventoryComponents.assetId, a.id), eq(inventoryComponents.source, 'manual')))
        .returning({ id: inventoryComponents.id });
      if (gone.length === 0) throw new NotFoundError('component added by hand');
      await tx.update(inventoryAssets).set({ updatedAt: clock() }).where(eq(inventoryAssets.id, a.id));
      await opts.onComponentsChanged?.(tx, a.id);
      await audit.record(tx, { actor, action: 'inventory.component.remove', recordType: 'inventory_asset', recordId: a.id, marking: marking(a), ownerOrgId: a.ownerOrgId, detail: { componentId } });
    });
  }

  // ---- operator profile ------------------------------------------------------------------------

  async function getProfile(actor: Actor, subject: Subject) {
    manage(subject);
    void actor;
    const [org] = await db.select({ name: organisations.name, sector: organisations.sector }).from(organisations).where(eq(organisations.id, subject.orgId));
    const [p] = await db.select().from(inventoryOperatorProfiles).where(eq(inventoryOperatorProfiles.orgId, subject.orgId));
    const channels = await db.select().from(inventoryChannels).where(eq(inventoryChannels.orgId, subject.orgId)).orderBy(asc(inventoryChannels.createdAt), asc(inventoryChannels.id));
    return {
      orgId: subject.orgId,
      orgName: org?.name ?? '',
      sector: org?.sector ?? null,
      size: (p?.size ?? null) as 'small' | 'medium' | 'large' | null,
      priorityTier: p?.priorityTier ?? null,
      contacts: p?.contacts ?? [],
      channels: channels.map(channelView),
    };
  }

  async function updateProfile(actor: Actor, subject: Subject, body: z.infer<typeof ProfileBody>) {
    manage(subject);
    await db.transaction(async (tx) => {
      const set = {
        ...(body.size !== undefined ? { size: body.size } : {}),
        ...(body.priorityTier !== undefined ? { priorityTier: body.priorityTier } : {}),
        ...(body.contacts !== undefined ? { contacts: body.contacts } : {}),
        updatedBy: subject.userId,
        updatedAt: clock(),
      };
      await tx
        .insert(inventoryOperatorProfiles)
        .values({ orgId: subject.orgId, ...set })
        .onConflictDoUpdate({ target: inventoryOperatorProfiles.orgId, set });
      await audit.record(tx, { actor, action: 'inventory.profile.update', recordType: 'organisation', recordId: subject.orgId, ownerOrgId: subject.orgId, detail: { fields: Object.keys(body) } });
    });
    return getProfile(actor, subject);
  }

  /** A webhook's signing secret is generated here and returned only in this answer. */
  async function addChannel(actor: Actor, subject: Subject, body: z.infer<typeof ChannelBody>) {
    manage(subject);
    return db.transaction(async (tx) => {
      const existing = await tx.select({ id: inventoryChannels.id }).from(inventoryChannels).where(eq(inventoryChannels.orgId, subject.orgId));
      if (existing.length >= MAX_CHANNELS) throw new ConflictError(`An organisation has at most ${MAX_CHANNELS} notification channels.`);
      const id = crypto.randomUUID();
      const secret = body.kind === 'webhook' ? newSecret(WEBHOOK_SECRET_PREFIX) : null;
      const [c] = await tx
        .insert(inventoryChannels)
        .values({
          id,
          orgId: subject.orgId,
          kind: body.kind,
          address: body.address,
          tlpMax: body.kind === 'webhook' ? body.tlpMax : 'CLEAR',
          secretEnc: secret ? keyring.encrypt(secret, `inventory_channels.secret_enc:${id}`) : null,
          createdBy: subject.userId,
        })
        .returning();
      await audit.record(tx, { actor, action: 'inventory.channel.add', recordType: 'inventory_channel', recordId: id, ownerOrgId: subject.orgId, detail: { kind: body.kind, tlpMax: c.tlpMax } });
      return { ...channelView(c), secret };
    });
  }

  async function removeChannel(actor: Actor, subject: Subject, id: string) {
    manage(subject);
    await db.transaction(async (tx) => {
      const gone = await tx
        .delete(inventoryChannels)
        .where(and(eq(inventoryChannels.id, id), eq(inventoryChannels.orgId, subject.orgId)))
        .returning({ id: inventoryChannels.id });
      if (gone.length === 0) throw new NotFoundError('notification channel');
      await audit.record(tx, { actor, action: 'inventory.channel.remove', recordType: 'inventory_channel', recordId: id, ownerOrgId: subject.orgId });
    });
  }

  /** The decrypted signing secret of a webhook channel, for the delivery job (never for a route). */
  async function webhookSecret(channelId: string): Promise<string | null> {
    const [c] = await db.select({ secretEnc: inventoryChannels.secretEnc }).from(inventoryChannels).where(inArray(inventoryChannels.id, [channelId]));
    return c?.secretEnc ? keyring.decrypt(c.secretEnc, `inventory_channels.secret_enc:${channelId}`) : null;
  }

  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
    createAsset,
    listAssets,
    getAsset,
    getSbom,
    uploadSbom,
    addComponent,
    removeComponent,
    getProfile,
    updateProfile,
    addChannel,
    removeChannel,
    webhookSecret,
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
