import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
/** A wall-clock "YYYY-MM-DDTHH:mm" some time from now; a few hours of zone offset do not matter at a day and a month out. */
const localUtc = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16);

/**
 * Grants, defensive-tool services and hiring end to end: CISA publishes a funding opportunity; Lantern
 * Security Labs applies, NIST and DoD review it without conflict, and CISA awards it; Lantern registers
 * its tool, whose SARIF report Treasury validates and the clearinghouse credits to the award; a rural
 * hospital enrols in a defensive-tool service; CISA posts a Tech Force position and moves a candidate
 * to an offer.
 */
export async function grantsStage(base: string, password: string): Promise<Stage> {
  const s = new Stage('grants');
  const run = Date.now().toString(36);
  let cisa!: ApiClient;
  let lantern!: ApiClient;
  let opportunityId = '';
  let applicationId = '';
  let awardId = '';
  let vulnerabilityId = '';
  const driverName = `LanternSweep-${run}`;

  await s.step('CISA publishes a funding opportunity for AI vulnerability-detection tools; it is public', async () => {
    cisa = await signInDemo(base, 'cisa.analyst@cisa.demo', password);
    const c = await cisa.post('/api/v1/grant-opportunities', {
      number: `CISA-AIVD-${run}`.toUpperCase().slice(0, 40),
      title: 'AI vulnerability-detection tools for critical infrastructure (scenario)',
      program: 'AI Cyber Defense Tools Program',
      summary: 'Funds companies that build AI tools which find vulnerabilities in software used by critical infrastructure.',
      eligibility: { orgKinds: ['grantee'], minEmployees: null, maxEmployees: 500, requiredAttestations: ['us_entity', 'us_ownership', 'not_debarred', 'responsible_disclosure'] },
      floorUsd: 100_000,
      ceilingUsd: 600_000,
      totalFundingUsd: 1_000_000,
      expectedAwards: 2,
      opensAtLocal: localUtc(-DAY),
      closesAtLocal: localUtc(30 * DAY),
      timeZone: 'America/New_York',
      budgetYears: 2,
      requiredSections: [
        { key: 'technical_approach', title: 'Technical approach' },
        { key: 'impact', title: 'Impact' },
      ],
      rubric: [
        { key: 'merit', title: 'Technical merit', description: 'Soundness of the approach', weight: 60 },
        { key: 'impact', title: 'Impact', description: 'Reach into critical infrastructure', weight: 40 },
      ],
    });
    expectStatus(c, 201, 'create opportunity');
    opportunityId = c.body.id;
    expectStatus(await cisa.post(`/api/v1/grant-opportunities/${opportunityId}/publish`), 200, 'publish');
    const pub = await new ApiClient(base).get(`/api/v1/public/grant-opportunities/${opportunityId}`);
    expectStatus(pub, 200, 'public opportunity');
    return { number: pub.body.number, phase: pub.body.phase, closes: pub.body.closesAt.display };
  });

  await s.step('Lantern Security Labs drafts and submits an application; eligibility is checked', async () => {
    lantern = await signInDemo(base, 'grants@lanternlabs.demo', password);
    const a = await lantern.post('/api/v1/grant-applications', { opportunityId, projectTitle: 'Lantern Sweep: AI-guided fuzzing for hospital software' });
    expectStatus(a, 201, 'draft application');
    applicationId = a.body.id;
    const p = await lantern.patch(`/api/v1/grant-applications/${applicationId}`, {
      declaredEmployees: 42,
      sections: { technical_approach: 'Coverage-guided fuzzing steered by a code model, with static triage.', impact: 'Targets EHR, PACS and SCADA software used by small operators.' },
      budget: { years: 2, lines: [{ category: 'personnel', amounts: [200_000, 200_000] }, { category: 'compute', amounts: [50_000, 50_000] }], declaredTotal: 500_000 },
      attestations: { us_entity: true, us_ownership: true, not_debarred: true, responsible_disclosure: true },
    });
    expectStatus(p, 200, 'save draft');
    if (p.body.missing.length) throw new Error(`the draft still lacks ${JSON.stringify(p.body.missing)}`);
    const sub = await lantern.post(`/api/v1/grant-applications/${applicationId}/submit`);
    expectStatus(sub, 200, 'submit');
    if (sub.body.eligibilityCheck?.eligible !== true) throw new Error(`eligibility: ${JSON.stringify(sub.body.eligibilityCheck)}`);
    return { status: sub.body.status, eligible: true };
  });

  await s.step('NIST and DoD declare no conflict and score the application; CISA awards it within the funds', async () => {
    const scored: string[] = [];
    for (const [email, merit, impact] of [
      ['nist.analyst@nist.demo', 5, 4],
      ['dod.analyst@dod.demo', 4, 5],
    ] as const) {
      const assign = await cisa.post(`/api/v1/grant-applications/${applicationId}/reviewers`, { reviewerEmail: email });
      expectStatus(assign, 201, `assign ${email}`);
      const reviewer = await signInDemo(base, email, password);
      expectStatus(await reviewer.post(`/api/v1/grant-reviews/${assign.body.id}/declaration`, { conflict: false }), 200, `${email} declares`);
      const sc = await reviewer.post(`/api/v1/grant-reviews/${assign.body.id}/scores`, {
        scores: [
          { criterionKey: 'merit', score: merit, comment: 'Sound, well-evidenced approach.' },
          { criterionKey: 'impact', score: impact, comment: 'Clear path to small operators.' },
        ],
      });
      expectStatus(sc, 200, `${email} scores`);
      scored.push(email);
    }
    const rank = await cisa.get(`/api/v1/grant-opportunities/${opportunityId}/ranking`);
    expectStatus(rank, 200, 'ranking');
    const d = await cisa.post(`/api/v1/grant-applications/${applicationId}/decision`, { decision: 'award', amountUsd: 450_000, reason: 'Ranked first; strong reach into rural hospitals.' });
    expectStatus(d, 200, 'award');
    awardId = d.body.awardId;
    if (!awardId) throw new Error('the decision made no award');
    return { reviewers: scored.length, rank: rank.body.rows.find((r: { applicationId: string }) => r.applicationId === applicationId)?.rank, awardUsd: 450_000 };
  });

  await s.step('Lantern registers its tool; its SARIF report reaches the clearinghouse and is credited to the award', async () => {
    const t = await lantern.post(`/api/v1/grant-awards/${awardId}/tools`, { name: 'Lantern Sweep', description: 'AI-guided fuzzing and static analysis', sarifDriverName: driverName });
    expectStatus(t, 201, 'register tool');
    const r = await lantern.post('/api/v1/clearinghouse/reports', {
      document: {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: driverName, version: '1.4.0', rules: [{ id: 'LS-787', shortDescription: { text: 'Out-of-bounds write in image decoder' } }] } },
            results: [
              {
                ruleId: 'LS-787',
                level: 'error',
                message: { text: `Crafted DICOM header overflows the row buffer (${run}).` },
                locations: [{ physicalLocation: { artifactLocation: { uri: `src/dicom/decode-${run}.c` }, region: { startLine: 212 } } }],
                fingerprints: { 'lanternsweep/v1': `fp-${run}` },
              },
            ],
          },
        ],
      },
    });
    expectStatus(r, 201, 'submit SARIF');
    vulnerabilityId = r.body.candidates[0]?.vulnerabilityId;
    if (!vulnerabilityId) throw new Error('the report made no vulnerability');
    const w = await lantern.get(`/api/v1/grant-awards/${awardId}`);
    expectStatus(w, 200, 'award');
    const f = w.body.findingsReported;
    if (f.count !== 1 || f.validated !== 0) throw new Error(`award shows ${JSON.stringify(f)}`);
    return f;
  });

  await s.step('Treasury validates the vulnerability; the award shows one validated finding', async () => {
    const treasury = await signInDemo(base, 'treasury.analyst@treasury.demo', password);
    for (const to of ['triage', 'validating', 'validated']) expectStatus(await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnerabilityId}/transition`, { to }), 200, `move to ${to}`);
    const w = await cisa.get(`/api/v1/grant-awards/${awardId}`);
    expectStatus(w, 200, 'award');
    const f = w.body.findingsReported;
    if (f.count !== 1 || f.validated !== 1) throw new Error(`award shows ${JSON.stringify(f)}`);
    return f;
  });

  await s.step('a rural hospital enrols in a defensive-tool service; the program sees small-operator coverage', async () => {
    const hospital = await signInDemo(base, 'it@prairiehospital.demo', password);
    const pub = await new ApiClient(base).get('/api/v1/public/services');
    expectStatus(pub, 200, 'catalogue');
    const service = pub.body.items.find((x: { sectors: string[] }) => x.sectors.includes('healthcare'));
    if (!service) throw new Error('no service open to healthcare');
    let enrolment = (await hospital.get('/api/v1/service-enrolments')).body.items?.find((e: { serviceId: string }) => e.serviceId === service.id);
    if (!enrolment) {
      const e = await hospital.post(`/api/v1/services/${service.id}/enrolments`, { tier: 'small', note: '25-bed critical access hospital' });
      expectStatus(e, 201, 'request enrolment');
      enrolment = e.body;
    }
    if (enrolment.status !== 'enrolled') expectStatus(await cisa.post(`/api/v1/service-enrolments/${enrolment.id}/decision`, { status: 'enrolled', note: 'Onboarding call booked' }), 200, 'enrol');
    const stats = await cisa.get('/api/v1/service-enrolments/stats');
    expectStatus(stats, 200, 'enrolment stats');
    const healthcare = stats.body.smallOperatorCoverage.find((c: { sector: string }) => c.sector === 'healthcare');
    if (!healthcare || healthcare.smallOperatorsEnrolled < 1) throw new Error(`coverage shows ${JSON.stringify(healthcare)}`);
    return { service: service.name, tier: 'small', healthcareCoverage: healthcare.share };
  });

  await s.step('CISA posts a Tech Force position; a candidate applies and is moved to an offer; the candidate sees the stage, not the notes', async () => {
    const p = await cisa.post('/api/v1/job-postings', {
      announcementNumber: `CISA-TF-${run}`.toUpperCase().slice(0, 40),
      title: 'AI Vulnerability Researcher (Tech Force)',
      summary: 'Find and coordinate vulnerabilities with AI-enabled tools.',
      duties: 'Run AI-assisted analysis of critical-infrastructure software; write advisories.',
      hiringPath: 'tech_force',
      payPlan: 'Tech Force band 3',
      payMinUsd: 150_000,
      payMaxUsd: 190_000,
      location: 'Arlington, VA',
      workplace: 'hybrid',
      clearanceRequired: 'secret',
      closesAt: iso(20 * DAY),
    });
    expectStatus(p, 201, 'create posting');
    expectStatus(await cisa.post(`/api/v1/job-postings/${p.body.id}/open`), 200, 'open posting');
    const candidate = await signInDemo(base, 'candidate@forewarn.demo', password);
    expectStatus(await candidate.request('PUT', '/api/v1/candidate-profile', { headline: 'Vulnerability researcher', skills: ['fuzzing', 'LLM red teaming'], certifications: ['OSCP'], clearanceHeld: 'secret' }), 200, 'profile');
    const resume = Buffer.from('Casey Candidate\nVulnerability researcher, 6 years.\n').toString('base64');
    const a = await candidate.post(`/api/v1/job-postings/${p.body.id}/applications`, { resume: { filename: 'resume.txt', contentType: 'text/plain', contentBase64: resume } });
    expectStatus(a, 201, 'apply');
    const secretNote = `internal-note-${run}`;
    for (const to of ['qualified', 'referred', 'interview', 'offer']) expectStatus(await cisa.post(`/api/v1/hiring/applications/${a.body.id}/stage`, { to, note: `${secretNote} ${to}` }), 200, `move to ${to}`);
    const mine = await candidate.get(`/api/v1/job-applications/${a.body.id}`);
    expectStatus(mine, 200, 'candidate reads status');
    if (mine.body.stage !== 'offer') throw new Error(`candidate sees ${mine.body.stage}`);
    if (JSON.stringify(mine.body).includes(secretNote)) throw new Error('the candidate sees internal notes');
    return { stage: mine.body.stage, label: mine.body.stageLabel };
  });

  return s;
}
