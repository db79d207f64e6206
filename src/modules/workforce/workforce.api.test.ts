import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { seedWorkforceDemo } from './demo.ts';

let t: TestInstance;
let agency: Client;
let candidate: Client;
let rival: Client;
let nsa: Client;
let applicant: Client;
let postingIds: string[];
const anon = () => client(t.url);
const RESUME = Buffer.from('Casey Jordan\nOSCP, CISSP\nRed-teamed LLM agents for two years.\n').toString('base64');
const NOTE = 'Strong panel interview; verify the OSCP number before the offer';

/** A second candidate in the same public organisation: applications are personal, not organisational. */
async function secondCandidate(): Promise<Client> {
  await t.rows(
    `insert into users (org_id, email, name, password_hash, roles, clearance)
     select u.org_id, 'rival@forewarn.demo', 'Riley Val', u.password_hash, '{candidate}', 0 from users u where u.email = 'candidate@forewarn.demo'`,
  );
  return as(t.url, 'rival@forewarn.demo');
}

beforeAll(async () => {
  t = await startTestInstance();
  postingIds = (await seedWorkforceDemo(t.fw.database.db, t.fw.services.workforce))!.postingIds;
  agency = await as(t.url, 'cisa.analyst@cisa.demo');
  candidate = await as(t.url, 'candidate@forewarn.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  applicant = await as(t.url, 'grants@lanternlabs.demo');
  rival = await secondCandidate();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

let seq = 0;
const postingBody = (over: Record<string, unknown> = {}) => ({
  announcementNumber: `TEST-JOB-${++seq}`,
  title: 'AI Red Team Lead (Tech Force)',
  summary: 'Lead red-team exercises against frontier models.',
  duties: 'Plan and run exercises; write findings.',
  hiringPath: 'tech_force',
  payPlan: 'Tech Force band 4',
  payMinUsd: 170_000,
  payMaxUsd: 210_000,
  location: 'Fort Meade, MD',
  workplace: 'onsite',
  clearanceRequired: 'top_secret',
  closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  ...over,
});

async function openPosting(over: Record<string, unknown> = {}) {
  const c = await agency.post('/api/v1/job-postings', postingBody(over));
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const o = await agency.post(`/api/v1/job-postings/${c.body.id}/open`);
  expect(o.status).toBe(200);
  return c.body.id as string;
}

async function profile(c: Client) {
  const r = await c.request('PUT', '/api/v1/candidate-profile', { headline: 'Offensive security engineer', skills: ['fuzzing', 'LLM red teaming'], certifications: ['OSCP'], clearanceHeld: 'secret' });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

describe('postings', () => {
  it('open postings are public with nothing internal; drafts are not; only hiring managers post (403)', async () => {
    const draft = await agency.post('/api/v1/job-postings', postingBody());
    const pub = await anon().get('/api/v1/public/job-postings');
    expect(pub.status).toBe(200);
    const ids = pub.body.items.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining(postingIds));
    expect(ids).not.toContain(draft.body.id);
    expect((await anon().get(`/api/v1/public/job-postings/${draft.body.id}`)).status).toBe(404);
    const tf = pub.body.items.find((p: { hiringPath: string }) => p.hiringPath === 'tech_force');
    expect(tf).toMatchObject({ agencyName: 'Cybersecurity and Infrastructure Security Agency', clearanceRequired: 'secret', workplace: 'hybrid', phase: 'open' });
    expect(JSON.stringify(pub.body)).not.toMatch(/createdBy|ownerOrgId|"status"|applications|@cisa/);
    for (const who of [candidate, applicant]) expect((await who.post('/api/v1/job-postings', postingBody())).status).toBe(403);
    expect((await candidate.post(`/api/v1/job-postings/${draft.body.id}/open`)).status).toBe(403);
    // Another agency does not see CISA's drafts.
    expect((await nsa.get('/api/v1/job-postings')).status).toBe(403);
    expect((await t.rows<{ status: string }>('select status from job_postings where id = $1', [draft.body.id]))[0].status).toBe('draft');
    expect((await anon().get('/api/v1/job-postings')).status).toBe(401);
  });

  it('refuses a pay range upside down and unbounded strings (400)', async () => {
    expect((await agency.post('/api/v1/job-postings', postingBody({ payMinUsd: 300_000 }))).status).toBe(400);
    expect((await agency.post('/api/v1/job-postings', postingBody({ title: 'x'.repeat(201) }))).status).toBe(400);
  });
});

describe('applications', () => {
  it('candidate applies with an encrypted résumé, the agency moves it with internal notes, the candidate sees status but never the notes', async () => {
    const postingId = await openPosting();
    // No profile yet: refused with the reason.
    const early = await candidate.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: RESUME } });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/profile/);
    await profile(candidate);
    const applied = await candidate.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: RESUME } });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body).toMatchObject({ stage: 'received', stageLabel: 'Application received' });
    const id = applied.body.id as string;
    const [row] = await t.rows<{ resume_enc: string; resume_size_bytes: number; owner_org_id: string }>('select resume_enc, resume_size_bytes, owner_org_id from job_applications where id = $1', [id]);
    expect(row.resume_enc).not.toContain(RESUME.slice(0, 16));
    expect(row.resume_size_bytes).toBe(Buffer.from(RESUME, 'base64').length);
    expect((await candidate.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: RESUME } })).status).toBe(409);

    for (const [to, note] of [
      ['qualified', 'Meets GS-15 equivalent specialised experience'],
      ['referred', null],
      ['interview', NOTE],
      ['offer', 'Offer at band 4 step 2'],
      ['clearance_sponsorship', 'TS investigation opened with DCSA'],
    ] as const) {
      const m = await agency.post(`/api/v1/hiring/applications/${id}/stage`, note ? { to, note } : { to });
      expect(m.status, JSON.stringify(m.body)).toBe(200);
      expect(m.body.stage).toBe(to);
    }
    // A skipped or backward move is refused.
    expect((await agency.post(`/api/v1/hiring/applications/${id}/stage`, { to: 'interview' })).status).toBe(409);
    const full = await agency.get(`/api/v1/hiring/applications/${id}`);
    expect(full.body.events.map((e: { internalNote: string | null }) => e.internalNote)).toContain(NOTE);
    expect(full.body.allowedMoves).toEqual(['onboarded', 'not_selected']);
    const [ev] = await t.rows<{ internal_note_enc: string }>(`select internal_note_enc from job_application_events where application_id = $1 and to_stage = 'interview'`, [id]);
    expect(ev.internal_note_enc).not.toContain('panel interview');

    // The candidate: status and history, in every response no internal note and no mover.
    const mine = await candidate.get(`/api/v1/job-applications/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ stage: 'clearance_sponsorship', stageLabel: 'Security clearance sponsorship in progress' });
    expect(mine.body.history.map((h: { stage: string }) => h.stage)).toEqual(['received', 'qualified', 'referred', 'interview', 'offer', 'clearance_sponsorship']);
    const list = await candidate.get('/api/v1/job-applications');
    for (const body of [mine.body, list.body, applied.body]) {
      const text = JSON.stringify(body);
      for (const secret of [NOTE, 'DCSA', 'GS-15', 'internalNote', 'cisa.analyst', 'movedBy']) expect(text).not.toContain(secret);
    }
    // The agency's routes are closed to the candidate.
    expect((await candidate.get(`/api/v1/hiring/applications/${id}`)).status).toBe(403);
    expect((await candidate.get(`/api/v1/job-postings/${postingId}/applications`)).status).toBe(403);
    expect((await candidate.post(`/api/v1/hiring/applications/${id}/stage`, { to: 'onboarded' })).status).toBe(403);

    // Another candidate (same public organisation) cannot read it; another agency cannot either.
    expect((await rival.get(`/api/v1/job-applications/${id}`)).status).toBe(404);
    expect((await rival.get('/api/v1/job-applications')).body.items).toHaveLength(0);
    expect((await nsa.get(`/api/v1/hiring/applications/${id}`)).status).toBe(403);

    const done = await agency.post(`/api/v1/hiring/applications/${id}/stage`, { to: 'onboarded' });
    expect(done.body.stage).toBe('onboarded');
    expect((await auditRows(t, 'job_application.move')).filter((e) => e.record_id === id)).toHaveLength(6);
    const resume = await agency.get(`/api/v1/hiring/applications/${id}/resume`);
    expect(resume.body.contentBase64).toBe(RESUME);
    const notices = await t.rows<{ body: string }>(`select n.body from notifications n join users u on u.id = n.user_id where u.email = 'candidate@forewarn.demo'`);
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) expect(n.body).not.toContain('DCSA');
  });

  it('refuses a résumé of the wrong type or too large, and an application after the closing date', async () => {
    await profile(rival);
    const postingId = await openPosting();
    expect((await rival.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.pdf', contentType: 'application/pdf', contentBase64: RESUME } })).status).toBe(400);
    const big = Buffer.alloc(2 * 1024 * 1024 + 1, 0x61).toString('base64');
    expect([400, 413]).toContain((await rival.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: big } })).status);
    await t.rows(`update job_postings set closes_at = now() - interval '1 minute' where id = $1`, [postingId]);
    const late = await rival.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: RESUME } });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/closed/);
    expect((await t.rows('select id from job_applications where posting_id = $1', [postingId])).length).toBe(0);
  });

  it('the dashboard shows the pipeline by stage and path, time to hire and sponsorships in progress', async () => {
    const postingId = await openPosting({ hiringPath: 'direct_hire', clearanceRequired: 'secret' });
    const a = await rival.post(`/api/v1/job-postings/${postingId}/applications`, { resume: { filename: 'cv.txt', contentType: 'text/plain', contentBase64: RESUME } });
    expect(a.status).toBe(201);
    for (const to of ['qualified', 'referred', 'interview', 'offer', 'clearance_sponsorship']) await agency.post(`/api/v1/hiring/applications/${a.body.id}/stage`, { to });
    const d = await agency.get('/api/v1/hiring/dashboard');
    expect(d.status).toBe(200);
    expect(d.body.clearanceSponsorshipsInProgress).toBe(1);
    expect(d.body.pipeline.find((p: { stage: string }) => p.stage === 'onboarded')).toMatchObject({ total: 1, byPath: { tech_force: 1 } });
    expect(d.body.pipeline.find((p: { stage: string }) => p.stage === 'clearance_sponsorship').byPath.direct_hire).toBe(1);
    expect(d.body.timeToHireDays.hires).toBe(1);
    expect((await candidate.get('/api/v1/hiring/dashboard')).status).toBe(403);
    expect((await nsa.get('/api/v1/hiring/dashboard')).status).toBe(403);
  });
});
