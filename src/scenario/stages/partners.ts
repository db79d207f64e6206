import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function application(keys: string[], who: string) {
  return {
    answers: keys.map((k) => ({
      criterionKey: k,
      answer: `${who}: our answer for ${k}`,
      evidence: k === 'facility_clearance' ? [{ filename: 'fcl.pdf', mediaType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${who} clearance letter`).toString('base64') }] : [],
    })),
    declarations: { ownership: `${who} is privately held by its founders`, affiliations: 'None with any AI developer', conflictsOfInterest: 'None' },
  };
}

/**
 * Trusted partners, findings and transparency end to end: two partners answer the published criteria;
 * NIST vets both eligible; a joint panel of officials and the lab selects one with the lab's
 * concurrence; the other is refused, appeals to a panel of different members and is admitted. The
 * partner files a safeguard bypass the lab mitigates and a third-party vulnerability that reaches the
 * clearinghouse; the public report shows the quarter.
 */
/** What later stages build on: the reviewed model and the clearinghouse report its third-party finding became. */
export interface PartnersOutcome {
  modelId: string;
  plannedReleaseAt: string;
  findingId: string;
  clearinghouseReportId: string;
}

export async function partnersStage(base: string, password: string, outcome: Partial<PartnersOutcome> = {}): Promise<Stage> {
  const s = new Stage('partners');
  const c: Record<string, ApiClient> = {};
  const uid: Record<string, string> = {};
  const agencies: Record<string, string> = {};
  let keys: string[] = [];
  let modelId = '';
  let windowId = '';
  let sentinelApp = '';
  let bastionApp = '';
  let bastionOrg = '';
  let sentinelOrg = '';
  let panel1 = '';
  let panel2 = '';
  let appealId = '';
  let bypassId = '';
  let vulnId = '';

  const hasGrant = async (orgId: string) => {
    const w = await c.lab.get(`/api/v1/windows/${windowId}`);
    expectStatus(w, 200, 'the lab reads its window');
    return w.body.grants.some((g: { granteeOrgId: string; active: boolean }) => g.granteeOrgId === orgId && g.active) as boolean;
  };

  const vote = async (who: string, panelId: string, v: 'approve' | 'refuse', rationale: string, cited: string[]) => {
    expectStatus(await c[who].post(`/api/v1/partners/panels/${panelId}/conflicts`, { conflicted: false }), 200, `${who} declares no conflict`);
    const r = await c[who].post(`/api/v1/partners/panels/${panelId}/votes`, { vote: v, rationale, citedCriteria: cited });
    expectStatus(r, 200, `${who} votes`);
    return r.body.status as string;
  };

  await s.step('the published criteria (version 1) are read by the partners', async () => {
    const people = {
      admin: 'admin@forewarn.demo',
      nist: 'nist.analyst@nist.demo',
      dod: 'dod.analyst@dod.demo',
      oncd: 'oncd.analyst@oncd.demo',
      ostp: 'ostp.analyst@ostp.demo',
      lab: 'lab.engineer@meridian.demo',
      labAdmin: 'lab.admin@meridian.demo',
      nsa: 'nsa.analyst@nsa.demo',
      partner: 'partner@sentinel.demo',
    };
    for (const [k, email] of Object.entries(people)) {
      c[k] = await signInDemo(base, email, password);
      const me = await c[k].get('/api/v1/me');
      expectStatus(me, 200, `GET /me as ${email}`);
      uid[k] = me.body.user.id;
      if (k === 'partner') sentinelOrg = me.body.organisation.id;
    }
    const cur = await c.partner.get('/api/v1/partners/criteria');
    expectStatus(cur, 200, 'read criteria');
    keys = cur.body.criteria.map((k: { key: string }) => k.key);
    if (cur.body.version !== 1 || keys.length < 2) throw new Error(`expected criteria version 1, got ${cur.body.version} with ${keys.length} criteria`);
    return { version: cur.body.version, criteria: keys };
  });

  await s.step('the administrator creates a second partner organisation, whose representative accepts an invitation', async () => {
    const o = await c.admin.post('/api/v1/organisations', { name: 'Bastion Assurance', kind: 'trusted_partner' });
    expectStatus(o, 201, 'create organisation');
    bastionOrg = o.body.id;
    const inv = await c.admin.post(`/api/v1/organisations/${bastionOrg}/invitations`, { email: 'rep@bastion.demo', name: 'Bea Stone', roles: ['partner_reviewer'], clearance: 'CUI' });
    expectStatus(inv, 201, 'invite');
    const outbox = await c.admin.get('/api/v1/admin/outbox');
    const mail = outbox.body.items.find((m: { to: string }) => m.to === 'rep@bastion.demo');
    const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail?.body ?? '')?.[1];
    if (!token) throw new Error('no invitation link in the outbox');
    c.bastion = new ApiClient(base);
    expectStatus(await c.bastion.post('/api/v1/auth/invitations/accept', { token, password: 'scenario-bastion-password-1' }), 200, 'accept invitation');
    const me = await c.bastion.get('/api/v1/me');
    expectStatus(me, 200, 'GET /me as the Bastion representative');
    return { organisation: me.body.organisation.name };
  });

  await s.step('both partners apply, answering every criterion with evidence and declarations', async () => {
    const a = await c.partner.post('/api/v1/partners/applications', application(keys, 'Sentinel'));
    expectStatus(a, 201, 'Sentinel applies');
    sentinelApp = a.body.id;
    const b = await c.bastion.post('/api/v1/partners/applications', application(keys, 'Bastion'));
    expectStatus(b, 201, 'Bastion applies');
    bastionApp = b.body.id;
    expectStatus(await c.bastion.get(`/api/v1/partners/applications/${sentinelApp}`), 404, 'a partner reads another partner’s application');
    return { sentinel: a.body.status, bastion: b.body.status, evidence: a.body.evidence.length };
  });

  await s.step('NIST vets both applications criterion by criterion and finds them eligible', async () => {
    for (const app of [sentinelApp, bastionApp]) {
      for (const k of keys) expectStatus(await c.nist.request('PUT', `/api/v1/partners/applications/${app}/findings/${k}`, { met: true, note: `Met: ${k}` }), 200, `finding ${k}`);
      expectStatus(await c.nist.post(`/api/v1/partners/applications/${app}/decision`, { outcome: 'eligible', reasons: 'Every criterion is met.', eligibleForDays: 365 }), 200, 'decide');
    }
    const seen = await c.partner.get(`/api/v1/partners/applications/${sentinelApp}`);
    if (seen.body.status !== 'eligible' || seen.body.findings.length !== keys.length) throw new Error('Sentinel does not see its eligibility and findings');
    return { status: seen.body.status, reasons: seen.body.outcomeReasons };
  });

  await s.step('the lab registers a model, NSA answers its consultation, and the lab opens a window', async () => {
    const m = await c.lab.post('/api/v1/models', {
      name: 'Meridian Partners',
      version: '1.0',
      modality: 'text',
      plannedReleaseAt: iso(40 * DAY),
      trainingComputeFlop: 2e26,
      computeEstimationMethod: 'accelerator-hours × sustained throughput',
      intendedDeployment: 'public API',
      capabilitySummary: 'agentic coding assistant',
    });
    expectStatus(m, 201, 'register model');
    modelId = m.body.id;
    outcome.modelId = modelId;
    outcome.plannedReleaseAt = m.body.plannedReleaseAt;
    for (const a of (await c.lab.get('/api/v1/agencies')).body.items) agencies[a.agencyCode] = a.id;
    const q = await c.lab.post(`/api/v1/models/${modelId}/consultations`, { question: 'Would this model benefit from review?' });
    expectStatus(q, 201, 'open consultation');
    expectStatus(await c.nsa.post(`/api/v1/consultations/${q.body.id}/take`), 200, 'take');
    expectStatus(await c.nsa.post(`/api/v1/consultations/${q.body.id}/answer`, { recommendation: 'would_benefit', message: 'A pre-release review is recommended.' }), 200, 'answer');
    const w = await c.lab.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: [agencies.NSA, agencies.CISA], closesAt: iso(20 * DAY) });
    expectStatus(w, 201, 'open window');
    windowId = w.body.id;
    return { modelId, windowId };
  });

  await s.step('a joint panel (NIST, DoD and the lab) selects Sentinel with the lab’s concurrence; Sentinel joins the window', async () => {
    const p = await c.nist.post('/api/v1/partners/panels', {
      windowId,
      applicationId: sentinelApp,
      members: [
        { userId: uid.nist, side: 'government' },
        { userId: uid.dod, side: 'government' },
        { userId: uid.lab, side: 'developer' },
      ],
    });
    expectStatus(p, 201, 'constitute panel');
    panel1 = p.body.id;
    const noCite = await c.nist.post(`/api/v1/partners/panels/${panel1}/conflicts`, { conflicted: false }).then(() => c.nist.post(`/api/v1/partners/panels/${panel1}/votes`, { vote: 'approve', rationale: 'Looks fine', citedCriteria: [] }));
    expectStatus(noCite, 400, 'a vote citing no criterion');
    await vote('nist', panel1, 'approve', 'Clearance and controls verified', keys.slice(0, 2));
    const before = await vote('dod', panel1, 'approve', 'Expertise shown in prior engagements', keys.slice(2, 3));
    if (before !== 'open') throw new Error('the panel decided without the developer’s concurrence');
    const after = await vote('lab', panel1, 'approve', 'We concur: expertise and controls shown', keys.slice(1, 3));
    if (after !== 'approved') throw new Error(`panel status ${after}`);
    if (!(await hasGrant(sentinelOrg))) throw new Error('Sentinel is not among the window’s grants');
    return { status: after };
  });

  await s.step('a second panel refuses Bastion for want of the lab’s concurrence', async () => {
    const p = await c.nist.post('/api/v1/partners/panels', {
      windowId,
      applicationId: bastionApp,
      members: [
        { userId: uid.nist, side: 'government' },
        { userId: uid.dod, side: 'government' },
        { userId: uid.lab, side: 'developer' },
      ],
    });
    expectStatus(p, 201, 'constitute panel');
    panel2 = p.body.id;
    await vote('nist', panel2, 'approve', 'Every criterion met', keys.slice(0, 1));
    await vote('dod', panel2, 'approve', 'Every criterion met', keys.slice(0, 1));
    const st = await vote('lab', panel2, 'refuse', 'We prefer not to share with them', keys.slice(-1));
    if (st !== 'refused') throw new Error(`panel status ${st}`);
    if (await hasGrant(bastionOrg)) throw new Error('a refused partner holds a grant on the window');
    const app = await c.bastion.get(`/api/v1/partners/applications/${bastionApp}`);
    if (!app.body.decisions?.[0]?.appealable) throw new Error('the refusal is not appealable');
    return { status: st };
  });

  await s.step('Bastion appeals; a panel of different members (OSTP, ONCD and the lab’s administrator) admits it', async () => {
    const a = await c.bastion.post(`/api/v1/partners/panels/${panel2}/appeal`, { grounds: 'The refusal cites no unmet criterion.' });
    expectStatus(a, 201, 'appeal');
    appealId = a.body.id;
    expectStatus(await c.bastion.post(`/api/v1/partners/panels/${panel2}/appeal`, { grounds: 'Again' }), 409, 'a second appeal');
    const same = await c.nist.post(`/api/v1/partners/appeals/${appealId}/panel`, { members: [{ userId: uid.ostp, side: 'government' }, { userId: uid.lab, side: 'developer' }] });
    expectStatus(same, 400, 'an appeal panel with a first-panel member');
    const ok = await c.nist.post(`/api/v1/partners/appeals/${appealId}/panel`, {
      members: [
        { userId: uid.ostp, side: 'government' },
        { userId: uid.oncd, side: 'government' },
        { userId: uid.labAdmin, side: 'developer' },
      ],
    });
    expectStatus(ok, 200, 'staff appeal panel');
    await vote('ostp', appealId, 'approve', 'No unmet criterion was cited', keys.slice(-1));
    await vote('oncd', appealId, 'approve', 'The conflicts declaration is clean', keys.slice(-1));
    const st = await vote('labAdmin', appealId, 'approve', 'We concur on appeal', keys.slice(-1));
    if (st !== 'approved') throw new Error(`appeal panel status ${st}`);
    if (!(await hasGrant(bastionOrg))) throw new Error('Bastion is not among the window’s grants after its appeal');
    const app = await c.bastion.get(`/api/v1/partners/applications/${bastionApp}`);
    const appeal = app.body.decisions.find((x: { kind: string }) => x.kind === 'appeal');
    if (appeal?.status !== 'approved') throw new Error('Bastion does not see the appeal’s outcome');
    return { status: st, reasons: appeal.reasons };
  });

  await s.step('Sentinel files a safeguard-bypass finding and shares it; the lab mitigates; Sentinel verifies', async () => {
    const f = await c.partner.post('/api/v1/findings', {
      modelId,
      kind: 'safeguard_bypass',
      title: 'Refusal bypass by role-play framing',
      summary: 'A role-play framing makes the model write exploit code it otherwise refuses.',
      cvssVector: V40,
      products: [],
    });
    expectStatus(f, 201, 'file finding');
    bypassId = f.body.id;
    expectStatus(await c.lab.get(`/api/v1/findings/${bypassId}`), 404, 'the lab reads an unshared finding');
    const sh = await c.partner.post(`/api/v1/findings/${bypassId}/actions`, { event: 'share' });
    expectStatus(sh, 200, 'share');
    const m = await c.lab.post(`/api/v1/findings/${bypassId}/actions`, { event: 'mitigate', note: 'Classifier retrained on the role-play family.' });
    expectStatus(m, 200, 'mitigate');
    const v = await c.partner.post(`/api/v1/findings/${bypassId}/actions`, { event: 'verify', note: 'Re-tested: holds.' });
    expectStatus(v, 200, 'verify');
    const model = await c.lab.get(`/api/v1/models/${modelId}`);
    if (new Date(model.body.plannedReleaseAt).getTime() < Date.now() + 39 * DAY) throw new Error('the release moved');
    return { rating: f.body.rating, cvssScore: f.body.cvssScore, status: v.body.status };
  });

  await s.step('Sentinel files a third-party vulnerability finding; it reaches the clearinghouse', async () => {
    const f = await c.partner.post('/api/v1/findings', {
      modelId,
      kind: 'third_party_vulnerability',
      title: 'Heap overflow in the DICOM parser',
      summary: 'The model found a heap overflow in a widely used DICOM parser.',
      cvssVector: V31,
      cwe: 'CWE-122',
      products: ['pkg:npm/dicom-parser@1.8.0'],
    });
    expectStatus(f, 201, 'file finding');
    vulnId = f.body.id;
    const h = await until('the clearinghouse hand-off', async () => {
      const r = await c.partner.get(`/api/v1/findings/${vulnId}`);
      return r.body?.handoff?.state === 'delivered' && r.body.handoff.clearinghouseReportId ? r.body.handoff : undefined;
    });
    outcome.findingId = vulnId;
    outcome.clearinghouseReportId = h.clearinghouseReportId;
    return { handoff: h.state, clearinghouseReportId: h.clearinghouseReportId };
  });

  await s.step('the public transparency report shows the quarter, without signing in', async () => {
    const anon = new ApiClient(base);
    const r = await anon.get('/api/v1/transparency/report');
    expectStatus(r, 200, 'transparency report');
    if (!/^\d{4}-Q[1-4]$/.test(r.body.quarter)) throw new Error(`quarter ${r.body.quarter}`);
    const text = JSON.stringify(r.body);
    for (const name of ['Sentinel', 'Bastion', 'Meridian']) if (text.includes(name)) throw new Error(`the report names ${name}`);
    return { quarter: r.body.quarter, applications: r.body.partners.applications, findingsByKind: r.body.findings.byKind };
  });

  return s;
}
