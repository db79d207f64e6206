// Remediation records and operator notification (issue 7): one record per operator and advisory,
// opened, reopened and closed by matching's events, moved by the operator through the machine,
// announced on the operator's channels within each channel's TLP allowance.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { inventoryChannels, notificationDeliveries, remediationHistory, remediationMatches, remediationRecords } from '../../../db/schema.ts';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '../../../lib/errors.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import { SYSTEM_ACTOR, type Actor } from '../../access/actor.ts';
import { readableBy } from '../../access/access.sql.ts';
import { can, canRead, type ReadRule, type Subject } from '../../access/policy.ts';
import type { TlpLabel } from '../../clearinghouse/advisory/tlp.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import type { MatchEvent } from '../../matching/matching.types.ts';
import type { MailService } from '../../notifications/mail.service.ts';
import { createWebhookDelivery, WEBHOOK_DELIVER_JOB } from '../../notifications/delivery/webhook.delivery.ts';
import type { z } from 'zod';
import {
  advisoryFacts,
  advisoryIdsFor,
  advisoryTotals,
  channelsOf,
  componentsOf,
  deliveriesWhere,
  historyOf,
  openCounts,
  openMatchesOf,
  overlaps,
  priorityTiers,
  recordOf,
  recordsOfAdvisories,
  type AdvisoryFacts,
  type RecordRow,
} from './remediation.dal.ts';
import { buildNotice, dueAt, fixedVersionsFor, goesToDigest, nextDigestAt, remediationText, type NoticeItem } from './remediation.fns.ts';
import { isOpen, operatorEventsFrom, transition, type RemediationEvent, type RemediationState } from './remediation.machine.ts';
import type { RemediationFix } from './remediation.schema.ts';
import type { BoardQuery, TransitionBody } from './remediation.types.ts';

export interface RemediationLinks {
  mail: MailService;
  publicUrl: () => string;
  /** Webhooks to loopback and private addresses: only demo and test instances, whose peers are local. */
  allowPrivateWebhooks?: boolean;
}

export const DIGEST_JOB = 'remediation.digest';
export const RISK_EXPIRY_JOB = 'remediation.risk-expiry';
const RULE: ReadRule = { ability: 'remediation:manage' };
const OUT_OF_RANGE = 'An accepted risk needs an expiry in the future and at most one year ahead.';

type DeliveryJoin = Awaited<ReturnType<typeof deliveriesWhere>>[number];

function manage(subject: Subject): void {
  if (!can(subject, 'remediation:manage')) throw new ForbiddenError('Tracking remediation needs the operator staff role.');
}

/** Another organisation sees a webhook's host or an email's domain, never the full address. */
function redactAddress(error: string | null, address: string, fullAddress: boolean): string | null {
  if (error === null || fullAddress) return error;
  const local = address.includes('@') ? address.split('@')[0] : null;
  let out = error.split(address).join('[address]');
  if (local && local.length > 2) out = out.split(local).join('[address]');
  return out.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[address]');
}

function maskedAddress(kind: string, address: string): string {
  if (kind === 'email') return `…@${address.split('@')[1] ?? ''}`;
  try {
    return new URL(address).host;
  } catch {
    return '…';
  }
}

function deliveryView({ d, mailStatus, mailSentAt, mailError, mailAttempts }: DeliveryJoin, fullAddress: boolean) {
  const isMail = d.channelKind === 'email';
  // An email's fate is the mail outbox's: 'sent' is delivered to the SMTP server, 'held' waits for one.
  const status = isMail ? (mailStatus === 'sent' ? 'delivered' : (mailStatus ?? 'queued')) : d.status;
  return {
    id: d.id,
    channelKind: d.channelKind as 'email' | 'webhook',
    address: fullAddress ? d.address : maskedAddress(d.channelKind, d.address),
    event: d.event,
    status,
    attempts: isMail ? (mailAttempts ?? 0) : d.attempts,
    lastStatusCode: d.lastStatusCode,
    // SMTP and HTTP errors often quote the recipient: another organisation's reader gets them without it.
    lastError: redactAddress(isMail ? (mailError ?? null) : d.lastError, d.address, fullAddress),
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: (isMail ? mailSentAt : d.deliveredAt)?.toISOString() ?? null,
    deadAt: d.deadAt?.toISOString() ?? null,
  };
}

export function createRemediationService(deps: ModuleDeps, links: RemediationLinks) {
  const { db, audit, keyring, notify, queue, clock } = deps;
  const webhooks = createWebhookDelivery({ db, keyring, queue, clock, allowPrivate: links.allowPrivateWebhooks ?? false });
  const marking = (r: RecordRow) => ({ classification: r.classification, compartments: r.compartments });

  function recordView(r: RecordRow, open: number, now: Date) {
    // TLP:RED names people; an operator organisation as such is not one of them.
    const red = r.tlp === 'RED';
    return {
      id: r.id,
      advisoryId: r.advisoryId,
      advisoryRef: r.advisoryRef,
      title: red ? 'TLP:RED advisory: ask the clearinghouse for a briefing' : r.title,
      severity: r.severity,
      tlp: r.tlp,
      state: r.state as RemediationState,
      priorityTier: r.priorityTier,
      dueAt: r.dueAt.toISOString(),
      overdue: isOpen(r.state as RemediationState) && r.dueAt.getTime() < now.getTime(),
      justification: r.justification,
      riskExpiresAt: r.riskExpiresAt?.toISOString() ?? null,
      fix: red ? { fixedVersions: [], remediation: null, url: null } : r.fix,
      openComponents: open,
      openedAt: r.openedAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
    };
  }

  function fixOf(f: AdvisoryFacts, packages: string[]): RemediationFix {
    const fixedVersions = fixedVersionsFor(f.affected, packages);
    return { fixedVersions, remediation: remediationText(fixedVersions), url: f.source === 'osv' ? `https://osv.dev/vulnerability/${encodeURIComponent(f.ref)}` : null };
  }

  async function noticeItems(tx: DbOrTx, records: RecordRow[], reopened: Set<string>): Promise<NoticeItem[]> {
    const items: NoticeItem[] = [];
    for (const r of records) {
      const open = await openMatchesOf(tx, r.id);
      items.push({
        recordId: r.id,
        advisory: { ref: r.advisoryRef, title: r.title, severity: r.severity as NoticeItem['advisory']['severity'], tlp: r.tlp as TlpLabel },
        components: open.slice(0, 50).map((m) => ({ package: m.package, version: m.version })),
        dueAt: r.dueAt,
        fix: r.fix,
        reopened: reopened.has(r.id),
      });
    }
    return items;
  }

  /** One message per channel of the operator (each cut to the channel's TLP allowance) and an in-app notice. */
  async function sendNotices(tx: DbOrTx, orgId: string, records: RecordRow[], digest: boolean, reopened = new Set<string>()): Promise<void> {
    if (!records.length) return;
    const now = clock();
    const items = await noticeItems(tx, records, reopened);
    const channels = await channelsOf(tx, orgId);
    const recordIds = records.map((r) => r.id);
    const advisoryIds = records.map((r) => r.advisoryId);
    for (const c of channels) {
      const n = buildNotice(c.tlpMax as TlpLabel, items, { publicUrl: links.publicUrl(), digest, now });
      const id = crypto.randomUUID();
      const common = { id, orgId, channelId: c.id, channelKind: c.kind, address: c.address, event: n.payload.type as string, recordIds, advisoryIds, createdAt: now };
      if (c.kind === 'email') {
        const mailId = await links.mail.enqueue(tx, { to: c.address, subject: n.subject, text: n.text });
        await tx.insert(notificationDeliveries).values({ ...common, mailId, status: 'mailed' });
      } else {
        await tx.insert(notificationDeliveries).values({ ...common, body: JSON.stringify({ id, ...n.payload }), status: 'queued' });
        await queue.send(tx, WEBHOOK_DELIVER_JOB, { id });
      }
    }
    // In-app words are unclassified by construction; with no channel at all, the staff get it by email.
    await notify.notify(tx, {
      orgIds: [orgId],
      roles: ['operator_staff'],
      title: digest ? 'Daily digest of advisory matches' : 'New advisory match',
      body: `${records.length} advisory match${records.length === 1 ? '' : 'es'} in your inventory need${records.length === 1 ? 's' : ''} a decision. Sign in to read ${records.length === 1 ? 'it' : 'them'}.`,
      link: records.length === 1 ? `/remediation/${records[0].id}` : '/remediation',
      email: channels.length === 0,
    });
  }

  async function writeHistory(tx: DbOrTx, recordId: string, event: string, from: string | null, to: string, actorUserId: string | null, note: string | null, at: Date) {
    await tx.insert(remediationHistory).values({ recordId, event, fromState: from, toState: to, actorUserId, note, at });
  }

  async function queueDigest(tx: DbOrTx, orgId: string): Promise<void> {
    // One job per operator and day is enough: the job sends whatever is pending when it runs.
    const [pending] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(remediationRecords)
      .where(and(eq(remediationRecords.ownerOrgId, orgId), eq(remediationRecords.digestPending, true)));
    if (Number(pending?.n ?? 0) === 0) await queue.send(tx, DIGEST_JOB, { orgId }, { startAfter: nextDigestAt(clock()) });
  }

  /** Opens, reopens or closes remediation records and queues notifications, in the matching transaction. */
  async function onMatchEvents(tx: DbOrTx, events: MatchEvent[]): Promise<void> {
    if (!events.length) return;
    const now = clock();
    const facts = await advisoryFacts(tx, [...new Set(events.map((e) => e.advisoryId))]);
    const tiers = await priorityTiers(tx, [...new Set(events.map((e) => e.orgId))]);
    const groups = new Map<string, MatchEvent[]>();
    for (const e of events) {
      const k = `${e.orgId} ${e.advisoryId}`;
      groups.set(k, [...(groups.get(k) ?? []), e]);
    }
    const announce = new Map<string, { records: RecordRow[]; reopened: Set<string> }>();
    const toAnnounce = (orgId: string, r: RecordRow, reopened: boolean) => {
      const a = announce.get(orgId) ?? { records: [], reopened: new Set<string>() };
      a.records.push(r);
      if (reopened) a.reopened.add(r.id);
      announce.set(orgId, a);
    };

    for (const group of groups.values()) {
      const { orgId, advisoryId } = group[0];
      const f = facts.get(advisoryId);
      if (!f) continue;
      const matched = group.filter((e) => e.kind === 'matched');
      const cleared = group.filter((e) => e.kind === 'cleared');
      let rec = await recordOf(tx, orgId, advisoryId);
      if (!rec && matched.length === 0) continue;
      const tier = tiers.get(orgId) ?? null;
      if (!rec) {
        const packages = [...new Set(matched.map((e) => e.package))];
        const digest = goesToDigest(f.severity) && !f.withdrawn;
        if (digest) await queueDigest(tx, orgId);
        [rec] = await tx
          .insert(remediationRecords)
          .values({
            ownerOrgId: orgId,
            advisoryId,
            advisoryRef: f.ref,
            title: f.title,
            severity: f.severity,
            tlp: f.tlp,
            state: 'notified',
            priorityTier: tier,
            dueAt: dueAt(now, f.severity, tier),
            fix: fixOf(f, packages),
            digestPending: digest,
            openedAt: now,
            updatedAt: now,
          })
          .returning();
        await writeHistory(tx, rec.id, 'opened', null, 'notified', null, `${packages.length} package${packages.length === 1 ? '' : 's'} in the inventory match`, now);
        await audit.record(tx, { actor: SYSTEM_ACTOR, action: 'remediation.open', recordType: 'remediation_record', recordId: rec.id, ownerOrgId: orgId, marking: marking(rec), detail: { advisoryId, components: matched.length } });
        if (!digest) toAnnounce(orgId, rec, false);
      }
      if (matched.length) {
        const recordId = rec.id;
        await tx
          .insert(remediationMatches)
          .values(matched.map((e) => ({ matchId: e.matchId, recordId, assetId: e.assetId, componentId: e.componentId, package: e.package, version: e.version, matchedAt: now })))
          .onConflictDoUpdate({ target: remediationMatches.matchId, set: { clearedAt: null, version: sql`excluded.version` } });
      }
      if (cleared.length) {
        await tx
          .update(remediationMatches)
          .set({ clearedAt: now })
          .where(and(eq(remediationMatches.recordId, rec.id), inArray(remediationMatches.matchId, cleared.map((e) => e.matchId)), isNull(remediationMatches.clearedAt)));
      }
      const open = await openMatchesOf(tx, rec.id);
      const from = rec.state as RemediationState;
      let event: RemediationEvent | null = null;
      if (open.length === 0 && from !== 'patched') event = 'sbom_cleared';
      else if (open.length > 0 && matched.length > 0 && from === 'patched') event = 'rematched';
      const packages = [...new Set(open.map((m) => m.package))];
      if (event) {
        const r = transition(from, event, { now });
        if (!r.ok) continue;
        const reopen = event === 'rematched';
        const digest = reopen && goesToDigest(f.severity);
        if (digest) await queueDigest(tx, orgId);
        const note = reopen ? 'reopened: a vulnerable version is back in the inventory' : f.withdrawn ? 'closed: the advisory was withdrawn' : 'closed by SBOM';
        [rec] = await tx
          .update(remediationRecords)
          .set({
            state: r.to,
            updatedAt: now,
            closedAt: reopen ? null : now,
            ...(reopen ? { dueAt: dueAt(now, f.severity, tier), justification: null, riskExpiresAt: null, digestPending: digest, fix: fixOf(f, packages) } : { digestPending: false }),
          })
          .where(eq(remediationRecords.id, rec.id))
          .returning();
        await writeHistory(tx, rec.id, event, from, r.to, null, note, now);
        await audit.record(tx, { actor: SYSTEM_ACTOR, action: reopen ? 'remediation.reopen' : 'remediation.close', recordType: 'remediation_record', recordId: rec.id, ownerOrgId: orgId, marking: marking(rec), detail: { from, to: r.to, reason: note } });
        if (reopen && !digest) toAnnounce(orgId, rec, true);
      } else if (matched.length && open.length) {
        await tx.update(remediationRecords).set({ fix: fixOf(f, packages), updatedAt: now }).where(eq(remediationRecords.id, rec.id));
      }
    }
    for (const [orgId, a] of announce) await sendNotices(tx, orgId, a.records, false, a.reopened);
  }

  /** The record if the subject may see it; another organisation's record does not exist for it. */
  async function recordFor(tx: DbOrTx, subject: Subject, id: string, lock = false): Promise<RecordRow> {
    const q = tx.select().from(remediationRecords).where(eq(remediationRecords.id, id));
    const [r] = lock ? await q.for('update') : await q;
    if (!r || !canRead(subject, r, RULE, clock()).allow) throw new NotFoundError('remediation record', !!r);
    return r;
  }

  async function board(actor: Actor, subject: Subject, query: z.infer<typeof BoardQuery>) {
    manage(subject);
    void actor;
    const now = clock();
    const mine = readableBy(subject, remediationRecords, 'remediation_record', RULE, now);
    const filter: SQL | undefined =
      query.state === 'open' ? inArray(remediationRecords.state, ['notified', 'acknowledged', 'patching']) : query.state ? eq(remediationRecords.state, query.state) : undefined;
    const where = filter ? and(mine, filter) : mine;
    const rows = await db
      .select()
      .from(remediationRecords)
      .where(where)
      // Open work first, soonest due first.
      .orderBy(sql`case when ${remediationRecords.state} in ('notified','acknowledged','patching') then 0 else 1 end`, asc(remediationRecords.dueAt), asc(remediationRecords.id))
      .limit(query.limit)
      .offset(query.offset);
    const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(remediationRecords).where(where);
    const byState = await db.select({ state: remediationRecords.state, n: sql<number>`count(*)::int` }).from(remediationRecords).where(mine).groupBy(remediationRecords.state);
    const open = await openCounts(
      db,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((r) => recordView(r, open.get(r.id) ?? 0, now)),
      total: Number(total),
      limit: query.limit,
      offset: query.offset,
      counts: Object.fromEntries(byState.map((s) => [s.state, Number(s.n)])),
    };
  }

  async function getRecord(actor: Actor, subject: Subject, id: string) {
    manage(subject);
    void actor;
    const r = await recordFor(db, subject, id);
    const components = await componentsOf(db, r.id);
    const history = await historyOf(db, r.id);
    const now = clock();
    return {
      ...recordView(r, components.filter((c) => c.clearedAt === null).length, now),
      note: r.note,
      actions: operatorEventsFrom(r.state as RemediationState),
      components: components.map((c) => ({ ...c, matchedAt: c.matchedAt.toISOString(), clearedAt: c.clearedAt?.toISOString() ?? null })),
      history: history.map((h) => ({ ...h, by: h.by ?? null, at: h.at.toISOString() })),
    };
  }

  async function transitionRecord(actor: Actor, subject: Subject, id: string, body: z.infer<typeof TransitionBody>) {
    manage(subject);
    await db.transaction(async (tx) => {
      const rec = await recordFor(tx, subject, id, true);
      const now = clock();
      const from = rec.state as RemediationState;
      const riskExpiresAt = body.riskExpiresAt ? new Date(body.riskExpiresAt) : null;
      const r = transition(from, body.event, { justification: body.justification ?? null, riskExpiresAt, now });
      if (!r.ok) {
        if (r.reason === 'invalid-transition') throw new InvalidTransitionError('remediation', from, body.event);
        if (r.reason === 'justification-required')
          throw new ValidationError('Not affected needs a VEX justification.', [{ path: 'justification', message: 'Give a CSAF or CycloneDX VEX justification.' }]);
        throw new ValidationError(OUT_OF_RANGE, [{ path: 'riskExpiresAt', message: r.reason === 'expiry-required' ? 'Required when accepting a risk.' : OUT_OF_RANGE }]);
      }
      const closing = r.to === 'patched' || r.to === 'not_affected';
      const [updated] = await tx
        .update(remediationRecords)
        .set({
          state: r.to,
          justification: r.to === 'not_affected' ? body.justification! : null,
          riskExpiresAt: r.to === 'risk_accepted' ? riskExpiresAt : null,
          note: body.note ?? rec.note,
          closedAt: closing ? now : null,
          updatedAt: now,
        })
        .where(eq(remediationRecords.id, rec.id))
        .returning();
      const why = [body.justification, riskExpiresAt ? `until ${riskExpiresAt.toISOString().slice(0, 10)}` : null, body.note].filter(Boolean).join(' — ');
      await writeHistory(tx, rec.id, body.event, from, r.to, subject.userId, why || null, now);
      if (r.to === 'risk_accepted') await queue.send(tx, RISK_EXPIRY_JOB, { id: rec.id }, { startAfter: riskExpiresAt! });
      await audit.record(tx, {
        actor,
        action: `remediation.${body.event}`,
        recordType: 'remediation_record',
        recordId: rec.id,
        ownerOrgId: rec.ownerOrgId,
        marking: marking(updated),
        detail: { from, to: r.to, justification: body.justification ?? null, riskExpiresAt: riskExpiresAt?.toISOString() ?? null },
      });
    });
    return getRecord(actor, subject, id);
  }

  // ---- coordinators and delivery ---------------------------------------------------------------

  async function advisoryDeliveries(actor: Actor, subject: Subject, advisoryId: string, page: { limit: number; offset: number }) {
    if (!can(subject, 'clearinghouse:coordinate')) throw new ForbiddenError('Delivery status is for clearinghouse coordinators.');
    void actor;
    const ids = await advisoryIdsFor(db, advisoryId);
    if (!ids.length) throw new NotFoundError('advisory');
    const records = await recordsOfAdvisories(db, ids, page);
    const { operators, totals } = await advisoryTotals(db, ids);
    const recordIds = records.map(({ r }) => r.id);
    const deliveries = recordIds.length ? await deliveriesWhere(db, and(overlaps(notificationDeliveries.recordIds, recordIds), overlaps(notificationDeliveries.advisoryIds, ids)), 10_000) : [];
    const byRecord = new Map<string, ReturnType<typeof deliveryView>[]>();
    for (const d of deliveries)
      for (const rid of d.d.recordIds) {
        const list = byRecord.get(rid) ?? [];
        list.push(deliveryView(d, false));
        byRecord.set(rid, list);
      }
    return {
      advisoryId,
      operators: records.map(({ r, orgName, sector }) => ({
        orgId: r.ownerOrgId,
        orgName,
        sector,
        remediationId: r.id,
        state: r.state as RemediationState,
        dueAt: r.dueAt.toISOString(),
        deliveries: byRecord.get(r.id) ?? [],
      })),
      total: operators,
      limit: page.limit,
      offset: page.offset,
      totals,
    };
  }

  /** Dead letters a subject may see: all (platform administrators), advisory notices (coordinators), its own (operators). */
  function deadScope(subject: Subject): SQL {
    if (can(subject, 'jobs:read')) return sql`true`;
    if (can(subject, 'clearinghouse:coordinate')) return sql`cardinality(${notificationDeliveries.advisoryIds}) > 0`;
    if (can(subject, 'remediation:manage')) return eq(notificationDeliveries.orgId, subject.orgId);
    throw new ForbiddenError('Dead letters are for coordinators, platform administrators and the operator concerned.');
  }

  async function deadLetters(actor: Actor, subject: Subject, limit: number) {
    const scope = deadScope(subject);
    void actor;
    const rows = await deliveriesWhere(db, and(scope, eq(notificationDeliveries.status, 'dead')), limit);
    return rows.map((row) => ({
      ...deliveryView(row, row.d.orgId === subject.orgId),
      orgId: row.d.orgId,
      orgName: row.orgName ?? '',
      advisoryIds: row.d.advisoryIds,
      redeliveries: row.d.redeliveries,
    }));
  }

  async function redeliver(actor: Actor, subject: Subject, id: string) {
    const scope = deadScope(subject);
    await db.transaction(async (tx) => {
      const [d] = await tx
        .select()
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.channelKind, 'webhook'), scope))
        .for('update');
      if (!d) throw new NotFoundError('delivery');
      if (d.status !== 'dead') throw new ConflictError(`This delivery is ${d.status}; only a dead-lettered one can be sent again.`);
      await tx
        .update(notificationDeliveries)
        .set({ status: 'queued', attempts: 0, deadAt: null, nextAttemptAt: null, redeliveries: d.redeliveries + 1 })
        .where(eq(notificationDeliveries.id, id));
      await queue.send(tx, WEBHOOK_DELIVER_JOB, { id });
      await audit.record(tx, { actor, action: 'notifications.delivery.redeliver', recordType: 'notification_delivery', recordId: id, ownerOrgId: d.orgId, detail: { channelKind: d.channelKind, redeliveries: d.redeliveries + 1 } });
    });
  }

  /** Sends a signed test event to one of the operator's webhooks now and says what came back. */
  async function testChannel(actor: Actor, subject: Subject, channelId: string) {
    if (!can(subject, 'inventory:manage')) throw new ForbiddenError('Testing a notification channel needs the operator staff role.');
    const [c] = await db
      .select()
      .from(inventoryChannels)
      .where(and(eq(inventoryChannels.id, channelId), eq(inventoryChannels.orgId, subject.orgId)));
    if (!c) throw new NotFoundError('notification channel');
    if (c.kind !== 'webhook') throw new ConflictError('Only a webhook channel can be tested this way.');
    const target = await webhooks.secretOf(c.id);
    if (!target) throw new ConflictError('This webhook has no signing secret; add it again.');
    const now = clock();
    const id = crypto.randomUUID();
    const body = JSON.stringify({ id, type: 'test', createdAt: now.toISOString(), message: 'A test event from Forewarn: if its signature verifies, this channel is ready.' });
    const result = await webhooks.post(target.address, target.secret, id, 'test', body);
    await db.transaction(async (tx) => {
      await tx.insert(notificationDeliveries).values({
        id,
        orgId: c.orgId,
        channelId: c.id,
        channelKind: 'webhook',
        address: c.address,
        event: 'test',
        body,
        status: result.ok ? 'delivered' : 'failed',
        attempts: 1,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        createdAt: now,
        deliveredAt: result.ok ? clock() : null,
      });
      await audit.record(tx, { actor, action: 'inventory.channel.test', recordType: 'inventory_channel', recordId: c.id, ownerOrgId: c.orgId, detail: { delivered: result.ok, statusCode: result.statusCode } });
    });
    return { deliveryId: id, delivered: result.ok, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs };
  }

  // ---- jobs ------------------------------------------------------------------------------------

  /** Sends an operator's pending low-severity matches as one message per channel. */
  async function sendDigest(orgId: string): Promise<number> {
    return db.transaction(async (tx) => {
      const pending = await tx
        .select()
        .from(remediationRecords)
        .where(and(eq(remediationRecords.ownerOrgId, orgId), eq(remediationRecords.digestPending, true)))
        .orderBy(asc(remediationRecords.openedAt), asc(remediationRecords.id))
        .limit(500)
        .for('update');
      // Closed before the digest went out: nothing to tell.
      const still = pending.filter((r) => isOpen(r.state as RemediationState));
      await tx
        .update(remediationRecords)
        .set({ digestPending: false })
        .where(
          inArray(
            remediationRecords.id,
            pending.map((r) => r.id),
          ),
        );
      // More were pending than one digest takes: the rest go in another, right away, or they would wait
      // for a job that queueDigest no longer sends while any record is pending.
      if (pending.length === 500) await queue.send(tx, DIGEST_JOB, { orgId });
      if (!still.length) return 0;
      await sendNotices(tx, orgId, still, true);
      await audit.record(tx, { actor: SYSTEM_ACTOR, action: 'remediation.digest.send', recordType: 'organisation', recordId: orgId, ownerOrgId: orgId, detail: { records: still.length } });
      return still.length;
    });
  }

  async function expireRisk(id: string): Promise<void> {
    await db.transaction(async (tx) => {
      const now = clock();
      const [rec] = await tx
        .select()
        .from(remediationRecords)
        .where(and(eq(remediationRecords.id, id), eq(remediationRecords.state, 'risk_accepted')))
        .for('update');
      // Accepted again with a later expiry (its own job will come) or already moved on.
      if (!rec || !rec.riskExpiresAt || rec.riskExpiresAt.getTime() > now.getTime()) return;
      const r = transition('risk_accepted', 'risk_expired', { now });
      if (!r.ok) return;
      const [updated] = await tx.update(remediationRecords).set({ state: r.to, riskExpiresAt: null, updatedAt: now }).where(eq(remediationRecords.id, id)).returning();
      await writeHistory(tx, id, 'risk_expired', 'risk_accepted', r.to, null, 'the accepted risk expired', now);
      await notify.notify(tx, { orgIds: [rec.ownerOrgId], roles: ['operator_staff'], title: 'An accepted risk has expired', body: 'A remediation record needs a new decision. Sign in to read it.', link: `/remediation/${id}` });
      await audit.record(tx, { actor: SYSTEM_ACTOR, action: 'remediation.risk_expired', recordType: 'remediation_record', recordId: id, ownerOrgId: rec.ownerOrgId, marking: marking(updated), detail: { to: r.to } });
    });
  }

  const jobs: JobDefinition<any>[] = [
    webhooks.job,
    { name: DIGEST_JOB, retryLimit: 5, retryDelaySeconds: 60, handler: async ({ orgId }: { orgId: string }) => void (await sendDigest(orgId)) },
    { name: RISK_EXPIRY_JOB, retryLimit: 5, retryDelaySeconds: 60, handler: ({ id }: { id: string }) => expireRisk(id) },
  ];

  /** At start: risks that expired while no worker ran are caught up (their jobs would too, later). */
  async function startup(): Promise<void> {
    const now = clock();
    const expired = await db
      .select({ id: remediationRecords.id })
      .from(remediationRecords)
      .where(and(eq(remediationRecords.state, 'risk_accepted'), sql`${remediationRecords.riskExpiresAt} <= ${now.toISOString()}::timestamptz`))
      .limit(1000);
    for (const r of expired) await expireRisk(r.id);
  }

  return {
    onMatchEvents,
    board,
    getRecord,
    transitionRecord,
    advisoryDeliveries,
    deadLetters,
    redeliver,
    testChannel,
    sendDigest,
    expireRisk,
    attemptDelivery: webhooks.attempt,
    jobs,
    startup,
  };
}

export type RemediationService = ReturnType<typeof createRemediationService>;
