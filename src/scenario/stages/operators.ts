import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedMail } from '../../dev/smtp-sink.ts';
import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';
import { until } from '../wait.ts';
import type { ClearinghouseOutcome } from './clearinghouse.ts';
import type { PartnersOutcome } from './partners.ts';

const PACKAGE = 'pkg:npm/dicom-parser';

interface Operator {
  key: 'hospital' | 'bank' | 'utility';
  email: string;
  asset: string;
  /** The dicom-parser version its system runs (the bank runs the fixed one). */
  dicomVersion: string;
  alerts: string;
  client?: ApiClient;
  orgName?: string;
  assetId?: string;
}

const OPERATORS: Operator[] = [
  { key: 'hospital', email: 'it@prairiehospital.demo', asset: 'PACS image viewer', dicomVersion: '1.8.0', alerts: 'pacs-alerts@prairiehospital.demo' },
  { key: 'bank', email: 'it@heartlandbank.demo', asset: 'Document imaging service', dicomVersion: '1.8.1', alerts: 'security-alerts@heartlandbank.demo' },
  { key: 'utility', email: 'it@riverbendutilities.demo', asset: 'Occupational health portal', dicomVersion: '1.8.0', alerts: 'ot-alerts@riverbendutilities.demo' },
];

/** A CycloneDX 1.5 JSON SBOM of a small web system that bundles dicom-parser at the given version. */
function sbom(subject: string, dicomVersion: string): string {
  const lib = (name: string, version: string) => ({ type: 'library', 'bom-ref': `pkg:npm/${name}@${version}`, name, version, purl: `pkg:npm/${name}@${version}` });
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: { timestamp: new Date().toISOString(), component: { type: 'application', name: subject, version: '3.2.0' } },
    components: [lib('dicom-parser', dicomVersion), lib('express', '4.21.2'), lib('lodash', '4.17.21')],
  });
}

interface WebhookDelivery {
  event: string | undefined;
  deliveryId: string | undefined;
  verified: boolean;
  body: string;
}

/** The hospital's webhook receiver on 127.0.0.1: it checks each request's HMAC signature the way the delivery README shows. */
async function startWebhookReceiver(secret: () => string | null): Promise<{ url: string; deliveries: WebhookDelivery[]; close(): Promise<void> }> {
  const deliveries: WebhookDelivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = String(req.headers['forewarn-signature'] ?? '');
      const pairs = header.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const);
      const t = pairs.find(([k]) => k === 't')?.[1] ?? '';
      const key = secret();
      let verified = false;
      if (key && /^\d+$/.test(t) && Math.abs(Date.now() / 1000 - Number(t)) <= 300) {
        const want = createHmac('sha256', key).update(`${t}.${body}`).digest();
        verified = pairs.some(([k, v]) => {
          const got = Buffer.from(k === 'v1' ? v : '', 'hex');
          return got.length === want.length && timingSafeEqual(got, want);
        });
      }
      deliveries.push({ event: req.headers['forewarn-event'] as string | undefined, deliveryId: req.headers['forewarn-delivery'] as string | undefined, verified, body });
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/forewarn/events`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Operators end to end around the advisory of the model's finding: three demo operators upload SBOMs
 * (two run the vulnerable dicom-parser) and add channels before the advisory exists; once it is
 * published it matches exactly those two, who are told by email and (the hospital) by a signed
 * webhook; the hospital's patched SBOM closes its record by itself before the model's release, and
 * the model's defender head start reads 50%. The bank, on the fixed version, hears nothing.
 *
 * Two halves around the clearinghouse stage: `beforePublication` then `afterPublication`.
 */
export function operatorsStage(base: string, password: string, mails: ReceivedMail[], partners: Partial<PartnersOutcome>) {
  const s = new Stage('operators');
  const ops = Object.fromEntries(OPERATORS.map((o) => [o.key, { ...o }])) as Record<Operator['key'], Operator>;
  let webhookSecret: string | null = null;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | null = null;
  let treasury!: ApiClient;
  let remediationId = '';

  async function beforePublication(): Promise<void> {
    await s.step('the three operators upload SBOMs (two run dicom-parser 1.8.0, the bank the fixed 1.8.1) and add their channels', async () => {
      receiver = await startWebhookReceiver(() => webhookSecret);
      const out: Record<string, unknown> = {};
      for (const o of Object.values(ops)) {
        o.client = await signInDemo(base, o.email, password);
        const me = await o.client.get('/api/v1/me');
        expectStatus(me, 200, `GET /me as ${o.email}`);
        o.orgName = me.body.organisation.name;
        const a = await o.client.post('/api/v1/inventory/assets', { name: o.asset, kind: 'system', description: 'Scenario system bundling a DICOM parser' });
        expectStatus(a, 201, `${o.key} creates an asset`);
        o.assetId = a.body.id;
        const up = await o.client.post(`/api/v1/inventory/assets/${o.assetId}/sboms`, { document: sbom(o.asset, o.dicomVersion) });
        expectStatus(up, 201, `${o.key} uploads an SBOM`);
        if (up.body.format !== 'cyclonedx-json' || up.body.componentCount !== 3) throw new Error(`${o.key}'s SBOM reads ${JSON.stringify(up.body)}`);
        expectStatus(await o.client.post('/api/v1/inventory/profile/channels', { kind: 'email', address: o.alerts }), 201, `${o.key} adds an email channel`);
        out[o.key] = { organisation: o.orgName, dicomParser: o.dicomVersion };
      }
      const hook = await ops.hospital.client!.post('/api/v1/inventory/profile/channels', { kind: 'webhook', address: receiver.url, tlpMax: 'CLEAR' });
      expectStatus(hook, 201, 'the hospital adds a webhook');
      webhookSecret = hook.body.secret;
      if (!webhookSecret) throw new Error('the webhook secret was not shown on creation');
      const profile = await ops.hospital.client!.get('/api/v1/inventory/profile');
      if (JSON.stringify(profile.body).includes(webhookSecret)) throw new Error('the profile shows the webhook secret again');
      const test = await ops.hospital.client!.post(`/api/v1/inventory/profile/channels/${hook.body.id}/test`);
      expectStatus(test, 200, 'test the webhook');
      if (!test.body.delivered || !receiver.deliveries.some((d) => d.event === 'test' && d.verified)) throw new Error(`the signed test event was not received: ${JSON.stringify(test.body)}`);
      // Across another organisation's boundary the asset does not exist.
      expectStatus(await ops.bank.client!.get(`/api/v1/inventory/assets/${ops.hospital.assetId}`), 404, 'the bank reads the hospital’s asset');
      // No advisory names dicom-parser yet: the matches come from its publication.
      const before = await ops.hospital.client!.get('/api/v1/matching/matches?state=all');
      expectStatus(before, 200, 'the hospital’s matches');
      if (before.body.items.some((m: { package: string }) => m.package === PACKAGE)) throw new Error('dicom-parser matched before any advisory named it');
      return { ...out, webhook: 'test event signed and verified' };
    });
  }

  async function afterPublication(ch: Partial<ClearinghouseOutcome>): Promise<void> {
    await s.step('the published advisory matches exactly the hospital and the utility', async () => {
      if (!ch.advisoryId || !ch.trackingId) throw new Error('the clearinghouse stage published no advisory');
      treasury = await signInDemo(base, 'treasury.analyst@treasury.demo', password);
      const indexed = await until('the advisory in the matching index', async () => {
        const r = await treasury.get('/api/v1/matching/advisories?source=clearinghouse&limit=500');
        return r.body?.items?.find((a: { clearinghouseAdvisoryId: string | null }) => a.clearinghouseAdvisoryId === ch.advisoryId);
      });
      const affected = await until('two affected operators', async () => {
        const r = await treasury.get(`/api/v1/matching/advisories/${indexed.id}/affected`);
        return r.status === 200 && r.body.organisations.length >= 2 ? r.body : undefined;
      });
      const names = affected.organisations.map((o: { orgName: string }) => o.orgName).sort();
      const want = [ops.hospital.orgName!, ops.utility.orgName!].sort();
      if (JSON.stringify(names) !== JSON.stringify(want)) throw new Error(`the advisory affects ${JSON.stringify(names)}, expected ${JSON.stringify(want)}`);
      const match = (await ops.hospital.client!.get('/api/v1/matching/matches')).body.items?.find((m: { package: string }) => m.package === PACKAGE);
      if (match?.version !== '1.8.0' || match.verdict !== 'affected' || match.fixedIn !== '1.8.1') throw new Error(`the hospital's match: ${JSON.stringify(match)}`);
      const bank = await ops.bank.client!.get('/api/v1/matching/matches?state=all');
      expectStatus(bank, 200, 'the bank’s matches');
      if (bank.body.items.some((m: { package: string }) => m.package === PACKAGE)) throw new Error('the bank’s fixed version matched');
      return { advisory: ch.trackingId, affected: names, hospitalMatch: { version: match.version, fixedIn: match.fixedIn } };
    });

    await s.step('the hospital’s webhook receives the signed notice; the bank gets no record', async () => {
      const hook = await until('the hospital’s webhook', async () => receiver!.deliveries.find((d) => d.event === 'remediation.opened'));
      if (!hook.verified) throw new Error('the webhook’s signature did not verify');
      const payload = JSON.parse(hook.body);
      if (!JSON.stringify(payload).includes(ch.trackingId!)) throw new Error('the webhook does not name the advisory');
      const board = await ops.bank.client!.get('/api/v1/remediation');
      expectStatus(board, 200, 'the bank’s remediation board');
      if (board.body.items.some((r: { advisoryRef: string }) => r.advisoryRef === ch.trackingId)) throw new Error('the bank has a remediation record for the advisory');
      return { event: hook.event, deliveryId: hook.deliveryId, signatureVerified: hook.verified, items: payload.items?.length };
    });

    await s.step('the hospital uploads a patched SBOM; its remediation record closes by itself before the model’s release', async () => {
      const hospital = ops.hospital.client!;
      const board = await hospital.get('/api/v1/remediation');
      expectStatus(board, 200, 'the hospital’s board');
      const rec = board.body.items.find((r: { advisoryRef: string }) => r.advisoryRef === ch.trackingId);
      if (!rec || rec.state !== 'notified') throw new Error(`the hospital's record: ${JSON.stringify(rec)}`);
      remediationId = rec.id;
      const up = await hospital.post(`/api/v1/inventory/assets/${ops.hospital.assetId}/sboms`, { document: sbom(ops.hospital.asset, '1.8.1') });
      expectStatus(up, 201, 'upload the patched SBOM');
      const closed = await until('the record closed by SBOM', async () => {
        const r = await hospital.get(`/api/v1/remediation/${remediationId}`);
        return r.body?.state === 'patched' ? r.body : undefined;
      });
      const last = closed.history.at(-1);
      if (last?.event !== 'sbom_cleared' || last.note !== 'closed by SBOM' || last.by !== null) throw new Error(`last history entry ${JSON.stringify(last)}`);
      if (!closed.closedAt || new Date(closed.closedAt).getTime() >= new Date(partners.plannedReleaseAt ?? 0).getTime()) throw new Error(`closed at ${closed.closedAt}, release ${partners.plannedReleaseAt}`);
      const utility = (await ops.utility.client!.get('/api/v1/remediation')).body.items.find((r: { advisoryRef: string }) => r.advisoryRef === ch.trackingId);
      if (utility?.state !== 'notified') throw new Error(`the utility's record is ${utility?.state}`);
      return { state: closed.state, note: last.note, closedAt: closed.closedAt, utility: utility.state };
    });

    await s.step('the model’s defender head start reads 50% (one of two operators patched before its release)', async () => {
      if (!partners.modelId) throw new Error('no model');
      const r = await treasury.get(`/api/v1/head-start/models/${partners.modelId}`);
      expectStatus(r, 200, 'head start');
      const h = r.body;
      if (h.affected !== 2 || h.patchedBeforeRelease !== 1 || h.share !== 0.5) throw new Error(`head start ${JSON.stringify({ affected: h.affected, patched: h.patchedBeforeRelease, share: h.share })}`);
      const unpatched = (h.unpatched ?? []).map((u: { orgName: string }) => u.orgName);
      if (unpatched.length !== 1 || unpatched[0] !== ops.utility.orgName) throw new Error(`unpatched: ${JSON.stringify(unpatched)}`);
      return { model: h.model.label, affected: h.affected, patchedBeforeRelease: h.patchedBeforeRelease, headStart: `${Math.round(h.share * 100)}%`, unpatched };
    });
    // Last, because the mail queue first works through every earlier stage's emails.
    await s.step('each affected operator’s email reaches its channel address; none reaches the bank', async () => {
      const mailTo = (address: string) => mails.filter((m) => m.to.includes(address));
      const waitStart = Date.now();
      await until('the hospital’s and the utility’s emails', async () => mailTo(ops.hospital.alerts).length > 0 && mailTo(ops.utility.alerts).length > 0, 180_000);
      for (const o of [ops.hospital, ops.utility]) if (!mailTo(o.alerts).some((m) => m.data.includes(ch.trackingId!))) throw new Error(`${o.key}'s email does not name the advisory`);
      if (mailTo(ops.bank.alerts).length > 0 || mails.some((m) => m.data.includes(ch.trackingId!) && m.to.some((t) => t.endsWith('@heartlandbank.demo')))) throw new Error('the bank was emailed');
      const deliveries = await treasury.get(`/api/v1/remediation/advisories/${ch.advisoryId}/deliveries`);
      expectStatus(deliveries, 200, 'the coordinators’ delivery view');
      return {
        emails: { hospital: mailTo(ops.hospital.alerts).length, utility: mailTo(ops.utility.alerts).length, bank: 0 },
        waitedSeconds: Math.round((Date.now() - waitStart) / 1000),
        deliveryTotals: deliveries.body.totals,
      };
    });
  }

  return { stage: s, beforePublication, afterPublication, close: async () => receiver?.close() };
}
