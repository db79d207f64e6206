// `forewarn osv import FILE --url URL --token TOKEN`: a client of the API. The file (OSV JSON: one
// record or a list; or JSONL, one record a line) is checked whole here, then sent in batches; each
// batch is all or nothing on the server, and re-sending a batch is harmless (same `modified` = no-op).
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidAdvisoryError, parseOsvText } from './osv.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo = (): CliIo => ({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });

const USAGE = `Usage:
  forewarn osv import FILE --url URL --token TOKEN [--batch N]
      Imports public advisory data (OSV JSON or JSONL) for matching inventories against (TLP:CLEAR).
      Needs a clearinghouse analyst's API token. URL and TOKEN may also come from FOREWARN_URL and
      FOREWARN_TOKEN. Records are sent N at a time (default 1000, at most 5000).
`;

const MAX_FILE_BYTES = 512 * 1024 * 1024;

class CliError extends Error {}

async function post(base: string, token: string, path: string, body: unknown) {
  const res = await fetch(`${base.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const errors = Array.isArray(json?.errors) ? json.errors.map((e: { path: string; message: string }) => `\n  ${e.path}: ${e.message}`).join('') : '';
    throw new CliError(`POST ${path} → ${res.status}: ${json?.detail ?? json?.title ?? text.slice(0, 200)}${errors}`);
  }
  return json;
}

async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { url: { type: 'string' }, token: { type: 'string' }, batch: { type: 'string' } } });
  const url = values.url ?? process.env.FOREWARN_URL;
  const token = values.token ?? process.env.FOREWARN_TOKEN;
  const file = positionals[0];
  if (!url || !token || !file) throw new CliError(`osv import needs FILE, --url and --token.\n${USAGE}`);
  const batch = values.batch === undefined ? 1000 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 5000) throw new CliError('--batch is a whole number from 1 to 5000.');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`Cannot read ${file}.`);
  }
  if (size > MAX_FILE_BYTES) throw new CliError(`${file} is larger than 512 MiB; split it.`);
  const text = readFileSync(file, 'utf8');
  // Checked here so that a malformed file sends nothing at all.
  try {
    parseOsvText(text);
  } catch (e) {
    if (e instanceof InvalidAdvisoryError || e instanceof SyntaxError) throw new CliError(`${file} is not valid OSV: ${e.message}`);
    throw e;
  }
  const trimmed = text.trim();
  const records = rawRecords(trimmed);
  const total = { received: 0, stored: 0, unchanged: 0, withdrawn: 0, skippedEntries: 0 };
  for (let i = 0; i < records.length; i += batch) {
    const r = (await post(url, token, '/api/v1/matching/osv-import', { records: records.slice(i, i + batch) })) as typeof total;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    io.out(`Sent ${Math.min(i + batch, records.length)} of ${records.length}.\n`);
  }
  io.out(`Imported ${total.received} OSV records: ${total.stored} stored, ${total.unchanged} unchanged, ${total.withdrawn} withdrawn, ${total.skippedEntries} affected entries without a known ecosystem skipped.\n`);
  return 0;
}

/** The file's records as JSON values (already checked by parseOsvText: a list, one object, or JSONL). */
function rawRecords(text: string): unknown[] {
  if (text.startsWith('[')) return JSON.parse(text) as unknown[];
  try {
    return [JSON.parse(text)];
  } catch {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  }
}

export async function osvCommand(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'import') return await importCommand(rest, io);
    io.err(USAGE);
    return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  } catch (e) {
    if (e instanceof CliError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof TypeError && /fetch failed/.test(e.message)) {
      io.err('Cannot reach the Forewarn URL.\n');
      return 1;
    }
    throw e;
  }
}
