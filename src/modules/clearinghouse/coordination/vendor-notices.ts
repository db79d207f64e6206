// Telling vendors: one job per vendor and notice (a failing delivery to one vendor neither holds
// back nor repeats the others'), and a daily sweep that reminds silent vendors.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import type { ModuleDeps } from '../../../server/module-deps.ts';
import { SYSTEM_ACTOR } from '../../access/actor.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import * as dal from './coordination.dal.ts';
import { coordinationCaseVendors } from './coordination.schema.ts';

export const NOTIFY_VENDOR_JOB = 'coordination.notify-vendor';
export const REMIND_SWEEP_JOB = 'coordination.remind-silent';
const REMIND_SWEEP_CRON = '0 13 * * *';
const DAY = 86_400_000;

export type NoticeKind = 'opened' | 'added' | 'reminder' | 'message' | 'embargo';
interface NotifyVendorJob {
  caseId: string;
  vendorOrgId: string;
  kind: NoticeKind;
}

// Emails carry no case content (the title and thread are CUI): they say where to sign in.
const NOTICES: Record<NoticeKind, { title: string; body: string }> = {
  opened: { title: 'New coordinated vulnerability case', body: 'A vulnerability that may affect your products is under coordinated disclosure. Sign in to read it under embargo and state, for each product, whether it is affected.' },
  added: { title: 'New coordinated vulnerability case', body: 'Your organisation was added to a coordinated vulnerability case. Sign in to read it under embargo and state, for each product, whether it is affected.' },
  reminder: { title: 'Reminder: a vulnerability case awaits your statement', body: 'Your organisation has not yet answered a coordinated vulnerability case. Sign in to state whether your products are affected, or write to the coordinators.' },
  message: { title: 'New message in a vulnerability case', body: 'The coordinators wrote to your organisation in a coordinated vulnerability case. Sign in to read it.' },
  embargo: { title: 'Embargo changed in a vulnerability case', body: 'The public release time of a coordinated vulnerability case your organisation takes part in has changed. Sign in to see the new time.' },
};

export const caseLink = (id: string) => `/clearinghouse/cases/${id}`;

export function createVendorNotices({ db, audit, notify, queue, clock }: Pick<ModuleDeps, 'db' | 'audit' | 'notify' | 'queue' | 'clock'>, reminderEveryDays: number) {
  async function send(tx: DbOrTx, caseId: string, vendorOrgIds: readonly string[], kind: NoticeKind) {
    for (const vendorOrgId of vendorOrgIds) await queue.send(tx, NOTIFY_VENDOR_JOB, { caseId, vendorOrgId, kind } satisfies NotifyVendorJob);
  }

  async function deliverNotice(d: NotifyVendorJob) {
    const now = clock();
    await db.transaction(async (tx) => {
      const c = await dal.caseById(tx, d.caseId);
      const p = c && (await dal.participation(tx, d.caseId, d.vendorOrgId));
      if (!c || !p || c.status !== 'open') return;
      if (d.kind === 'reminder' && (p.respondedAt || !p.notifiedAt)) return;
      const recipients = await notify.notify(tx, { orgIds: [d.vendorOrgId], roles: ['vendor_coordinator'], ...NOTICES[d.kind], link: caseLink(c.id) });
      const set =
        d.kind === 'reminder'
          ? { remindersSent: sql`${coordinationCaseVendors.remindersSent} + 1`, lastRemindedAt: now }
          : { notifiedAt: sql`coalesce(${coordinationCaseVendors.notifiedAt}, ${now.toISOString()}::timestamptz)` };
      await tx
        .update(coordinationCaseVendors)
        .set(set)
        .where(and(eq(coordinationCaseVendors.caseId, c.id), eq(coordinationCaseVendors.vendorOrgId, d.vendorOrgId)));
      await audit.record(tx, { actor: SYSTEM_ACTOR, action: 'coordination_case.vendor_notified', recordType: 'coordination_case', recordId: c.id, marking: c, ownerOrgId: c.ownerOrgId, detail: { vendorOrgId: d.vendorOrgId, kind: d.kind, recipients } });
    });
  }

  /** Queues a reminder for every silent vendor whose last notice is older than the reminder interval. */
  async function remindSweep(): Promise<number> {
    const now = clock();
    const due = await dal.silentVendorsDue(db, new Date(now.getTime() - reminderEveryDays * DAY), 5000);
    if (due.length === 0) return 0;
    await db.transaction(async (tx) => {
      for (const d of due) await queue.send(tx, NOTIFY_VENDOR_JOB, { caseId: d.caseId, vendorOrgId: d.vendorOrgId, kind: 'reminder' } satisfies NotifyVendorJob);
    });
    return due.length;
  }

  const jobs: JobDefinition<any>[] = [
    { name: NOTIFY_VENDOR_JOB, retryLimit: 5, handler: async (d: NotifyVendorJob) => deliverNotice(d) },
    { name: REMIND_SWEEP_JOB, retryLimit: 1, handler: async () => void (await remindSweep()) },
  ];

  return {
    send,
    jobs,
    remindSweep,
    startup: async () => {
      await queue.boss.schedule(REMIND_SWEEP_JOB, REMIND_SWEEP_CRON, {}, { tz: 'UTC' });
    },
  };
}
