import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, signIn, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel } from '../reviews/reviews.fixtures.ts';

let t: TestInstance;
const c: Record<string, Client> = {};
const u: Record<string, string> = {};
const org: Record<string, string> = {};
let modelId = '';
let windowId = '';
const s: Record<string, string> = {};

const CRITERIA = [
  { key: 'facility_clearance', title: 'Facility clearance', evidenceRequirement: 'A current facility clearance letter' },
  { key: 'security_controls', title: 'Security controls', evidenceRequirement: 'An assessment against NIST SP 800-171' },
  { key: 'expertise', title: 'Relevant expertise', evidenceRequirement: 'Publications or engagements in AI security' },
  { key: 'no_conflicts', title: 'No disqualifying conflicts', evidenceRequirement: 'Declarations of ownership and affiliations' },
];
const KEYS = CRITERIA.map((k) => k.key);
const DOC = Buffer.from('%PDF-1.4 clearance letter SENSITIVE-EVIDENCE').toString('base64');

function body(prefix = 'Answer') {
  return {
    answers: KEYS.map((k) => ({ criterionKey: k, answer: `${prefix} for ${k}: PROPRIETARY-ANSWER`, evidence: k === 'facility_clearance' ? [{ filename: 'fcl.pdf', mediaType: 'application/pdf', contentBase64: DOC }] : [] })),
    declarations: { ownership: 'Privately held by its founders', affiliations: 'None with any AI developer', conflictsOfInterest: 'None' },
  };
}

beforeAll(async () => {
  t = await startTestInstance();
  for (const [k, name] of Object.entries({ nist: 'NIST Center for AI Standards and Innovation', partner: 'Sentinel Security Partners', lab: 'Meridian AI' })) org[k] = await orgIdOf(t, name);
  // A second trusted partner (the demo has one), with the demo password copied from the first.
  const [o] = await t.rows<{ id: string }>("insert into organisations (name, kind) values ('Bastion Assurance', 'trusted_partner') returning id");
  org.bastion = o.id;
  await t.rows(
    `insert into users (org_id, email, name, password_hash, roles, clearance) select $1, 'rep@bastion.test', 'Bea Stone', password_hash, '{partner_reviewer}', 1 from users where email = 'partner@sentinel.demo'`,
    [o.id],
  );
  const who = { nist: 'nist.analyst@nist.demo', oncd: 'oncd.analyst@oncd.demo', dod: 'dod.analyst@dod.demo', ostp: 'ostp.analyst@ostp.demo', dev: 'lab.engineer@meridian.demo', devAdmin: 'lab.admin@meridian.demo', partner: 'partner@sentinel.demo', auditor: 'auditor@forewarn.demo', candidate: 'candidate@forewarn.demo' };
  for (const [k, email] of Object.entries(who)) {
    c[k] = await as(t.url, email);
    u[k] = await userIdOf(t, email);
  }
  c.bastion = await signIn(t.url, 'rep@bastion.test');
  const m = await insertModel(t);
  modelId = m.id;
  const w = await c.dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nist], closesAt: inDays(20).toISOString() });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  windowId = w.body.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('selection criteria', () => {
  it('are published in versions by vetting reviewers and read by any signed-in user', async () => {
    expect((await c.partner.post('/api/v1/partners/criteria', { criteria: CRITERIA, note: 'v1' })).status).toBe(403);
    const dup = await c.nist.post('/api/v1/partners/criteria', { criteria: [CRITERIA[0], CRITERIA[0]], note: 'dup' });
    expect(dup.status).toBe(400);
    const v1 = await c.nist.post('/api/v1/partners/criteria', { criteria: CRITERIA.slice(0, 3), note: 'First version' });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    // The demo organisation set publishes version 1.
    expect(v1.body.version).toBe(2);
    const v2 = await c.nist.post('/api/v1/partners/criteria', { criteria: CRITERIA, note: 'Adds conflicts' });
    expect(v2.body.version).toBe(3);
    const cur = await c.candidate.get('/api/v1/partners/criteria');
    expect(cur.status).toBe(200);
    expect(cur.body.criteria.map((k: { key: string }) => k.key)).toEqual(KEYS);
    expect((await c.partner.get('/api/v1/partners/criteria/versions')).body.items).toHaveLength(3);
    const rows = await t.rows<{ version: number }>('select version from partner_criteria_versions order by version');
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(await auditRows(t, 'partners.criteria_publish')).toHaveLength(3);
  });
});

describe('applications', () => {
  it('answer every criterion of the current version, with evidence and declarations stored encrypted', async () => {
    const missing = body();
    missing.answers.pop();
    const bad = await c.partner.post('/api/v1/partners/applications', missing);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('no_conflicts');
    expect((await c.dev.post('/api/v1/partners/applications', body())).status).toBe(403);
    const r = await c.partner.post('/api/v1/partners/applications', body());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    s.a1 = r.body.id;
    expect(r.body).toMatchObject({ status: 'submitted', criteriaVersion: 3, applicantOrgId: org.partner, findings: [] });
    expect(r.body.evidence).toHaveLength(1);
    const [row] = await t.rows<{ answers_enc: string; declarations_enc: string; owner_org_id: string; classification: number }>('select * from partner_applications where id = $1', [s.a1]);
    expect(row.owner_org_id).toBe(org.partner);
    expect(row.classification).toBe(1);
    expect(row.answers_enc).not.toContain('PROPRIETARY');
    expect(row.declarations_enc).not.toContain('founders');
    const [ev] = await t.rows<{ content_enc: string; size_bytes: number; sha256: string }>('select * from partner_evidence where application_id = $1', [s.a1]);
    expect(ev.content_enc).not.toContain(DOC.slice(0, 12));
    expect(ev.size_bytes).toBe(Buffer.from(DOC, 'base64').length);
    const doc = await c.partner.get(`/api/v1/partners/applications/${s.a1}/evidence/${r.body.evidence[0].id}`);
    expect(doc.body.contentBase64).toBe(DOC);
  });

  it('refuse evidence over the size limit', async () => {
    const big = body();
    big.answers[0].evidence = [{ filename: 'big.bin', mediaType: 'application/octet-stream', contentBase64: Buffer.alloc(300 * 1024).toString('base64') }];
    expect((await c.partner.post('/api/v1/partners/applications', big)).status).toBe(400);
    expect(await t.rows('select id from partner_applications')).toHaveLength(1);
  });

  it('can be updated while awaiting vetting, and withdrawn', async () => {
    const up = await c.partner.request('PUT', `/api/v1/partners/applications/${s.a1}`, body('Updated'));
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.answers[0].answer).toContain('Updated');
    const b = await c.bastion.post('/api/v1/partners/applications', body('Bastion'));
    expect(b.status).toBe(201);
    const w = await c.bastion.post(`/api/v1/partners/applications/${b.body.id}/withdraw`);
    expect(w.body.status).toBe('withdrawn');
    expect((await c.bastion.request('PUT', `/api/v1/partners/applications/${b.body.id}`, body())).status).toBe(409);
    const again = await c.bastion.post('/api/v1/partners/applications', body('Bastion again'));
    s.a2 = again.body.id;
    expect(await auditRows(t, 'partners.application_withdraw')).toHaveLength(1);
  });

  it("are not visible to another partner, nor changeable by it", async () => {
    expect((await c.bastion.get(`/api/v1/partners/applications/${s.a1}`)).status).toBe(404);
    expect((await c.bastion.request('PUT', `/api/v1/partners/applications/${s.a1}`, body())).status).toBe(404);
    expect((await c.bastion.post(`/api/v1/partners/applications/${s.a1}/withdraw`)).status).toBe(404);
    const list = await c.bastion.get('/api/v1/partners/applications');
    expect(list.body.items.every((a: { applicantOrgId: string }) => a.applicantOrgId === org.bastion)).toBe(true);
    expect((await c.candidate.get(`/api/v1/partners/applications/${s.a1}`)).status).toBe(404);
    expect((await c.dev.get(`/api/v1/partners/applications/${s.a1}`)).status).toBe(404);
    expect((await c.nist.get('/api/v1/partners/applications')).body.items.length).toBe(3);
  });
});

describe('vetting', () => {
  it('records a finding per criterion and decides with reasons; the applicant sees findings and reasons only', async () => {
    expect((await c.partner.request('PUT', `/api/v1/partners/applications/${s.a1}/findings/expertise`, { met: true, note: 'x' })).status).toBe(403);
    expect((await c.nist.post(`/api/v1/partners/applications/${s.a1}/decision`, { outcome: 'eligible', reasons: 'All met' })).status).toBe(400);
    expect((await c.nist.request('PUT', `/api/v1/partners/applications/${s.a1}/findings/unknown_key`, { met: true, note: 'x' })).status).toBe(404);
    for (const k of KEYS) {
      const r = await c.nist.request('PUT', `/api/v1/partners/applications/${s.a1}/findings/${k}`, { met: true, note: `Met: ${k}`, internalNote: 'AGENCY-INTERNAL-NOTE' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const before = await c.partner.get(`/api/v1/partners/applications/${s.a1}`);
    expect(before.body.findings).toEqual([]);
    const d = await c.nist.post(`/api/v1/partners/applications/${s.a1}/decision`, { outcome: 'eligible', reasons: 'Every criterion is met.', eligibleForDays: 365 });
    expect(d.status).toBe(200);
    expect(d.body.findings[0].internalNote).toBe('AGENCY-INTERNAL-NOTE');
    const seen = await c.partner.get(`/api/v1/partners/applications/${s.a1}`);
    expect(seen.body.status).toBe('eligible');
    expect(seen.body.outcomeReasons).toBe('Every criterion is met.');
    expect(seen.body.findings).toHaveLength(4);
    expect(Object.keys(seen.body.findings[0]).sort()).toEqual(['criterionKey', 'met', 'note']);
    expect(JSON.stringify(seen.body)).not.toContain('AGENCY-INTERNAL-NOTE');
    expect(JSON.stringify(seen.body)).not.toContain(u.nist);
    const [row] = await t.rows<{ status: string; eligible_until: Date }>('select status, eligible_until from partner_applications where id = $1', [s.a1]);
    expect(row.status).toBe('eligible');
    expect(Math.round((new Date(row.eligible_until).getTime() - Date.now()) / 86_400_000)).toBe(365);
    // Bastion: eligible too, one criterion noted unmet but judged not disqualifying.
    for (const k of KEYS) await c.nist.request('PUT', `/api/v1/partners/applications/${s.a2}/findings/${k}`, { met: true, note: 'Met' });
    expect((await c.nist.post(`/api/v1/partners/applications/${s.a2}/decision`, { outcome: 'eligible', reasons: 'Met.' })).status).toBe(200);
    expect((await c.nist.request('PUT', `/api/v1/partners/applications/${s.a2}/findings/expertise`, { met: false, note: 'late' })).status).toBe(409);
  });
});

describe('joint selection panel', () => {
  it('is constituted by vetting reviewers from agency officials and the developer’s representatives', async () => {
    const wrongSide = await c.nist.post('/api/v1/partners/panels', { windowId, applicationId: s.a1, members: [{ userId: u.nist, side: 'government' }, { userId: u.oncd, side: 'developer' }] });
    expect(wrongSide.status).toBe(400);
    const noDev = await c.nist.post('/api/v1/partners/panels', { windowId, applicationId: s.a1, members: [{ userId: u.nist, side: 'government' }, { userId: u.oncd, side: 'government' }] });
    expect(noDev.status).toBe(400);
    const noConcurrence = await c.nist.post('/api/v1/partners/panels', { windowId, applicationId: s.a1, members: [{ userId: u.nist, side: 'government' }, { userId: u.dev, side: 'developer' }], rule: { govMajority: true, developerMajority: true, developerConcurrenceRequired: false } });
    expect(noConcurrence.status).toBe(400);
    expect((await c.partner.post('/api/v1/partners/panels', { windowId, applicationId: s.a1, members: [{ userId: u.nist, side: 'government' }, { userId: u.dev, side: 'developer' }] })).status).toBe(403);
    const p = await c.nist.post('/api/v1/partners/panels', { windowId, applicationId: s.a1, members: [{ userId: u.nist, side: 'government' }, { userId: u.oncd, side: 'government' }, { userId: u.dev, side: 'developer' }] });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    s.p1 = p.body.id;
    expect(p.body).toMatchObject({ status: 'open', modelId, windowId, applicantName: 'Sentinel Security Partners' });
    expect(await t.rows('select * from panel_members where panel_id = $1', [s.p1])).toHaveLength(3);
    expect((await c.candidate.get(`/api/v1/partners/panels/${s.p1}`)).status).toBe(404);
    expect((await c.partner.get(`/api/v1/partners/panels/${s.p1}`)).status).toBe(404);
    expect((await c.devAdmin.get(`/api/v1/partners/panels/${s.p1}`)).status).toBe(200);
    expect((await c.dev.get('/api/v1/partners/panels')).body.items).toHaveLength(1);
  });

  it('refuses a vote before the conflict declaration, from a conflicted member, and without a rationale citing the criteria', async () => {
    expect((await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Meets every criterion', citedCriteria: ['expertise'] })).status).toBe(409);
    expect((await c.oncd.post(`/api/v1/partners/panels/${s.p1}/conflicts`, { conflicted: true, note: 'Former employee of the applicant' })).status).toBe(200);
    const conflicted = await c.oncd.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Meets every criterion', citedCriteria: ['expertise'] });
    expect(conflicted.status).toBe(403);
    expect((await c.devAdmin.post(`/api/v1/partners/panels/${s.p1}/conflicts`, { conflicted: false })).status).toBe(403);
    expect((await c.nist.post(`/api/v1/partners/panels/${s.p1}/conflicts`, { conflicted: false })).status).toBe(200);
    const noCite = await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Looks fine to me overall', citedCriteria: [] });
    expect(noCite.status).toBe(400);
    expect(JSON.stringify(noCite.body)).toContain('citedCriteria');
    const unknown = await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Looks fine to me overall', citedCriteria: ['charisma'] });
    expect(unknown.status).toBe(400);
    expect((await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: '', citedCriteria: ['expertise'] })).status).toBe(400);
    const [m] = await t.rows<{ vote: string | null }>('select vote from panel_members where panel_id = $1 and user_id = $2', [s.p1, u.oncd]);
    expect(m.vote).toBeNull();
  });

  it('decides when the rule is met, with the developer’s concurrence, and adds the partner to the window’s grants', async () => {
    const v = await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Clearance and controls verified', citedCriteria: ['facility_clearance', 'security_controls'] });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.status).toBe('open');
    expect(await t.rows("select id from access_grants where grantee_org_id = $1", [org.partner])).toHaveLength(0);
    expect((await c.nist.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'Clearance and controls verified', citedCriteria: ['expertise'] })).status).toBe(409);
    await c.dev.post(`/api/v1/partners/panels/${s.p1}/conflicts`, { conflicted: false });
    const d = await c.dev.post(`/api/v1/partners/panels/${s.p1}/votes`, { vote: 'approve', rationale: 'We concur: expertise shown', citedCriteria: ['expertise'] });
    expect(d.body.status).toBe('approved');
    const grants = await t.rows<{ record_type: string; record_id: string; source_type: string; source_id: string; expires_at: Date }>('select * from access_grants where grantee_org_id = $1', [org.partner]);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ record_type: 'model', record_id: modelId, source_type: 'review_window', source_id: windowId });
    expect(d.body.grantId).toBe((grants[0] as unknown as { id: string }).id);
    const [decision] = await auditRows(t, 'partners.panel_decision');
    expect(decision.detail.outcome).toBe('approved');
    // The applicant sees the outcome and the criteria relied on, never who voted how.
    const app = await c.partner.get(`/api/v1/partners/applications/${s.a1}`);
    expect(app.body.decisions[0]).toMatchObject({ panelId: s.p1, status: 'approved', appealable: false });
    expect(app.body.decisions[0].reasons).toContain('facility_clearance');
    expect(JSON.stringify(app.body)).not.toContain('Nia Thompson');
    expect(JSON.stringify(app.body)).not.toContain('Clearance and controls verified');
    expect((await c.oncd.post(`/api/v1/partners/panels/${s.p1}/conflicts`, { conflicted: false })).status).toBe(409);
  });

  it('refuses without the developer’s concurrence even when every official approves', async () => {
    const p = await c.nist.post('/api/v1/partners/panels', { windowId, applicationId: s.a2, members: [{ userId: u.nist, side: 'government' }, { userId: u.dod, side: 'government' }, { userId: u.dev, side: 'developer' }] });
    s.p2 = p.body.id;
    for (const k of ['nist', 'dod', 'dev']) await c[k].post(`/api/v1/partners/panels/${s.p2}/conflicts`, { conflicted: false });
    for (const k of ['nist', 'dod']) expect((await c[k].post(`/api/v1/partners/panels/${s.p2}/votes`, { vote: 'approve', rationale: 'Every criterion met', citedCriteria: ['expertise'] })).body.status).toBe('open');
    const r = await c.dev.post(`/api/v1/partners/panels/${s.p2}/votes`, { vote: 'refuse', rationale: 'We prefer not to share with them', citedCriteria: ['no_conflicts'] });
    expect(r.body.status).toBe('refused');
    expect(await t.rows('select id from access_grants where grantee_org_id = $1', [org.bastion])).toHaveLength(0);
    const app = await c.bastion.get(`/api/v1/partners/applications/${s.a2}`);
    expect(app.body.decisions[0]).toMatchObject({ status: 'refused', appealable: true });
    expect(app.body.decisions[0].reasons).toContain('no_conflicts');
  });
});

describe('appeals', () => {
  it('are filed once per refused decision, by the applicant only', async () => {
    expect((await c.partner.post(`/api/v1/partners/panels/${s.p2}/appeal`, { grounds: 'not mine' })).status).toBe(404);
    expect((await c.partner.post(`/api/v1/partners/panels/${s.p1}/appeal`, { grounds: 'approved anyway' })).status).toBe(409);
    const a = await c.bastion.post(`/api/v1/partners/panels/${s.p2}/appeal`, { grounds: 'The refusal cites no unmet criterion.' });
    expect(a.status).toBe(201);
    s.appeal = a.body.id;
    const again = await c.bastion.post(`/api/v1/partners/panels/${s.p2}/appeal`, { grounds: 'Again' });
    expect(again.status).toBe(409);
    expect(await t.rows("select id from selection_panels where appeal_of = $1", [s.p2])).toHaveLength(1);
  });

  it('are heard by a panel none of whose members sat on the first, and the outcome reaches the applicant', async () => {
    const same = await c.nist.post(`/api/v1/partners/appeals/${s.appeal}/panel`, { members: [{ userId: u.ostp, side: 'government' }, { userId: u.dev, side: 'developer' }] });
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body)).toContain('members.1.userId');
    expect((await c.bastion.post(`/api/v1/partners/appeals/${s.appeal}/panel`, { members: [{ userId: u.ostp, side: 'government' }, { userId: u.devAdmin, side: 'developer' }] })).status).toBe(403);
    const ok = await c.nist.post(`/api/v1/partners/appeals/${s.appeal}/panel`, { members: [{ userId: u.ostp, side: 'government' }, { userId: u.oncd, side: 'government' }, { userId: u.devAdmin, side: 'developer' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ kind: 'appeal', appealOf: s.p2, status: 'open' });
    expect((await c.nist.post(`/api/v1/partners/appeals/${s.appeal}/panel`, { members: [{ userId: u.ostp, side: 'government' }, { userId: u.devAdmin, side: 'developer' }] })).status).toBe(409);
    for (const k of ['ostp', 'oncd', 'devAdmin']) await c[k].post(`/api/v1/partners/panels/${s.appeal}/conflicts`, { conflicted: false });
    await c.ostp.post(`/api/v1/partners/panels/${s.appeal}/votes`, { vote: 'approve', rationale: 'No unmet criterion was cited', citedCriteria: ['no_conflicts'] });
    await c.oncd.post(`/api/v1/partners/panels/${s.appeal}/votes`, { vote: 'approve', rationale: 'Conflicts declaration is clean', citedCriteria: ['no_conflicts'] });
    const d = await c.devAdmin.post(`/api/v1/partners/panels/${s.appeal}/votes`, { vote: 'approve', rationale: 'We concur on appeal', citedCriteria: ['no_conflicts'] });
    expect(d.body.status).toBe('approved');
    expect(await t.rows('select id from access_grants where grantee_org_id = $1 and source_id = $2', [org.bastion, windowId])).toHaveLength(1);
    const app = await c.bastion.get(`/api/v1/partners/applications/${s.a2}`);
    const appeal = app.body.decisions.find((x: { kind: string }) => x.kind === 'appeal');
    expect(appeal).toMatchObject({ status: 'approved', appealOf: s.p2, appealGrounds: 'The refusal cites no unmet criterion.' });
    expect(appeal.reasons).toContain('appeal panel');
    expect(app.body.decisions.find((x: { panelId: string }) => x.panelId === s.p2).appealable).toBe(false);
  });
});

describe('renewal', () => {
  it('is a new application linked to the previous eligibility of the same applicant', async () => {
    expect((await c.bastion.post('/api/v1/partners/applications', { ...body(), renewalOf: s.a1 })).status).toBe(404);
    const r = await c.partner.post('/api/v1/partners/applications', { ...body('Renewal'), renewalOf: s.a1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ renewalOf: s.a1, status: 'submitted' });
    const [row] = await t.rows<{ renewal_of: string }>('select renewal_of from partner_applications where id = $1', [r.body.id]);
    expect(row.renewal_of).toBe(s.a1);
  });
});

describe('consistency report', () => {
  it('is refused to anyone without oversight', async () => {
    for (const k of ['partner', 'dev', 'nist', 'candidate']) expect((await c[k].get('/api/v1/partners/consistency')).status).toBe(403);
  });
  it('counts decisions and flags the refusal of an eligible applicant that cites no unmet criterion', async () => {
    const r = await c.auditor.get('/api/v1/partners/consistency');
    expect(r.status).toBe(200);
    expect(r.body.byOutcome).toEqual({ approved: 1, refused: 1, appealsApproved: 1, appealsRefused: 0 });
    expect(r.body.flags).toEqual(
      expect.arrayContaining([
        { scope: 'member', panelId: s.p2, userId: u.dev, reason: 'refused_eligible_without_unmet_criterion' },
        { scope: 'panel', panelId: s.p2, userId: null, reason: 'refused_eligible_without_unmet_criterion' },
      ]),
    );
    expect(r.body.flags).toHaveLength(2);
    const dev = r.body.byMember.find((m: { userId: string }) => m.userId === u.dev);
    expect(dev).toMatchObject({ panels: 2, approvals: 1, refusals: 1, flags: 1 });
    const oncd = r.body.byMember.find((m: { userId: string }) => m.userId === u.oncd);
    expect(oncd).toMatchObject({ conflictsDeclared: 1, approvals: 1 });
    const nc = r.body.byCriterion.find((k: { key: string }) => k.key === 'no_conflicts');
    expect(nc).toMatchObject({ citedInRefusals: 1, citedInApprovals: 3 });
    expect(await auditRows(t, 'partners.consistency_read')).toHaveLength(1);
  });
});
