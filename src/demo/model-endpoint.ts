import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { models } from '../db/schema.ts';
import { startModelServer, type ModelServer } from '../dev/model-server.ts';
import { findUserByEmail } from '../modules/identity/identity.dal.ts';
import { subjectFor } from '../modules/identity/identity.fns.ts';
import { sampleAnswerKey } from '../modules/evaluations/demo.ts';
import type { Services } from '../server/services.ts';

export const DEMO_UPSTREAM_MODEL = 'meridian-atlas-2';

/**
 * The demo's stand-in for Meridian's own inference API: the reference model server on 127.0.0.1,
 * registered as the demo model's upstream endpoint at every demo start (its port changes), so the
 * gateway and evaluation runs work on a laptop with no outside model. Only `serve --demo` calls this;
 * an endpoint a user registered by hand (anything not on 127.0.0.1) is left alone.
 */
export async function startDemoModelEndpoint(services: Services, db: Db): Promise<ModelServer | null> {
  const lab = await findUserByEmail(db, 'lab.admin@meridian.demo');
  const [model] = await db.select({ id: models.id }).from(models).where(eq(models.name, 'Meridian Atlas')).limit(1);
  if (!lab || !model) return null;
  const subject = subjectFor(lab.user, lab.org, false);
  const actor = { subject, email: lab.user.email, orgName: lab.org.name, ip: null, via: 'system' as const };
  const current = await services.gateway.getEndpoint(actor, subject, model.id).catch(() => null);
  if (current && !/^https?:\/\/127\.0\.0\.1[:/]/.test(current.baseUrl)) return null;
  const key = `demo-${randomBytes(18).toString('base64url')}`;
  // 85 % accuracy on multiple choice, so the sample suite's results have something to show.
  const server = await startModelServer({ host: '127.0.0.1', port: 0, key, models: [DEMO_UPSTREAM_MODEL], accuracy: 0.85, answerKey: sampleAnswerKey() });
  await services.gateway.putEndpoint(actor, subject, model.id, { baseUrl: `${server.url}/v1`, upstreamModel: DEMO_UPSTREAM_MODEL, apiKey: key });
  return server;
}
