import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { seedGrantsDemo } from './demo.ts';

let t: TestInstance;
let officer: Client;
let applicant: Client;
let other: Client;
let nist: Client;
let dod: Client;
let hospital: Client;
let bank: Client;
let demo: { opportunityId: string; serviceIds: string[] };
const anon = () => client(t.url);

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n').toString('base64');
const ATTESTATIONS = { us_entity: true, us_ownership: true, not_debarred: true, responsible_disclosure: true };
const SECTIONS = { technical_approach: 'Static and dynamic analysis guided by a code model.', impact: 'Covers EHR and SCADA stacks.', team: 'Ten engineers with prior DARPA AIxCC work.' };
const budget = (a: number, b: number) => ({ years: 2, lines: [{ category: 'personnel', amounts: [a, a] }, { category: 'compute', amounts: [b, b] }], declaredTotal: 2 * (a + b) });

/** A second applicant organisation with its own grantee user (same demo password). */
async function secondApplicant(): Promise<Client> {
  await t.rows(`insert into organisations (name, kind) values ('Beacon Code Works', 'grantee')`);
  await t.rows(
    `insert into users (org_id, email, name, password_hash, roles, clearance)
     select o.id, 'grants@beaconcode.demo', 'Bea Con', u.password_hash, '{grantee_staff}', 0
     from organisations o, users u where o.name = 'Beacon Code Works' and u.email = 'grants@lanternlabs.demo'`,
  );
  return as(t.url, 'grants@beaconcode.demo');
}

beforeAll(async () => {
  t = await startTestInstance();
  demo = (await seedGrantsDemo(t.fw.database.db, t.fw.services.grants))!;
  officer = await as(t.url, 'cisa.analyst@cisa.demo');
  applicant = await as(t.url, 'grants@lanternlabs.demo');
  nist = await as(t.url, 'nist.analyst@nist.demo');
  dod = await as(t.url, 'dod.analyst@dod.demo');
  hospital = await as(t.url, 'it@prairiehospital.demo');
  bank = await as(t.url, 'it@heartlandbank.demo');
  other = await secondApplicant();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

let seq = 0;
function opportunityBody(over: Record<string, unknown> = {}) {
  seq++;
  return {
    number: `TEST-OPP-${seq}`,
    title: `Test opportunity ${seq}`,
    program: 'AI Cyber Defense Tools Program',
    summary: 'Funds AI vulnerability-detection tools.',
    eligibility: { orgKinds: ['grantee'], minEmployees: null, maxEmployees: 500, requiredAttestations: ['us_entity', 'us_ownership', 'not_debarred', 'responsible_disclosure'] },
    floorUsd: 100_000,
    ceilingUsd: 600_000,
    totalFundingUsd: 1_000_000,
    expectedAwards: 3,
    opensAtLocal: '2026-01-05T09:00',
    closesAtLocal: '2030-12-10T17:00',
    timeZone: 'America/Chicago',
    budgetYears: 2,
    requiredSections: [
      { key: 'technical_approach', title: 'Technical approach' },
      { key: 'impact', title: 'Impact' },
      { key: 'team', title: 'Team' },
    ],
    rubric: [
      { key: 'merit', title: 'Technical merit', description: 'Soundness of approach', weight: 60 },
      { key: 'impact', title: 'Impact', description: 'Reach into critical infrastructure', weight: 40 },
    ],
    ...over,
  };
}

async function publishedOpportunity(over: Record<string, unknown> = {}) {
  const c = await officer.post('/api/v1/grant-opportunities', opportunityBody(over));
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const p = await officer.post(`/api/v1/grant-opportunities/${c.body.id}/publish`);
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  return p.body as { id: string; number: string };
}

async function completeDraft(opportunityId: string, by: Client = applicant, total = [200_000, 50_000]) {
  const a = await by.post('/api/v1/grant-applications', { opportunityId, projectTitle: 'Lantern Sweep' });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  const s = await by.patch(`/api/v1/grant-applications/${a.body.id}`, { declaredEmployees: 42, sections: SECTIONS, budget: budget(total[0], total[1]), attestations: ATTESTATIONS });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  expect(s.body.missing).toEqual([]);
  return a.body.id as string;
}

async function submitted(opportunityId: string, by: Client = applicant, total?: number[]) {
  const id = await completeDraft(opportunityId, by, total);
  const r = await by.post(`/api/v1/grant-applications/${id}/submit`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return id;
}

describe('funding opportunities', () => {
  it('stores open and close as instants with the stated IANA zone, and shows both', async () => {
    const r = await officer.post('/api/v1/grant-opportunities', opportunityBody({ closesAtLocal: '2030-12-10T17:00', timeZone: 'America/Chicago' }));
    expect(r.status).toBe(201);
    expect(r.body.closesAt.at).toBe('2030-12-10T23:00:00.000Z');
    expect(r.body.closesAt.local).toBe('2030-12-10T17:00');
    expect(r.body.closesAt.display).toContain('America/Chicago');
    const [row] = await t.rows<{ closes_at: Date; time_zone: string; status: string }>('select closes_at, time_zone, status from grant_opportunities where id = $1', [r.body.id]);
    expect(new Date(row.closes_at).toISOString()).toBe('2030-12-10T23:00:00.000Z');
    expect(row).toMatchObject({ time_zone: 'America/Chicago', status: 'draft' });
    expect((await auditRows(t, 'grant_opportunity.create')).some((e) => e.record_id === r.body.id)).toBe(true);
  });

  it('refuses an unknown time zone, a close before the open, and a floor above the ceiling (400, nothing written)', async () => {
    const before = (await t.rows('select id from grant_opportunities')).length;
    for (const over of [{ timeZone: 'Mars/Olympus_Mons' }, { opensAtLocal: '2030-12-11T09:00' }, { floorUsd: 700_000 }]) {
      const r = await officer.post('/api/v1/grant-opportunities', opportunityBody(over));
      expect(r.status, JSON.stringify(over)).toBe(400);
    }
    expect((await t.rows('select id from grant_opportunities')).length).toBe(before);
  });

  it('only a program officer creates or publishes (403 for applicants and reviewers; the draft stays a draft)', async () => {
    const c = await officer.post('/api/v1/grant-opportunities', opportunityBody());
    expect(c.status).toBe(201);
    for (const who of [applicant, nist, hospital]) {
      expect((await who.post('/api/v1/grant-opportunities', opportunityBody())).status).toBe(403);
      expect((await who.post(`/api/v1/grant-opportunities/${c.body.id}/publish`)).status).toBe(403);
    }
    const [row] = await t.rows<{ status: string }>('select status from grant_opportunities where id = $1', [c.body.id]);
    expect(row.status).toBe('draft');
  });

  it('published opportunities are public and carry nothing internal; drafts are not public', async () => {
    const draft = await officer.post('/api/v1/grant-opportunities', opportunityBody());
    const list = await anon().get('/api/v1/public/grant-opportunities');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((o: { id: string }) => o.id);
    expect(ids).toContain(demo.opportunityId);
    expect(ids).not.toContain(draft.body.id);
    expect((await anon().get(`/api/v1/public/grant-opportunities/${draft.body.id}`)).status).toBe(404);
    const one = await anon().get(`/api/v1/public/grant-opportunities/${demo.opportunityId}`);
    expect(one.status).toBe(200);
    expect(one.body.agencyName).toBe('Cybersecurity and Infrastructure Security Agency');
    const text = JSON.stringify([list.body, one.body]);
    for (const internal of ['createdBy', 'ownerOrgId', 'awardedUsd', 'availableUsd', 'applicationsSubmitted', 'status', '@cisa.demo', 'publishedAt']) expect(text).not.toContain(internal);
    // The officer's own view has the internal figures.
    expect((await officer.get(`/api/v1/grant-opportunities/${demo.opportunityId}`)).body).toMatchObject({ status: 'published', availableUsd: 6_000_000 });
    // The internal routes are closed to the public and to other organisations.
    expect((await anon().get('/api/v1/grant-opportunities')).status).toBe(401);
    expect((await nist.get(`/api/v1/grant-opportunities/${demo.opportunityId}`)).status).toBe(404);
  });
});

describe('applications', () => {
  it('saves drafts, refuses an incomplete submission with each missing part named, and records eligibility on submission', async () => {
    const a = await applicant.post('/api/v1/grant-applications', { opportunityId: demo.opportunityId, projectTitle: 'Lantern Sweep' });
    expect(a.status).toBe(201);
    const s = await applicant.patch(`/api/v1/grant-applications/${a.body.id}`, { sections: { technical_approach: 'Draft text' }, budget: { ...budget(200_000, 50_000), declaredTotal: 1 } });
    expect(s.status).toBe(200);
    expect(s.body.missing.join(' ')).toMatch(/Impact on critical infrastructure/);
    expect(s.body.missing.join(' ')).toMatch(/add up to \$500000, not \$1/);
    const [row] = await t.rows<{ sections_enc: string; budget_total_usd: string }>('select sections_enc, budget_total_usd from grant_applications where id = $1', [a.body.id]);
    expect(row.sections_enc).not.toContain('Draft text');
    expect(Number(row.budget_total_usd)).toBe(500_000);

    const r = await applicant.post(`/api/v1/grant-applications/${a.body.id}/submit`);
    expect(r.status).toBe(400);
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['sections.impact', 'sections.team', 'budget.declaredTotal', 'attestations.us_entity', 'declaredEmployees']));
    expect((await t.rows<{ status: string }>('select status from grant_applications where id = $1', [a.body.id]))[0].status).toBe('draft');

    const done = await applicant.patch(`/api/v1/grant-applications/${a.body.id}`, { declaredEmployees: 42, sections: SECTIONS, budget: budget(200_000, 50_000), attestations: ATTESTATIONS });
    expect(done.body.missing).toEqual([]);
    const ok = await applicant.post(`/api/v1/grant-applications/${a.body.id}/submit`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('submitted');
    expect(ok.body.eligibilityCheck).toMatchObject({ eligible: true, reasons: [] });
    const [sub] = await t.rows<{ status: string; eligibility_check: { eligible: boolean } }>('select status, eligibility_check from grant_applications where id = $1', [a.body.id]);
    expect(sub.status).toBe('submitted');
    expect(sub.eligibility_check.eligible).toBe(true);
    expect((await auditRows(t, 'grant_application.submit')).some((e) => e.record_id === a.body.id)).toBe(true);
    // Submitted: no more edits.
    expect((await applicant.patch(`/api/v1/grant-applications/${a.body.id}`, { projectTitle: 'Changed' })).status).toBe(409);
  });

  it('records an ineligible applicant (too large) without hiding the application from the officer', async () => {
    const o = await publishedOpportunity();
    const id = await completeDraft(o.id);
    await applicant.patch(`/api/v1/grant-applications/${id}`, { declaredEmployees: 5000 });
    const r = await applicant.post(`/api/v1/grant-applications/${id}/submit`);
    expect(r.status).toBe(200);
    expect(r.body.eligibilityCheck.eligible).toBe(false);
    expect(r.body.eligibilityCheck.reasons.join(' ')).toMatch(/at most 500 employees/);
    const list = await officer.get(`/api/v1/grant-applications?opportunityId=${o.id}`);
    expect(list.body.items.find((x: { id: string }) => x.id === id)).toMatchObject({ eligible: false });
  });

  it('refuses a submission after the close date with the deadline in the stated zone (409; still a draft)', async () => {
    const o = await publishedOpportunity();
    const id = await completeDraft(o.id);
    await t.rows(`update grant_opportunities set closes_at = now() - interval '1 minute' where id = $1`, [o.id]);
    const r = await applicant.post(`/api/v1/grant-applications/${id}/submit`);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/deadline passed/);
    expect(r.body.detail).toContain('America/Chicago');
    expect((await t.rows<{ status: string }>('select status from grant_applications where id = $1', [id]))[0].status).toBe('draft');
    // And no new application can be started.
    expect((await applicant.post('/api/v1/grant-applications', { opportunityId: o.id, projectTitle: 'Late' })).status).toBe(409);
  });

  it('stores attachments encrypted, checks type and size, and lets only readers download them', async () => {
    const a = await applicant.post('/api/v1/grant-applications', { opportunityId: demo.opportunityId, projectTitle: 'Attachment test' });
    const up = await applicant.post(`/api/v1/grant-applications/${a.body.id}/attachments`, { filename: 'letters.pdf', contentType: 'application/pdf', contentBase64: PDF });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.attachments).toHaveLength(1);
    const [row] = await t.rows<{ content_enc: string; size_bytes: number }>('select content_enc, size_bytes from grant_attachments where application_id = $1', [a.body.id]);
    expect(row.content_enc).not.toContain(PDF.slice(0, 12));
    expect(row.size_bytes).toBe(Buffer.from(PDF, 'base64').length);
    const down = await applicant.get(`/api/v1/grant-applications/${a.body.id}/attachments/${up.body.attachments[0].id}`);
    expect(down.body.contentBase64).toBe(PDF);
    // A renamed executable, a wrong extension, and an oversize file are refused.
    expect((await applicant.post(`/api/v1/grant-applications/${a.body.id}/attachments`, { filename: 'x.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('MZ\x90\x00').toString('base64') })).status).toBe(400);
    expect((await applicant.post(`/api/v1/grant-applications/${a.body.id}/attachments`, { filename: 'x.exe', contentType: 'application/pdf', contentBase64: PDF })).status).toBe(400);
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 0x41);
    big.write('%PDF');
    expect([400, 413]).toContain((await applicant.post(`/api/v1/grant-applications/${a.body.id}/attachments`, { filename: 'big.pdf', contentType: 'application/pdf', contentBase64: big.toString('base64') })).status);
    expect((await t.rows('select id from grant_attachments where application_id = $1', [a.body.id])).length).toBe(1);
    // Another applicant cannot download it.
    expect((await other.get(`/api/v1/grant-applications/${a.body.id}/attachments/${up.body.attachments[0].id}`)).status).toBe(404);
  });

  it('another applicant cannot read, list or change an application (404), nor can the agency read a draft', async () => {
    const id = await completeDraft(demo.opportunityId);
    expect((await other.get(`/api/v1/grant-applications/${id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/grant-applications/${id}`, { projectTitle: 'Mine now' })).status).toBe(404);
    expect((await other.post(`/api/v1/grant-applications/${id}/submit`)).status).toBe(404);
    expect((await other.get('/api/v1/grant-applications')).body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    expect((await officer.get(`/api/v1/grant-applications/${id}`)).status).toBe(404);
    expect((await nist.get(`/api/v1/grant-applications/${id}`)).status).toBe(404);
    const refused = (await auditRows(t, 'access.denied')).filter((e) => e.actor_email === 'grants@beaconcode.demo');
    expect(refused.length).toBeGreaterThanOrEqual(3);
  });
});

describe('review, ranking and decisions', () => {
  it('a conflicted reviewer cannot score (409) and no score is stored; scores are normalised and ranked', async () => {
    const o = await publishedOpportunity();
    const a1 = await submitted(o.id);
    const a2 = await submitted(o.id, other);
    const assign = async (app: string, email: string) => {
      const r = await officer.post(`/api/v1/grant-applications/${app}/reviewers`, { reviewerEmail: email });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const n1 = await assign(a1, 'nist.analyst@nist.demo');
    const n2 = await assign(a2, 'nist.analyst@nist.demo');
    const d1 = await assign(a1, 'dod.analyst@dod.demo');
    const d2 = await assign(a2, 'dod.analyst@dod.demo');
    // Only grant reviewers can be assigned; only officers assign.
    expect((await officer.post(`/api/v1/grant-applications/${a1}/reviewers`, { reviewerEmail: 'oncd.analyst@oncd.demo' })).status).toBe(400);
    expect((await applicant.post(`/api/v1/grant-applications/${a1}/reviewers`, { reviewerEmail: 'nist.analyst@nist.demo' })).status).toBe(403);
    expect((await t.rows<{ status: string }>('select status from grant_applications where id = $1', [a1]))[0].status).toBe('under_review');

    const scores = (merit: number, impact: number, note: string) => ({ scores: [{ criterionKey: 'merit', score: merit, comment: `${note} merit` }, { criterionKey: 'impact', score: impact, comment: `${note} impact` }] });
    // Scoring before declaring is refused.
    expect((await nist.post(`/api/v1/grant-reviews/${n1}/scores`, scores(5, 5, 'early'))).status).toBe(409);
    // DoD declares a conflict on a1 and then tries to score it.
    expect((await dod.post(`/api/v1/grant-reviews/${d1}/declaration`, { conflict: true, note: 'Former employer of the PI' })).status).toBe(200);
    const refused = await dod.post(`/api/v1/grant-reviews/${d1}/scores`, scores(1, 1, 'conflicted'));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/conflict of interest/);
    expect((await t.rows('select id from grant_scores where assignment_id = $1', [d1])).length).toBe(0);
    // A reviewer cannot act on another reviewer's assignment.
    expect((await nist.post(`/api/v1/grant-reviews/${d2}/declaration`, { conflict: false })).status).toBe(404);
    // A conflict needs a description.
    expect((await dod.post(`/api/v1/grant-reviews/${d2}/declaration`, { conflict: true })).status).toBe(400);

    for (const [c, id] of [
      [nist, n1],
      [nist, n2],
      [dod, d2],
    ] as const)
      expect((await c.post(`/api/v1/grant-reviews/${id}/declaration`, { conflict: false })).status).toBe(200);
    expect((await nist.post(`/api/v1/grant-reviews/${n1}/scores`, scores(5, 4, 'Strong'))).status).toBe(200);
    expect((await nist.post(`/api/v1/grant-reviews/${n2}/scores`, scores(2, 3, 'Weak'))).status).toBe(200);
    expect((await dod.post(`/api/v1/grant-reviews/${d2}/scores`, scores(3, 3, 'Fair'))).status).toBe(200);
    // Every criterion must be scored.
    expect((await dod.post(`/api/v1/grant-reviews/${d2}/scores`, { scores: [{ criterionKey: 'merit', score: 3, comment: 'x' }] })).status).toBe(400);
    const [stored] = await t.rows<{ comment_enc: string }>('select comment_enc from grant_scores where assignment_id = $1 limit 1', [n1]);
    expect(stored.comment_enc).not.toContain('Strong');

    const rank = await officer.get(`/api/v1/grant-opportunities/${o.id}/ranking`);
    expect(rank.status).toBe(200);
    expect(rank.body.normalisation).toMatch(/z-score/);
    expect(rank.body.rows.map((r: { applicationId: string }) => r.applicationId)).toEqual([a1, a2]);
    expect(rank.body.rows[0]).toMatchObject({ rank: 1, reviews: 1, conflicts: 1 });
    expect(rank.body.rows[1]).toMatchObject({ rank: 2, reviews: 2, conflicts: 0 });
    expect((await nist.get(`/api/v1/grant-opportunities/${o.id}/ranking`)).status).toBe(403);

    // Award a1, decline a2; the applicant reads the outcome and comments without reviewer names.
    const award = await officer.post(`/api/v1/grant-applications/${a1}/decision`, { decision: 'award', amountUsd: 500_000, reason: 'Highest ranked; strong technical merit.' });
    expect(award.status, JSON.stringify(award.body)).toBe(200);
    const decline = await officer.post(`/api/v1/grant-applications/${a2}/decision`, { decision: 'decline', reason: 'Below the funding line.' });
    expect(decline.status).toBe(200);
    const seen = await other.get(`/api/v1/grant-applications/${a2}`);
    expect(seen.body).toMatchObject({ status: 'declined', decisionReason: 'Below the funding line.' });
    expect(seen.body.reviewComments.map((c: { reviewer: string }) => c.reviewer).sort()).toEqual(['Reviewer A', 'Reviewer A', 'Reviewer B', 'Reviewer B']);
    expect(seen.body.reviewComments.map((c: { comment: string }) => c.comment)).toContain('Weak merit');
    const text = JSON.stringify(seen.body);
    for (const name of ['nist.analyst', 'dod.analyst', 'Nia Thompson', 'Dana Okafor', 'NIST', 'Defense']) expect(text).not.toContain(name);
    // Scoring after the decision is closed.
    expect((await dod.post(`/api/v1/grant-reviews/${d2}/scores`, scores(5, 5, 'late'))).status).toBe(409);
  });

  it('awards cannot exceed the funds available (409), nor the number of awards, and the rows agree', async () => {
    const o = await publishedOpportunity({ totalFundingUsd: 1_000_000, ceilingUsd: 600_000, expectedAwards: 3 });
    const apps = [await submitted(o.id, applicant, [150_000, 150_000]), await submitted(o.id, other, [150_000, 150_000]), await submitted(o.id, applicant, [100_000, 50_000])];
    for (const a of apps) expect((await officer.post(`/api/v1/grant-applications/${a}/reviewers`, { reviewerEmail: 'nist.analyst@nist.demo' })).status).toBe(201);
    expect((await officer.post(`/api/v1/grant-applications/${apps[0]}/decision`, { decision: 'award', amountUsd: 600_000, reason: 'Top ranked.' })).status).toBe(200);
    const over = await officer.post(`/api/v1/grant-applications/${apps[1]}/decision`, { decision: 'award', amountUsd: 500_000, reason: 'Second.' });
    expect(over.status).toBe(409);
    expect(over.body.detail).toMatch(/exceeds the funds available: \$400000/);
    expect((await t.rows<{ status: string }>('select status from grant_applications where id = $1', [apps[1]]))[0].status).toBe('under_review');
    // Outside floor/ceiling, or above the budget requested.
    expect((await officer.post(`/api/v1/grant-applications/${apps[1]}/decision`, { decision: 'award', amountUsd: 50_000, reason: 'x' })).status).toBe(409);
    expect((await officer.post(`/api/v1/grant-applications/${apps[2]}/decision`, { decision: 'award', amountUsd: 350_000, reason: 'x' })).status).toBe(409);
    expect((await officer.post(`/api/v1/grant-applications/${apps[1]}/decision`, { decision: 'award', amountUsd: 400_000, reason: 'Second, at the remaining funds.' })).status).toBe(200);
    const [sum] = await t.rows<{ total: string }>('select sum(amount_usd)::text as total from grant_awards where opportunity_id = $1', [o.id]);
    expect(Number(sum.total)).toBe(1_000_000);
    expect((await officer.get(`/api/v1/grant-opportunities/${o.id}`)).body).toMatchObject({ availableUsd: 0, awardsMade: 2 });
    // A reviewer cannot decide.
    expect((await nist.post(`/api/v1/grant-applications/${apps[2]}/decision`, { decision: 'decline', reason: 'x' })).status).toBe(403);
  });
});

describe('awards', () => {
  it('credits SARIF findings of a registered tool from the recipient organisation to the award, and counts them as validated once Treasury validates', async () => {
    const sarif = (driver: string, tag: string) => ({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: driver, rules: [{ id: 'LS-787', shortDescription: { text: 'Out-of-bounds write' } }] } },
          results: [{ ruleId: 'LS-787', level: 'error', message: { text: `Row buffer overflow ${tag}.` }, locations: [{ physicalLocation: { artifactLocation: { uri: `src/${tag}/png.c` }, region: { startLine: 88 } } }], fingerprints: { 'lantern/v1': `fp-${tag}` } }],
        },
      ],
    });
    const o = await publishedOpportunity();
    const app = await submitted(o.id);
    await officer.post(`/api/v1/grant-applications/${app}/reviewers`, { reviewerEmail: 'nist.analyst@nist.demo' });
    const awardId = (await officer.post(`/api/v1/grant-applications/${app}/decision`, { decision: 'award', amountUsd: 300_000, reason: 'Funded.' })).body.awardId as string;
    expect(awardId).toBeTruthy();
    expect((await applicant.post(`/api/v1/grant-awards/${awardId}/tools`, { name: 'Credit Sweep', description: 'AI-guided fuzzing', sarifDriverName: 'CreditSweep' })).status).toBe(201);

    const mine = await applicant.post('/api/v1/clearinghouse/reports', { document: sarif('CreditSweep', 'credit-a') });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    const vulnerabilityId = mine.body.candidates[0].vulnerabilityId as string;
    const [link] = await t.rows<{ tool_name: string }>('select tool_name from clearinghouse_report_links where report_id = $1', [mine.body.reportId]);
    expect(link.tool_name).toBe('CreditSweep');
    // Another organisation running a tool of the same name earns the award nothing.
    const theirs = await other.post('/api/v1/clearinghouse/reports', { document: sarif('CreditSweep', 'credit-b') });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    // Nor does the recipient's report from an unregistered tool.
    expect((await applicant.post('/api/v1/clearinghouse/reports', { document: sarif('SomeOtherScanner', 'credit-c') })).status).toBe(201);

    expect((await applicant.get(`/api/v1/grant-awards/${awardId}`)).body.findingsReported).toEqual({ source: 'clearinghouse', count: 1, validated: 0, published: 0 });

    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    for (const to of ['triage', 'validating', 'validated']) {
      const r = await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnerabilityId}/transition`, { to });
      expect(r.status, `${to}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const [v] = await t.rows<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [vulnerabilityId]);
    expect(v.status).toBe('validated');
    expect((await officer.get(`/api/v1/grant-awards/${awardId}`)).body.findingsReported).toEqual({ source: 'clearinghouse', count: 1, validated: 1, published: 0 });
    expect((await applicant.get(`/api/v1/grant-awards/${awardId}`)).body.findingsReported).toEqual({ source: 'clearinghouse', count: 1, validated: 1, published: 0 });
  });

  it('milestones, progress reports, payments within the award, the tool registration, and closeout', async () => {
    const o = await publishedOpportunity();
    const app = await submitted(o.id);
    await officer.post(`/api/v1/grant-applications/${app}/reviewers`, { reviewerEmail: 'nist.analyst@nist.demo' });
    const d = await officer.post(`/api/v1/grant-applications/${app}/decision`, { decision: 'award', amountUsd: 400_000, reason: 'Funded.' });
    const awardId = d.body.awardId as string;
    expect(awardId).toBeTruthy();
    // The recipient sees it; another applicant does not.
    expect((await applicant.get('/api/v1/grant-awards')).body.items.map((a: { id: string }) => a.id)).toContain(awardId);
    expect((await other.get(`/api/v1/grant-awards/${awardId}`)).status).toBe(404);

    const m1 = await officer.post(`/api/v1/grant-awards/${awardId}/milestones`, { title: 'Prototype', dueOn: '2027-03-31', deliverables: 'Tool detects CWE-787 in the benchmark corpus', amountUsd: 250_000 });
    expect(m1.status).toBe(201);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/milestones`, { title: 'Too much', dueOn: '2027-06-30', deliverables: 'x', amountUsd: 200_000 })).status).toBe(409);
    const m2 = await officer.post(`/api/v1/grant-awards/${awardId}/milestones`, { title: 'Pilot', dueOn: '2027-09-30', deliverables: 'Pilot with three hospitals', amountUsd: 150_000 });
    const [mp, mq] = m2.body.milestones as { id: string }[];
    expect((await applicant.post(`/api/v1/grant-awards/${awardId}/milestones`, { title: 'x', dueOn: '2027-01-01', deliverables: 'x', amountUsd: 1 })).status).toBe(403);

    const rep = await applicant.post(`/api/v1/grant-awards/${awardId}/progress-reports`, { period: '2027 Q1', narrative: 'Prototype complete; 41 true positives.', milestoneId: mp.id });
    expect(rep.status).toBe(201);
    expect(rep.body.milestones[0].status).toBe('submitted');
    const [r] = await t.rows<{ narrative_enc: string }>('select narrative_enc from grant_progress_reports where award_id = $1', [awardId]);
    expect(r.narrative_enc).not.toContain('true positives');

    expect((await officer.post(`/api/v1/grant-awards/${awardId}/payments`, { milestoneId: mp.id, amountUsd: 100_000, reference: 'PMT-1' })).status).toBe(409); // not accepted yet
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/milestones/${mp.id}/accept`)).status).toBe(200);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/payments`, { milestoneId: mp.id, amountUsd: 250_000, reference: 'PMT-1' })).status).toBe(201);
    const over = await officer.post(`/api/v1/grant-awards/${awardId}/payments`, { milestoneId: mp.id, amountUsd: 1, reference: 'PMT-2' });
    expect(over.status).toBe(409);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/milestones/${mq.id}/accept`)).status).toBe(200);
    const tooMuch = await officer.post(`/api/v1/grant-awards/${awardId}/payments`, { milestoneId: mq.id, amountUsd: 150_001, reference: 'PMT-3' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.detail).toMatch(/more than the award of \$400000/);
    const [paid] = await t.rows<{ total: string }>('select sum(amount_usd)::text as total from grant_payments where award_id = $1', [awardId]);
    expect(Number(paid.total)).toBe(250_000);

    const tool = await applicant.post(`/api/v1/grant-awards/${awardId}/tools`, { name: 'Lantern Sweep', description: 'AI-guided fuzzing and static analysis', sarifDriverName: 'LanternSweep' });
    expect(tool.status).toBe(201);
    expect(tool.body.tools[0]).toMatchObject({ sarifDriverName: 'LanternSweep' });
    expect(tool.body.findingsReported).toEqual({ source: 'clearinghouse', count: 0, validated: 0, published: 0 });
    expect((await applicant.post(`/api/v1/grant-awards/${awardId}/tools`, { name: 'Dup', description: 'x', sarifDriverName: 'LanternSweep' })).status).toBe(409);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/tools`, { name: 'X', description: 'x', sarifDriverName: 'Officer' })).status).toBe(403);

    expect((await officer.post(`/api/v1/grant-awards/${awardId}/closeout`, { action: 'close' })).status).toBe(409);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/payments`, { milestoneId: mq.id, amountUsd: 150_000, reference: 'PMT-3' })).status).toBe(201);
    expect((await officer.post(`/api/v1/grant-awards/${awardId}/closeout`, { action: 'begin' })).status).toBe(200);
    const closed = await officer.post(`/api/v1/grant-awards/${awardId}/closeout`, { action: 'close', note: 'All deliverables accepted.' });
    expect(closed.body).toMatchObject({ status: 'closed', paidUsd: 400_000 });
    expect((await t.rows<{ status: string }>('select status from grant_awards where id = $1', [awardId]))[0].status).toBe('closed');
    expect((await auditRows(t, 'grant_award.close')).some((e) => e.record_id === awardId)).toBe(true);
  });
});

describe('defensive-tool services', () => {
  it('the catalogue is public; operators request enrolment within the service’s eligibility; the program tracks coverage', async () => {
    const pub = await anon().get('/api/v1/public/services');
    expect(pub.status).toBe(200);
    expect(pub.body.items).toHaveLength(3);
    expect(JSON.stringify(pub.body)).not.toMatch(/createdBy|ownerOrgId|@cisa/);
    const hospitalOnly = pub.body.items.find((s: { sectors: string[] }) => s.sectors.length === 1 && s.sectors[0] === 'healthcare');

    const req = await hospital.post(`/api/v1/services/${hospitalOnly.id}/enrolments`, { tier: 'small', note: '25-bed critical access hospital' });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body).toMatchObject({ sector: 'healthcare', tier: 'small', status: 'requested' });
    expect((await hospital.post(`/api/v1/services/${hospitalOnly.id}/enrolments`, { tier: 'small' })).status).toBe(409);
    const wrongSector = await bank.post(`/api/v1/services/${hospitalOnly.id}/enrolments`, { tier: 'small' });
    expect(wrongSector.status).toBe(409);
    expect(wrongSector.body.detail).toMatch(/healthcare/);
    expect((await hospital.post(`/api/v1/services/${pub.body.items[0].id}/enrolments`, { tier: 'large' })).status).toBe(201);
    expect((await applicant.post(`/api/v1/services/${hospitalOnly.id}/enrolments`, { tier: 'small' })).status).toBe(403);
    expect((await hospital.post('/api/v1/services', { name: 'x', provider: 'x', description: 'x', sectors: ['healthcare'], tiers: ['small'], costToOperator: 'x', howToEnrol: 'x' })).status).toBe(403);

    // Operators see their own; the bank sees none of the hospital's.
    expect((await bank.get('/api/v1/service-enrolments')).body.items).toHaveLength(0);
    expect((await hospital.get('/api/v1/service-enrolments')).body.items).toHaveLength(2);
    expect((await bank.post(`/api/v1/service-enrolments/${req.body.id}/decision`, { status: 'enrolled' })).status).toBe(403);

    const ok = await officer.post(`/api/v1/service-enrolments/${req.body.id}/decision`, { status: 'enrolled', note: 'Onboarding call booked' });
    expect(ok.body.status).toBe('enrolled');
    expect((await t.rows<{ status: string }>('select status from service_enrolments where id = $1', [req.body.id]))[0].status).toBe('enrolled');
    const stats = await officer.get('/api/v1/service-enrolments/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.bySectorTier).toEqual(expect.arrayContaining([{ sector: 'healthcare', tier: 'small', requested: 0, enrolled: 1 }, { sector: 'healthcare', tier: 'large', requested: 1, enrolled: 0 }]));
    expect(stats.body.smallOperatorCoverage.find((c: { sector: string }) => c.sector === 'healthcare')).toEqual({ sector: 'healthcare', operatorsOnForewarn: 1, smallOperatorsEnrolled: 1, share: 1 });
    expect((await hospital.get('/api/v1/service-enrolments/stats')).status).toBe(403);
    expect((await auditRows(t, 'service_enrolment.enrol')).length).toBe(1);
  });
});
