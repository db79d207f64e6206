import { ApiClient, signInDemo, type Reply } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';
import { checkCsaf, checkOsv } from '../document-checks.ts';
import type { PartnersOutcome } from './partners.ts';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const PACKAGE = 'pkg:npm/dicom-parser';
const TOOL = 'Lantern Scanner';
const CASES = '/api/v1/clearinghouse/cases';
const ADVISORIES = '/api/v1/clearinghouse/advisories';

/** What the operators stage builds on: the published advisory. */
export interface ClearinghouseOutcome {
  vulnerabilityId: string;
  advisoryId: string;
  trackingId: string;
}

/** A SARIF 2.1.0 log from an AI vulnerability-detection tool: one result, no code location (the tool reports the package), CWE-122 on the rule. */
function sarifLog(run: string) {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL,
            version: '0.9.2',
            informationUri: 'https://lanternlabs.demo/scanner',
            rules: [
              {
                id: 'LS-HEAP-122',
                shortDescription: { text: 'Heap-based buffer overflow while parsing DICOM data elements' },
                properties: { tags: ['security', 'external/cwe/cwe-122'], 'security-severity': '9.8' },
              },
            ],
          },
        },
        results: [
          {
            ruleId: 'LS-HEAP-122',
            level: 'error',
            message: { text: 'A DICOM element whose declared length exceeds the remaining buffer is copied past the end of the heap allocation in dicom-parser 1.8.0.' },
            fingerprints: { 'lanternScanner/v1': `dicom-parser-heap-${run}` },
          },
        ],
      },
    ],
  };
}

/**
 * The clearinghouse end to end, on the vulnerability the partner's review found: a SARIF file from an
 * AI tool reporting the same bug is merged into it; Treasury validates it, coordinates with the vendor
 * under an embargo ahead of the model's release, ends the embargo when the fix is out, and publishes
 * TLP:CLEAR CSAF and OSV documents that pass their schemas and the CSAF mandatory tests.
 */
export async function clearinghouseStage(base: string, password: string, partners: Partial<PartnersOutcome>, outcome: Partial<ClearinghouseOutcome> = {}): Promise<Stage> {
  const s = new Stage('clearinghouse');
  const run = Date.now().toString(36);
  const c: Record<string, ApiClient> = {};
  const uid: Record<string, string> = {};
  let vulnId = '';
  let caseId = '';
  let advisoryId = '';
  let trackingId = '';

  await s.step('the partner’s finding is in Treasury’s validation queue, linked to its review finding', async () => {
    if (!partners.clearinghouseReportId || !partners.modelId) throw new Error('the partners stage handed no clearinghouse report over');
    for (const [k, email] of Object.entries({ treasury: 'treasury.analyst@treasury.demo', lantern: 'grants@lanternlabs.demo', vendor: 'security@openhealth.demo', partner: 'partner@sentinel.demo' })) {
      c[k] = await signInDemo(base, email, password);
      const me = await c[k].get('/api/v1/me');
      expectStatus(me, 200, `GET /me as ${email}`);
      uid[k] = me.body.user.id;
    }
    const r = await c.treasury.get(`/api/v1/clearinghouse/reports/${partners.clearinghouseReportId}`);
    expectStatus(r, 200, 'Treasury reads the report');
    if (r.body.findingId !== partners.findingId) throw new Error(`the report names finding ${r.body.findingId}`);
    vulnId = r.body.candidates[0]?.vulnerabilityId;
    if (!vulnId) throw new Error('the report has no candidate');
    outcome.vulnerabilityId = vulnId;
    const q = await c.treasury.get('/api/v1/clearinghouse/queue?status=received');
    expectStatus(q, 200, 'queue');
    const item = q.body.items.find((i: { id: string }) => i.id === vulnId);
    if (!item) throw new Error('the vulnerability is not in the received queue');
    return { vulnerabilityId: vulnId, status: item.status, slaDueAt: item.slaDueAt };
  });

  await s.step(`${TOOL}’s SARIF file reporting the same bug is merged as a duplicate; both reporters are credited`, async () => {
    const document = sarifLog(run);
    // The product the scanned code is: SARIF does not name packages, so the submitter says it.
    const affected = [{ purl: PACKAGE, ecosystem: 'npm', versions: ['1.8.0'] }];
    let r: Reply = await c.lantern.post('/api/v1/clearinghouse/reports', { format: 'sarif', document, affected });
    let via = 'similarity key (package, versions, CWE)';
    if (r.status === 400) {
      // Workaround while the report API cannot say which product a SARIF file scanned (no `affected`
      // field): the tool first sends its result in the Forewarn format, which names the package and
      // carries the tool's fingerprint; the SARIF file then merges on that fingerprint.
      const bridge = await c.lantern.post('/api/v1/clearinghouse/reports', {
        format: 'native',
        document: {
          title: 'Heap overflow in dicom-parser data element parsing',
          description: 'Lantern Scanner: a DICOM element whose declared length exceeds the buffer overflows the heap in dicom-parser 1.8.0.',
          cwe: ['CWE-122'],
          affected: [{ purl: `${PACKAGE}@1.8.0` }],
          tool: { name: TOOL, version: '0.9.2' },
          fingerprints: document.runs[0].results[0].fingerprints,
        },
      });
      expectStatus(bridge, 201, `${TOOL}’s package-level report`);
      if (bridge.body.candidates[0]?.vulnerabilityId !== vulnId || !bridge.body.candidates[0]?.merged) throw new Error('the package-level report was not merged into the finding’s vulnerability');
      r = await c.lantern.post('/api/v1/clearinghouse/reports', { format: 'sarif', document });
      via = 'tool fingerprint (workaround: the report API takes no affected products for SARIF)';
    }
    expectStatus(r, 201, 'submit SARIF');
    const cand = r.body.candidates[0];
    if (r.body.format !== 'sarif' || cand?.vulnerabilityId !== vulnId || cand.merged !== true) throw new Error(`the SARIF candidate was not merged: ${JSON.stringify(r.body.candidates)}`);
    const v = await c.treasury.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`);
    expectStatus(v, 200, 'read vulnerability');
    const reporters = new Set(v.body.credits.map((x: { reporterUserId: string }) => x.reporterUserId));
    if (!reporters.has(uid.partner) || !reporters.has(uid.lantern)) throw new Error('the partner and the tool’s submitter are not both credited');
    const mine = await c.lantern.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`);
    if (mine.body?.view !== 'reporter' || mine.body.credits.some((x: { reporterUserId: string }) => x.reporterUserId !== uid.lantern)) throw new Error('the tool’s submitter sees more than its own reports');
    return { merged: true, via, credits: v.body.credits.length, reporters: reporters.size };
  });

  await s.step('Treasury triages and validates it, with CVSS, CWE-122 and the affected range (fixed in 1.8.1)', async () => {
    for (const to of ['triage', 'validating']) expectStatus(await c.treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/transition`, { to }), 200, `move to ${to}`);
    const bad = await c.treasury.request('PUT', `/api/v1/clearinghouse/vulnerabilities/${vulnId}/assessment`, { cvss: [V31], cwe: ['CWE-122'], affected: [{ purl: PACKAGE, ranges: [{ type: 'SEMVER', events: [{ fixed: '1.8.1' }] }] }] });
    expectStatus(bad, 400, 'a range without an introduced event');
    const a = await c.treasury.request('PUT', `/api/v1/clearinghouse/vulnerabilities/${vulnId}/assessment`, {
      cvss: [V31],
      cwe: ['CWE-122'],
      affected: [{ purl: PACKAGE, ecosystem: 'npm', name: 'dicom-parser', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.8.1' }] }] }],
    });
    expectStatus(a, 200, 'assessment');
    const v = await c.treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/transition`, { to: 'validated' });
    expectStatus(v, 200, 'move to validated');
    const score = v.body.cvss?.[0];
    if (v.body.status !== 'validated' || score?.baseScore !== 9.8 || v.body.cwe?.[0] !== 'CWE-122') throw new Error(`vulnerability shows ${JSON.stringify({ status: v.body.status, cvss: v.body.cvss, cwe: v.body.cwe })}`);
    return { status: v.body.status, cvss: `${score.baseScore} ${score.severity}`, history: v.body.history?.map((h: { to: string }) => h.to) };
  });

  await s.step('Treasury opens a case: the vendor is found by package-url; the embargo defaults ahead of the model’s release, in a named time zone', async () => {
    const r = await c.treasury.post(CASES, { vulnerabilityId: vulnId });
    expectStatus(r, 201, 'open case');
    caseId = r.body.id;
    const vendor = r.body.vendors.find((v: { name: string }) => v.name === 'OpenHealth Software');
    if (vendor?.addedHow !== 'purl' || !vendor.matchedPurls.includes(PACKAGE)) throw new Error(`vendors: ${JSON.stringify(r.body.vendors)}`);
    const e = r.body.embargo;
    const release = new Date(partners.plannedReleaseAt ?? 0).getTime();
    const at = new Date(e.releaseAt).getTime();
    if (!(at > Date.now() && at < release)) throw new Error(`embargo ${e.releaseAt} is not between now and the planned release ${partners.plannedReleaseAt}`);
    if (!e.active || !e.timeZone || !e.display.includes(e.timeZone) || !/[+-]\d{2}:\d{2}$|Z$/.test(e.local)) throw new Error(`embargo clock ${JSON.stringify(e)}`);
    const basis = r.body.embargoHistory[0];
    if (basis?.modelId !== partners.modelId) throw new Error(`embargo basis ${JSON.stringify(basis)}`);
    const vuln = await c.treasury.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`);
    if (vuln.body.status !== 'coordinating') throw new Error(`vulnerability is ${vuln.body.status}`);
    return { caseId, vendor: vendor.name, embargo: e.display, daysBeforeRelease: Math.round((release - at) / 86_400_000), basis: basis.basis };
  });

  await s.step('the vendor sees its case and states its product fixed in 1.8.1', async () => {
    const mine = await c.vendor.get(`${CASES}/mine`);
    expectStatus(mine, 200, 'vendor cases');
    if (!mine.body.items.some((x: { id: string }) => x.id === caseId)) throw new Error('the vendor does not see the case');
    expectStatus(await c.lantern.get(`${CASES}/${caseId}`), 404, 'the case read by an organisation outside it');
    const st = await c.vendor.request('PUT', `${CASES}/${caseId}/statements`, { product: PACKAGE, status: 'fixed', fixedVersion: '1.8.1', remediation: 'Upgrade dicom-parser to 1.8.1 or later.' });
    expectStatus(st, 200, 'statement');
    const mineStmt = st.body.statements.find((x: { product: string }) => x.product === PACKAGE);
    if (mineStmt?.status !== 'fixed' || mineStmt.fixedVersion !== '1.8.1') throw new Error(`statements: ${JSON.stringify(st.body.statements)}`);
    return { status: mineStmt.status, fixedVersion: mineStmt.fixedVersion };
  });

  await s.step('Treasury drafts the TLP:CLEAR advisory; publishing is refused while the embargo holds', async () => {
    const d = await c.treasury.post(ADVISORIES, {
      vulnerabilityId: vulnId,
      tlp: 'CLEAR',
      title: 'Heap overflow in dicom-parser before 1.8.1',
      summary: 'dicom-parser before 1.8.1 writes past a heap buffer when a DICOM element declares a length longer than the data; a crafted image can crash or take over the process that parses it.',
      description: 'Found during a pre-release review of an AI model by a trusted partner, and independently by an AI vulnerability-detection tool. Upgrade to 1.8.1.',
      cwe: { id: 'CWE-122', name: 'Heap-based Buffer Overflow' },
    });
    expectStatus(d, 201, 'draft');
    advisoryId = d.body.id;
    expectStatus(await new ApiClient(base).get(`${ADVISORIES}/${advisoryId}`), 404, 'an anonymous read of the draft');
    const early = await c.treasury.post(`${ADVISORIES}/${advisoryId}/publish`, { csafStatus: 'final' });
    expectStatus(early, 409, 'publication under embargo');
    return { status: d.body.status, refusal: early.body.type };
  });

  await s.step('Treasury ends the embargo early because the vendor’s fix is out', async () => {
    const reason = 'The vendor released the fix (dicom-parser 1.8.1); operators need the advisory now.';
    const r = await c.treasury.post(`${CASES}/${caseId}/embargo/end`, { reason });
    expectStatus(r, 200, 'end embargo');
    const last = r.body.embargoHistory.at(-1);
    if (r.body.embargo.active || new Date(r.body.embargo.releaseAt).getTime() > Date.now() || last?.reason !== reason) throw new Error(`embargo ${JSON.stringify(r.body.embargo)} history ${JSON.stringify(last)}`);
    return { ended: r.body.embargo.display, action: last.action };
  });

  await s.step('Treasury publishes the advisory TLP:CLEAR; anyone can read it', async () => {
    const p = await c.treasury.post(`${ADVISORIES}/${advisoryId}/publish`, { csafStatus: 'final' });
    expectStatus(p, 200, 'publish');
    trackingId = p.body.trackingId;
    if (p.body.status !== 'published' || !/^FWN-\d{4}-\d{4,6}$/.test(trackingId ?? '')) throw new Error(`advisory ${p.body.status} ${trackingId}`);
    Object.assign(outcome, { advisoryId, trackingId });
    const anon = await new ApiClient(base).get(`${ADVISORIES}/${trackingId}`);
    expectStatus(anon, 200, 'anonymous read');
    const v = await c.treasury.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`);
    if (v.body.status !== 'published') throw new Error(`vulnerability is ${v.body.status}`);
    return { trackingId, tlp: anon.body.tlp, severity: anon.body.severity, distributionUrl: anon.body.distributionUrl };
  });

  await s.step('the CSAF document passes the CSAF 2.0 schema and mandatory tests; the OSV record passes the OSV schema', async () => {
    const anon = new ApiClient(base);
    const csafR = await anon.get(`${ADVISORIES}/${trackingId}/documents/csaf.json`);
    expectStatus(csafR, 200, 'CSAF document');
    const osvR = await anon.get(`${ADVISORIES}/${trackingId}/documents/osv.json`);
    expectStatus(osvR, 200, 'OSV document');
    const csafDoc = typeof csafR.body === 'string' ? JSON.parse(csafR.body) : csafR.body;
    const osvDoc = typeof osvR.body === 'string' ? JSON.parse(osvR.body) : osvR.body;
    const csaf = checkCsaf(csafDoc);
    const osvChecks = (Array.isArray(osvDoc) ? osvDoc : [osvDoc]).map(checkOsv);
    const osv = { schemaValid: osvChecks.every((x) => x.schemaValid === true) ? true : osvChecks.some((x) => x.schemaValid === false) ? false : null };
    if (csaf.schemaValid === false || csaf.mandatoryTests.failed > 0 || osv.schemaValid === false) {
      throw new Error(`CSAF schema ${csaf.schemaValid} ${csaf.schemaErrors.join('; ')}, mandatory tests failed ${csaf.mandatoryTests.failedIds.join(', ')}; OSV schema ${osvChecks.flatMap((x) => x.schemaErrors).join('; ')}`);
    }
    const affected = (Array.isArray(osvDoc) ? osvDoc[0] : osvDoc)?.affected?.[0];
    const events = JSON.stringify(affected?.ranges?.[0]?.events ?? []);
    if (affected?.package?.name !== 'dicom-parser' || !events.includes('1.8.1')) throw new Error(`OSV affected ${JSON.stringify(affected)}`);
    return {
      trackingId,
      csaf: { schemaValid: csaf.schemaValid, mandatoryTests: { passed: csaf.mandatoryTests.passed, failed: csaf.mandatoryTests.failed } },
      osv,
      csafTrackingId: csafDoc.document?.tracking?.id,
      osvId: (Array.isArray(osvDoc) ? osvDoc[0] : osvDoc)?.id,
    };
  });

  return s;
}
