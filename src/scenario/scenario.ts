import { rmSync } from 'node:fs';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { startForewarn } from '../server/start.ts';
import { foundationStage } from './stages/foundation.ts';
import { reviewStage } from './stages/review.ts';
import { evaluationsStage } from './stages/evaluations.ts';
import { grantsStage } from './stages/grants.ts';
import { partnersStage, type PartnersOutcome } from './stages/partners.ts';
import { clearinghouseStage, type ClearinghouseOutcome } from './stages/clearinghouse.ts';
import { operatorsStage } from './stages/operators.ts';
import { startSmtpSink } from '../dev/smtp-sink.ts';
import type { StageResult } from './runner.ts';

const PASSWORD = 'scenario-demo-password';

/**
 * Starts a fresh instance — embedded in a temporary folder, or with `postgres` on a new database of
 * that server, dropped at the end — and drives it over HTTP as the demo users would. Each capability
 * adds its stage here, so one command shows the whole product working.
 */
export async function runScenario(opts: { json: boolean; postgres?: string }): Promise<number> {
  const started = Date.now();
  // Operators' notices leave by email: a sink on 127.0.0.1 receives them, so nothing leaves the machine.
  const sink = await startSmtpSink();
  const scratch = opts.postgres ? await createScratchDatabase(opts.postgres, 'fw_scenario').catch(async (e) => { await sink.close(); throw e; }) : null;
  const fw = await startForewarn({
    demo: true,
    temporary: true,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: scratch?.url ?? null,
    logLevel: 'silent',
    env: { ...process.env, DATABASE_URL: undefined, FOREWARN_MASTER_KEY: undefined, FOREWARN_DEMO_PASSWORD: PASSWORD,
      // Every demo user signs in from 127.0.0.1 within a minute or two; the per-address limit is for people.
      FOREWARN_LOGIN_RATE_PER_MINUTE: '1000',
      SMTP_URL: sink.url },
  }).catch(async (e) => {
    await sink.close();
    await scratch?.drop();
    throw e;
  });
  const stages: StageResult[] = [];
  let operators: ReturnType<typeof operatorsStage> | undefined;
  try {
    stages.push((await foundationStage(fw.url, PASSWORD)).result());
    stages.push((await reviewStage(fw.url, PASSWORD)).result());
    stages.push((await evaluationsStage(fw.url, PASSWORD)).result());
    const partners: Partial<PartnersOutcome> = {};
    stages.push((await partnersStage(fw.url, PASSWORD, partners)).result());
    // Operators upload their SBOMs before the advisory exists, so its publication finds them.
    operators = operatorsStage(fw.url, PASSWORD, sink.mails, partners);
    await operators.beforePublication();
    const published: Partial<ClearinghouseOutcome> = {};
    stages.push((await clearinghouseStage(fw.url, PASSWORD, partners, published)).result());
    await operators.afterPublication(published);
    stages.push(operators.stage.result());
    stages.push((await grantsStage(fw.url, PASSWORD)).result());
  } finally {
    await operators?.close();
    await fw.close();
    await sink.close();
    rmSync(fw.dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }
  const steps = stages.flatMap((s) => s.steps);
  const passed = steps.filter((s) => s.ok).length;
  const failed = steps.length - passed;
  const summary = { scenario: 'forewarn', database: fw.database.kind, seconds: Math.round((Date.now() - started) / 100) / 10, passed, failed, stages };
  if (opts.json) console.log(JSON.stringify(summary, null, 2));
  else for (const s of steps) console.log(`${s.ok ? 'PASS' : 'FAIL'}  ${s.step}${s.error ? ` — ${s.error}` : ''}`);
  console.log(`scenario: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
