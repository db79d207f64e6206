// `forewarn eval run|import`: a client of the API (an API token, any Forewarn URL), so it works the
// same against a laptop instance and a deployment.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatFromName } from './import.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A terminal gets a redrawn progress bar; anything else a line per change. */
  isTTY: boolean;
  pollMs?: number;
}

const defaultIo = (): CliIo => ({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: !!process.stdout.isTTY });

const USAGE = `Usage:
  forewarn eval run --url URL --token TOKEN --suite SUITE_ID --grant GRANT_ID [--concurrency N] [--sample-limit N]
  forewarn eval import FILE --url URL --token TOKEN --name NAME [--version V] [--format jsonl|json|csv]
        --map input=FIELD,target=FIELD[,choices=F1|F2|…  or choices=FIELD][,id=FIELD][,domain=FIELD][,metadata=F1|F2]
        [--target-as auto|letter|index0|index1|text] [--solver generate|multiple-choice] [--scorer exact|includes|regex|choice|numeric|ctf-flag|model]
        [--classification UNCLASSIFIED|CUI|CONFIDENTIAL|SECRET|TOP SECRET] [--compartments A,B] [--domain DEFAULT_DOMAIN]
`;

class CliError extends Error {}

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const detail = json?.detail ?? json?.title ?? text.slice(0, 200);
    const errors = Array.isArray(json?.errors) ? json.errors.map((e: { path: string; message: string }) => `\n  ${e.path}: ${e.message}`).join('') : '';
    throw new CliError(`${method} ${path} → ${res.status}: ${detail}${errors}`);
  }
  return json;
}

/** Parses "input=question,choices=A|B|C|D,target=answer" into a field mapping. */
export function parseMapping(spec: string): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (const part of spec.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 1) throw new CliError(`--map: "${part}" is not key=value`);
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (!['input', 'choices', 'target', 'id', 'domain', 'metadata'].includes(k)) throw new CliError(`--map: unknown key "${k}" (input, choices, target, id, domain, metadata)`);
    m[k] = k === 'metadata' || (k === 'choices' && v.includes('|')) ? v.split('|').map((x) => x.trim()) : v;
  }
  if (!m.input || !m.target) throw new CliError('--map needs at least input=… and target=…');
  return m;
}

function bar(done: number, total: number, width = 30): string {
  const f = total ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(f)}${'-'.repeat(width - f)}]`;
}

function progressLine(r: any): string {
  const p = r.progress;
  const rate = p.ratePerSecond ? `${p.ratePerSecond.toFixed(1)}/s` : '–';
  const eta = p.etaSeconds !== null && p.etaSeconds !== undefined ? `${Math.ceil(p.etaSeconds)} s` : '–';
  return `${bar(p.done, p.total)} ${p.done}/${p.total} done, ${p.errors} errors, ${rate}, ETA ${eta} (${r.status})`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function aggregatesTable(agg: any): string {
  const rows = [...agg.domains, agg.overall].map((a: any) => [a.domain, String(a.n), String(a.correct), pct(a.accuracy), `${pct(a.ci.lower)}–${pct(a.ci.upper)}`, String(a.errors)]);
  const head = ['domain', 'n', 'correct', 'accuracy', '95% CI (Wilson)', 'errors'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n') + '\n';
}

async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, token: { type: 'string' }, suite: { type: 'string' }, grant: { type: 'string' }, concurrency: { type: 'string' }, 'sample-limit': { type: 'string' } } });
  const url = values.url ?? process.env.FOREWARN_URL;
  const token = values.token ?? process.env.FOREWARN_TOKEN;
  if (!url || !token || !values.suite || !values.grant) throw new CliError(`eval run needs --url, --token, --suite and --grant.\n${USAGE}`);
  const body: Record<string, unknown> = { suiteId: values.suite, grantId: values.grant };
  if (values.concurrency) body.concurrency = Number(values.concurrency);
  if (values['sample-limit']) body.sampleLimit = Number(values['sample-limit']);
  let r = await api(url, token, 'POST', '/api/v1/evaluations/runs', body);
  io.out(`run ${r.id}: ${r.suiteName} v${r.suiteVersion} on ${r.modelName ?? r.modelId} (${r.marking.banner}), ${r.progress.total} samples\n`);
  let last = '';
  for (;;) {
    const line = progressLine(r);
    if (io.isTTY) io.out(`\r${line}\x1b[K`);
    else if (line !== last) io.out(`${line}\n`);
    last = line;
    if (['completed', 'failed', 'cancelled', 'stopped'].includes(r.status)) break;
    await new Promise((res) => setTimeout(res, io.pollMs ?? 500));
    r = await api(url, token, 'GET', `/api/v1/evaluations/runs/${r.id}`);
  }
  if (io.isTTY) io.out('\n');
  if (r.statusReason) io.out(`${r.status}: ${r.statusReason}\n`);
  const agg = await api(url, token, 'GET', `/api/v1/evaluations/runs/${r.id}/aggregates`);
  io.out(aggregatesTable(agg));
  return r.status === 'completed' ? 0 : 1;
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string', default: '1' },
      format: { type: 'string' },
      map: { type: 'string' },
      'target-as': { type: 'string' },
      solver: { type: 'string' },
      scorer: { type: 'string' },
      classification: { type: 'string' },
      compartments: { type: 'string' },
      domain: { type: 'string' },
      description: { type: 'string' },
    },
  });
  const url = values.url ?? process.env.FOREWARN_URL;
  const token = values.token ?? process.env.FOREWARN_TOKEN;
  const file = positionals[0];
  if (!url || !token || !file || !values.name || !values.map) throw new CliError(`eval import needs FILE, --url, --token, --name and --map.\n${USAGE}`);
  const format = values.format ?? formatFromName(file);
  if (format !== 'jsonl' && format !== 'json' && format !== 'csv') throw new CliError('--format must be jsonl, json or csv (or name the file .jsonl/.json/.csv)');
  const mapping = parseMapping(values.map);
  if (values['target-as']) mapping.targetAs = values['target-as'];
  const body: Record<string, unknown> = { name: values.name, version: values.version, format, content: readFileSync(file, 'utf8'), mapping };
  if (values.solver) body.solver = { mode: values.solver };
  if (values.scorer) body.scorer = { kind: values.scorer };
  if (values.classification) body.classification = values.classification;
  if (values.compartments) body.compartments = values.compartments.split(',').map((c) => c.trim()).filter(Boolean);
  if (values.domain) body.defaultDomain = values.domain;
  if (values.description) body.description = values.description;
  const s = await api(url, token, 'POST', '/api/v1/evaluations/suites/import', body);
  io.out(`suite ${s.id}: ${s.name} v${s.latestVersion.version} (${s.marking.banner}), ${s.latestVersion.sampleCount} samples in ${s.latestVersion.domains.map((d: { domain: string; samples: number }) => `${d.domain} ${d.samples}`).join(', ')}\n`);
  return 0;
}

/** `forewarn eval …` (argv after "eval"). Returns the exit code. */
export async function evalCommand(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'run') return await runCommand(rest, io);
    if (sub === 'import') return await importCommand(rest, io);
    io.err(USAGE);
    return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  } catch (e) {
    if (e instanceof CliError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
