// Test fixtures: rows the other modules would write (a model, a determination notice, a consultation),
// inserted directly so that the reviews tests depend only on the agreed tables.
import { orgIdOf, userIdOf, type TestInstance } from '../../../tests/support/harness.ts';

export const DAY = 86_400_000;
export const inDays = (d: number) => new Date(Date.now() + d * DAY);

export type Eligibility = 'covered' | 'expired' | 'not_covered' | 'would_benefit' | 'not_needed' | 'none';

export async function insertModel(t: TestInstance, opts: { releaseInDays?: number; eligibility?: Eligibility; name?: string } = {}) {
  const lab = await orgIdOf(t, 'Meridian AI');
  const dev = await userIdOf(t, 'lab.engineer@meridian.demo');
  const release = inDays(opts.releaseInDays ?? 45);
  const [m] = await t.rows<{ id: string }>(
    `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop,
       compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, 1, gen_random_uuid(), $2, '1.0', 'text', $3, 3e26, 'hardware hours', 'fixture', 'fixture', $4) returning id`,
    [lab, opts.name ?? `Fixture ${Math.random().toString(36).slice(2, 8)}`, release.toISOString(), dev],
  );
  const kr = t.fw.services.keyring;
  await t.rows('update models set intended_deployment_enc = $2, capability_summary_enc = $3 where id = $1', [
    m.id,
    kr.encrypt('Fixture deployment', `models.intended_deployment_enc:${m.id}`),
    kr.encrypt('Fixture capabilities', `models.capability_summary_enc:${m.id}`),
  ]);
  const e = opts.eligibility ?? 'covered';
  if (e === 'covered' || e === 'expired' || e === 'not_covered') {
    await t.rows(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, expires_at, reevaluation_triggers, decided_at)
       values ($1, 1, $2, gen_random_uuid(), $3, 'fixture summary', $4, '{}', now())`,
      [lab, m.id, e === 'not_covered' ? 'not_covered' : 'covered', e === 'expired' ? inDays(-1).toISOString() : inDays(180).toISOString()],
    );
  }
  if (e === 'would_benefit' || e === 'not_needed') {
    await t.rows(
      `insert into consultations (owner_org_id, classification, model_id, question_enc, status, created_by, recommendation)
       values ($1, 1, $2, 'fixture', 'answered', $3, $4)`,
      [lab, m.id, dev, e],
    );
  }
  return { id: m.id, release, lab, dev };
}

export async function modelSnapshot(t: TestInstance, modelId: string) {
  const [m] = await t.rows<{ planned_release_at: Date; status: string }>('select planned_release_at, status from models where id = $1', [modelId]);
  const changes = await t.rows('select id, from_at, to_at from model_release_changes where model_id = $1 order by created_at', [modelId]);
  const windows = await t.rows('select id, status, opens_at, closes_at, closed_at from review_windows where model_id = $1 order by created_at', [modelId]);
  const grants = await t.rows("select id, grantee_org_id, expires_at, revoked_at from access_grants where record_type = 'model' and record_id = $1 order by created_at, id", [modelId]);
  return JSON.parse(JSON.stringify({ releaseAt: new Date(m.planned_release_at).toISOString(), status: m.status, changes, windows, grants }));
}

/** A disclosure document of the model, encrypted as the models module stores it. */
export async function insertDocument(t: TestInstance, m: { id: string; lab: string; dev: string }) {
  const [d] = await t.rows<{ id: string }>(
    `insert into model_documents (owner_org_id, classification, model_id, kind, title, filename, media_type, size_bytes, sha256, content_enc, created_by)
     values ($1, 1, $2, 'model_card', 'Card', 'card.md', 'text/markdown', 4, 'x', 'x', $3) returning id`,
    [m.lab, m.id, m.dev],
  );
  await t.rows('update model_documents set content_enc = $2 where id = $1', [d.id, t.fw.services.keyring.encrypt(Buffer.from('card').toString('base64'), `model_documents.content_enc:${d.id}`)]);
  return d.id;
}
