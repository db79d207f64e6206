import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEnv, isDemo } from '../config/env.ts';
import { migrate, openDatabase } from '../db/client.ts';
import { newMasterKey, parseMasterKey } from '../lib/crypto/envelope.ts';
import { rotateMasterKey } from '../lib/crypto/keyring.ts';
import { createLogger } from '../lib/logger.ts';
import { startDemoModelEndpoint } from '../demo/model-endpoint.ts';
import { DEMO_USERS } from '../demo/demo-accounts.ts';
import { openCore, startForewarn, type Role } from '../server/start.ts';
import { resolveMasterKey, MASTER_KEY_FILE } from '../server/master-key.ts';
import { createUserCommand } from './user-create.ts';
import { clusterRole, reportReady, serveCluster } from './serve-cluster.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';

const HELP = `forewarn <command> [options]

  serve [--role api|worker|all] [--demo] [--port N] [--host H] [--processes N]
                                                                start the product (--processes: N api processes and a worker, PostgreSQL)
  migrate                                                       apply database migrations
  seed --demo                                                   load the demo organisation set
  user create --email E --name N --org ORG --roles r1,r2 [--clearance C] [--compartments A,B]
                                                                create a user (password read from FOREWARN_NEW_USER_PASSWORD or printed invite)
  audit verify [--json]                                         walk the audit hash chain
  keys rotate                                                   rewrap data keys under a new master key
  eval run --url URL --token TOKEN --suite ID --grant ID [--concurrency N]
                                                                run a task suite through the gateway, with a progress bar
  eval import FILE --url URL --token TOKEN --name N --map input=F,target=F[,choices=A|B|C|D] [--format jsonl|json|csv]
                                                                import a task suite with a field mapping
  inventory push FILE --asset NAME [--kind system|site] --url URL --token TOKEN
                                                                upload an SBOM (CycloneDX JSON/XML, SPDX JSON) to an asset
  report submit FILE [--format native|sarif|osv|csaf|vex] [--product PURL]… [--idempotency-key K] --url URL --token TOKEN
                                                                submit a vulnerability report to the clearinghouse
  osv import FILE --url URL --token TOKEN                       import public advisory data (OSV JSON or JSON Lines) for matching
  scenario [--json] [--postgres URL]                            drive a fresh instance end to end
  dev model-server [--port N] [--accuracy 0..1] [--delay-ms N] [--key K]
                                                                the deterministic reference model (OpenAI-compatible) on 127.0.0.1

Configuration comes from the environment (see README): DATABASE_URL, FOREWARN_DATA_DIR, FOREWARN_MASTER_KEY, PORT, HOST …`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'migrate': {
        const env = loadEnv();
        const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: resolve(env.FOREWARN_DATA_DIR) });
        await migrate(db);
        await db.close();
        console.log(`migrations applied (${db.kind})`);
        return 0;
      }
      case 'seed': {
        const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } });
        if (!values.demo) throw new Error('only `seed --demo` exists: production organisations are created by a platform administrator');
        const core = await openCore({ demo: true, logLevel: 'warn' }, false);
        await core.queue.stop();
        await core.database.close();
        console.log('demo organisation set present');
        return 0;
      }
      case 'user':
        if (rest[0] !== 'create') throw new Error('usage: forewarn user create …');
        return await createUserCommand(rest.slice(1));
      case 'audit': {
        if (rest[0] !== 'verify') throw new Error('usage: forewarn audit verify');
        const json = rest.includes('--json');
        // Verification needs no keys: the chain covers only unencrypted columns.
        const env = loadEnv();
        const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: resolve(env.FOREWARN_DATA_DIR) });
        await migrate(database);
        const r = await createAuditService({ db: database.db, clock: () => new Date() }).verify(null);
        await database.close();
        if (json) console.log(JSON.stringify(r));
        else if (r.ok) console.log(`audit chain intact: ${r.checked} events verified`);
        else console.log(`audit chain BROKEN at event ${r.firstBroken!.seq}: ${r.firstBroken!.reason} (${r.checked} events verified before it)`);
        return r.ok ? 0 : 1;
      }
      case 'keys':
        if (rest[0] !== 'rotate') throw new Error('usage: forewarn keys rotate');
        return await rotateKeys();
      case 'scenario': {
        const { runScenario } = await import('../scenario/scenario.ts');
        const at = rest.indexOf('--postgres');
        const postgres = at >= 0 ? rest[at + 1] : undefined;
        if (at >= 0 && !postgres?.startsWith('postgres')) throw new Error('usage: forewarn scenario [--json] [--postgres postgres://…]');
        return await runScenario({ json: rest.includes('--json'), postgres });
      }
      case 'eval': {
        const { evalCommand } = await import('../modules/evaluations/evaluations.cli.ts');
        return await evalCommand(rest);
      }
      case 'inventory': {
        const { inventoryCommand } = await import('../modules/inventory/inventory.cli.ts');
        return await inventoryCommand(rest);
      }
      case 'report': {
        const { reportCommand } = await import('../modules/clearinghouse/clearinghouse.cli.ts');
        return await reportCommand(rest);
      }
      case 'osv': {
        const { osvCommand } = await import('../modules/matching/matching.cli.ts');
        return await osvCommand(rest);
      }
      case 'dev': {
        if (rest[0] !== 'model-server') throw new Error('usage: forewarn dev model-server [--port N] [--accuracy 0..1] [--delay-ms N] [--key K]');
        const { modelServerCommand } = await import('../dev/model-server.ts');
        return await modelServerCommand(rest.slice(1));
      }
      case undefined:
      case 'help':
      case '--help':
        console.log(HELP);
        return 0;
      default:
        console.error(`unknown command ${command}\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    console.error(`forewarn: ${(err as Error).message}`);
    return 1;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string', default: 'all' }, demo: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' }, processes: { type: 'string' } },
  });
  const forked = clusterRole();
  const role = (forked ?? values.role) as Role;
  if (!['api', 'worker', 'all'].includes(role)) throw new Error('--role must be api, worker or all');
  const env = loadEnv();
  if (role !== 'all' && !env.DATABASE_URL) throw new Error('--role api|worker needs DATABASE_URL: the embedded database belongs to one process');
  const processes = values.processes === undefined ? 1 : Number(values.processes);
  if (!Number.isInteger(processes) || processes < 1 || processes > 64) throw new Error('--processes must be a whole number from 1 to 64');
  if (!forked && processes > 1) {
    if (!env.DATABASE_URL) throw new Error('--processes needs DATABASE_URL: the embedded database belongs to one process');
    if (values.role !== 'all') throw new Error('--processes starts its own api and worker processes; leave out --role');
    return serveCluster(processes, (line) => console.log(line));
  }
  const demo = values.demo ?? isDemo(env);
  const fw = await startForewarn({ role, demo, port: values.port ? Number(values.port) : undefined, host: values.host });
  if (forked) {
    reportReady();
    // The primary prints for the deployment; a forked process only serves until it is told to stop.
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await fw.close();
    return 0;
  }
  // The demo's stand-in model endpoint lives with the process that serves the demo, never in production.
  const demoModel = demo && role === 'all' ? await startDemoModelEndpoint(fw.services, fw.database.db) : null;
  const lines = [`Forewarn ${role === 'worker' ? 'worker' : `is running at ${fw.url}`} (database: ${fw.database.kind}${fw.database.kind === 'pglite' ? `, data in ${resolve(env.FOREWARN_DATA_DIR)}` : ''})`];
  if (role !== 'worker') lines.push(`  web UI: ${fw.url}/   API docs: ${fw.url}/docs   OpenAPI: ${fw.url}/openapi.json`);
  if (demo) {
    lines.push(`  demo mode — every demo account's password is FOREWARN_DEMO_PASSWORD (see README); TOTP secrets are in the README:`);
    for (const u of DEMO_USERS) lines.push(`    ${u.email.padEnd(32)} ${u.clearance.padEnd(13)} ${u.what}`);
    if (demoModel) lines.push(`  demo model endpoint (reference model server, Meridian Atlas's upstream): ${demoModel.url}/v1`);
  }
  console.log(lines.join('\n'));
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await fw.close();
  await demoModel?.close();
  return 0;
}

async function rotateKeys(): Promise<number> {
  const env = loadEnv();
  const logger = createLogger('warn');
  const dataDir = resolve(env.FOREWARN_DATA_DIR);
  const demoFile = !env.FOREWARN_MASTER_KEY;
  const oldMaster = resolveMasterKey({ fromEnv: env.FOREWARN_MASTER_KEY, demo: isDemo(env) || demoFile, dataDir, logger });
  const newEncoded = process.env.FOREWARN_NEW_MASTER_KEY ?? (demoFile ? newMasterKey() : undefined);
  if (!newEncoded) throw new Error('set FOREWARN_NEW_MASTER_KEY to the new master key (for example `openssl rand -base64 32`)');
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
  await migrate(database);
  const r = await rotateMasterKey(database.db, oldMaster, parseMasterKey(newEncoded));
  await database.close();
  if (demoFile) writeFileSync(join(dataDir, MASTER_KEY_FILE), newEncoded + '\n', { mode: 0o600 });
  console.log(`rewrapped ${r.rewrapped} data keys; new data key ${r.activeKeyId} is active.${demoFile ? ` The demo master key file was replaced.` : ' Deploy FOREWARN_NEW_MASTER_KEY as FOREWARN_MASTER_KEY now.'}`);
  return 0;
}
