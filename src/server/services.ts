import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Keyring } from '../lib/crypto/keyring.ts';
import type { Queue } from '../modules/jobs/queue.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';
import { createAuthService, type AuthSettings } from '../modules/identity/auth.service.ts';
import { createDirectoryService } from '../modules/identity/directory.service.ts';
import { createMailService } from '../modules/notifications/mail.service.ts';
import { createNotifyService } from '../modules/notifications/notify.service.ts';
import { createModelsService } from '../modules/models/models.service.ts';
import { createConsultationsService } from '../modules/consultations/consultations.service.ts';
import { createDeterminationsService } from '../modules/determinations/determinations.service.ts';
import { createReviewsService } from '../modules/reviews/reviews.service.ts';
import { createGatewayService } from '../modules/gateway/gateway.service.ts';
import { createEvaluationsService } from '../modules/evaluations/evaluations.service.ts';
import { createFindingsService } from '../modules/findings/findings.service.ts';
import { createFindingHandoff } from '../modules/clearinghouse/finding-handoff.ts';
import { createPartnersService } from '../modules/partners/partners.service.ts';
import { createTransparencyService } from '../modules/transparency/transparency.service.ts';
import { createClearinghouseService } from '../modules/clearinghouse/clearinghouse.service.ts';
import { createInventoryService } from '../modules/inventory/inventory.service.ts';
import { createClearinghouseDirectory } from '../modules/clearinghouse/clearinghouse.directory.ts';
import { createKnownProducts } from '../modules/inventory/known-products.ts';
import { createCoordinationService } from '../modules/clearinghouse/coordination/coordination.service.ts';
import { createAdvisoriesService } from '../modules/clearinghouse/publication/advisories.service.ts';
import { createMatchingService } from '../modules/matching/matching.service.ts';
import { createRemediationService } from '../modules/inventory/remediation/remediation.service.ts';
import { createHeadStartService } from '../modules/inventory/head-start/head-start.service.ts';
import { createGrantsService } from '../modules/grants/grants.service.ts';
import { createWorkforceService } from '../modules/workforce/workforce.service.ts';
import type { ModuleDeps } from './module-deps.ts';

export interface ServiceConfig {
  auth: AuthSettings;
  /** Read when a link is written, because the port is known only after listening. */
  publicUrl: () => string;
  smtpUrl?: string;
  smtpFrom: string;
  /** Smallest number of contributing organisations a published transparency count may have. */
  transparencyMinCell?: number;
  /** API processes serving the deployment: each gateway process takes its share of a grant's rate. */
  apiProcesses?: number;
  /** Webhooks may go to loopback and private addresses (demo and tests; never in production). */
  allowPrivateWebhooks?: boolean;
  /** FOREWARN_EVAL_GATEWAY: 'http' sends an evaluation's requests over HTTP even when this process serves the gateway. */
  evalGatewayTransport?: 'auto' | 'http';
  /** FOREWARN_EVAL_SHARD_SAMPLES: samples per shard of an evaluation run. */
  evalShardSamples?: number;
  coordination?: { embargoLeadDays: number; embargoFallbackDays: number; defaultTimeZone: string; reminderEveryDays: number };
}

/** The composition root: each service gets only the dependencies it uses. */
export function createServices(database: Database, keyring: Keyring, queue: Queue, config: ServiceConfig, clock: () => Date = () => new Date()) {
  const db = database.db;
  const audit = createAuditService({ db, clock });
  const mail = createMailService({ db, queue, smtpUrl: config.smtpUrl, from: config.smtpFrom });
  const auth = createAuthService({ db, audit, keyring, settings: config.auth, clock });
  const directory = createDirectoryService({ db, audit, mail, publicUrl: config.publicUrl, clock, forgetUser: auth.forgetUser });
  const notify = createNotifyService({ db, mail, publicUrl: config.publicUrl });
  const deps: ModuleDeps = { db, audit, keyring, notify, queue, clock };
  const models = createModelsService(deps);
  const consultations = createConsultationsService(deps);
  const determinations = createDeterminationsService(deps);
  const reviews = createReviewsService(deps, { withdrawConsultations: consultations.withdrawAllForModel });
  // The gateway marks an evaluation run's traffic at the run's marking; the run is looked up lazily
  // because the evaluations service is built after the gateway it calls.
  const gateway = createGatewayService(deps, { listen: database.listen, processes: config.apiProcesses, markingOfRun: (runId, userId) => evaluations.markingOfRun(runId, userId) });
  const evaluations = createEvaluationsService(deps, { issueKey: gateway.issueKey, revokeKey: gateway.revokeKey, publicUrl: config.publicUrl, inProcessGateway: () => (config.evalGatewayTransport === 'http' ? null : gateway.inProcess), shardSize: config.evalShardSamples });
  // Third-party vulnerabilities found in review become clearinghouse reports (closure: built below).
  const findings = createFindingsService(deps, { deliverToClearinghouse: (h) => deliverFinding(h) });
  const partners = createPartnersService(deps);
  const headStart = createHeadStartService(deps);
  const knownProducts = createKnownProducts({ db });
  const transparency = createTransparencyService(deps, { threshold: config.transparencyMinCell, headStart });
  const clearinghouse = createClearinghouseService(deps);
  const deliverFinding = createFindingHandoff({ db, clearinghouse });
  const clearinghouseDirectory = createClearinghouseDirectory({ db });
  const coordination = createCoordinationService(deps, { clearinghouse }, config.coordination);
  const remediation = createRemediationService(deps, { mail, publicUrl: config.publicUrl, allowPrivateWebhooks: config.allowPrivateWebhooks });
  const matching = createMatchingService(deps, { onMatchEvents: (tx, events) => remediation.onMatchEvents(tx, events) });
  const advisories = createAdvisoriesService(deps, { clearinghouse, coordination, matching, publicUrl: config.publicUrl });
  const inventory = createInventoryService(deps, { onComponentsChanged: (tx, assetId) => matching.assetChanged(tx, assetId) });
  const grants = createGrantsService(deps);
  const workforce = createWorkforceService(deps);
  const domain = [models, consultations, determinations, reviews, gateway, evaluations, findings, partners, transparency, clearinghouse, coordination, advisories, inventory, matching, remediation, headStart, grants, workforce];
  return {
    audit,
    mail,
    notify,
    auth,
    directory,
    models,
    consultations,
    determinations,
    reviews,
    gateway,
    evaluations,
    findings,
    partners,
    transparency,
    clearinghouse,
    clearinghouseDirectory,
    coordination,
    advisories,
    inventory,
    knownProducts,
    matching,
    remediation,
    headStart,
    grants,
    workforce,
    queue,
    keyring,
    jobs: [mail.deliverJob, ...domain.flatMap((m) => m.jobs)],
    /** Run once the workers are up: catch-up work a crash or a stop may have missed. */
    startup: domain.map((m) => m.startup),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
