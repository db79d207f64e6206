// Webhook delivery: one POST per attempt to the channel's address, signed afresh each time (see
// README.md), with a timeout. Retries are scheduled here rather than by the queue's own retry, so
// the delivery log always says how many attempts were made and when the next one is due, and the
// last failure lands in the dead-letter view with nothing lost: the body is kept and can be sent
// again. A crash between the POST and the log update makes the queue run the job again
// (at-least-once); receivers dedupe on Forewarn-Delivery.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import type { Keyring } from '../../../lib/crypto/keyring.ts';
import type { JobDefinition, Queue } from '../../jobs/queue.ts';
import { inventoryChannels } from '../../inventory/inventory.schema.ts';
import { notificationDeliveries } from '../../inventory/remediation/remediation.schema.ts';
import { afterAttempt, isSuccessStatus, WEBHOOK_TIMEOUT_MS } from './delivery.fns.ts';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signing.ts';
import { EgressRefusedError, postGuarded } from './egress.ts';

export const WEBHOOK_DELIVER_JOB = 'notifications.webhook.deliver';

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export function createWebhookDelivery({ db, keyring, queue, clock, allowPrivate = false }: { db: Db; keyring: Keyring; queue: Queue; clock: () => Date; allowPrivate?: boolean }) {
  async function secretOf(channelId: string): Promise<{ address: string; secret: string } | null> {
    const [c] = await db.select().from(inventoryChannels).where(and(eq(inventoryChannels.id, channelId), eq(inventoryChannels.kind, 'webhook')));
    if (!c?.secretEnc) return null;
    return { address: c.address, secret: keyring.decrypt(c.secretEnc, `inventory_channels.secret_enc:${c.id}`) };
  }

  /** One signed POST. Never throws: a refused connection or a timeout is a failed attempt. */
  async function post(address: string, secret: string, deliveryId: string, event: string, body: string): Promise<PostResult> {
    const started = Date.now();
    const t = Math.floor(clock().getTime() / 1000);
    try {
      const res = await postGuarded(address, {
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        allowPrivate,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Forewarn-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(secret, t, body),
          'Forewarn-Delivery': deliveryId,
          'Forewarn-Event': event,
        },
        body,
      });
      return { ok: isSuccessStatus(res.status), statusCode: res.status, error: isSuccessStatus(res.status) ? null : `HTTP ${res.status}`, durationMs: Date.now() - started };
    } catch (err) {
      const e = err as Error & { code?: string; cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : e instanceof EgressRefusedError ? `refused: ${e.message}` : (e.code ?? e.cause?.code ?? e.message);
      return { ok: false, statusCode: null, error: String(why).slice(0, 300), durationMs: Date.now() - started };
    }
  }

  /** Makes one attempt of a queued or retrying delivery and schedules what follows. */
  async function attempt(id: string): Promise<void> {
    const [d] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
    if (!d || !(d.status === 'queued' || d.status === 'retrying') || d.channelKind !== 'webhook' || d.body === null) return;
    const target = d.channelId ? await secretOf(d.channelId) : null;
    const result: PostResult = target
      ? await post(target.address, target.secret, d.id, d.event, d.body)
      : { ok: false, statusCode: null, error: 'the channel was removed', durationMs: 0 };
    const attempts = d.attempts + 1;
    // A removed channel will not come back: dead-letter at once rather than retry for hours.
    const outcome = target ? afterAttempt(result.ok, attempts) : ({ kind: 'dead' } as const);
    const now = clock();
    await db.transaction(async (tx) => {
      const common = { attempts, lastStatusCode: result.statusCode, lastError: result.error };
      const claimed = await tx
        .update(notificationDeliveries)
        .set(
          outcome.kind === 'delivered'
            ? { ...common, status: 'delivered', deliveredAt: now, nextAttemptAt: null }
            : outcome.kind === 'dead'
              ? { ...common, status: 'dead', deadAt: now, nextAttemptAt: null }
              : { ...common, status: 'retrying', nextAttemptAt: new Date(now.getTime() + outcome.after * 1000) },
        )
        // Only the attempt that read this state may move it (a redelivery or a twin job loses).
        .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.attempts, d.attempts), inArray(notificationDeliveries.status, ['queued', 'retrying'])))
        .returning({ id: notificationDeliveries.id });
      if (claimed.length && outcome.kind === 'retry') await queue.send(tx, WEBHOOK_DELIVER_JOB, { id }, { startAfter: new Date(now.getTime() + outcome.after * 1000) });
    });
  }

  const job: JobDefinition<{ id: string }> = {
    name: WEBHOOK_DELIVER_JOB,
    // Our own schedule handles failed POSTs; the queue's retry only covers a crashed worker.
    retryLimit: 3,
    retryDelaySeconds: 30,
    handler: ({ id }) => attempt(id),
  };

  return { job, attempt, post, secretOf };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
