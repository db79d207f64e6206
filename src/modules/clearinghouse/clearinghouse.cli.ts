// `forewarn report submit FILE …`: a client of the API (an API token, any Forewarn URL), so a scanner's
// pipeline or an AI vulnerability-detection tool can hand its findings to the clearinghouse.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { INTAKE_SOURCES } from './intake/candidate.ts';
import { REPORT_BODY_LIMIT, type SubmitReportResult } from './clearinghouse.types.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo = (): CliIo => ({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });

const USAGE = `Usage:
  forewarn report submit FILE [--format ${INTAKE_SOURCES.join('|')}] [--product PURL]… [--idempotency-key K] --url URL --token TOKEN
      Submits FILE (native JSON, SARIF 2.1.0, OSV JSON or JSON Lines, CSAF 2.0, CycloneDX VEX) to the
      clearinghouse and prints the report id and, for each candidate, its vulnerability and whether it
      was merged into one already known. Without --format the format is recognised from the content.
      --product names the package the scanned code is (SARIF only; repeat for several).
      A retry with the same --idempotency-key returns the first answer and creates nothing; without
      one, a key is made up for this run (and printed) so that the command's own retries are safe.
      URL and TOKEN may also come from FOREWARN_URL and FOREWARN_TOKEN.
Exit codes: 0 accepted, 1 Forewarn could not be reached or failed, 2 refused or wrong usage.
`;

/** Refused by the server or wrong usage: exit 2. */
class CliError extends Error {}
/** Not reached, or the server failed: exit 1 (worth retrying with the same key). */
class Unavailable extends Error {}

const RETRIES = 2;

async function submitOnce(base: string, token: string, key: string, body: unknown): Promise<SubmitReportResult> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}/api/v1/clearinghouse/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Unavailable(`Cannot reach ${base}.`);
  }
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.status === 201) return json as SubmitReportResult;
  const detail = json?.detail ?? json?.title ?? text.slice(0, 200);
  const errors = Array.isArray(json?.errors) ? json.errors.slice(0, 20).map((e: { path: string; message: string }) => `\n  ${e.path}: ${e.message}`).join('') : '';
  const message = `POST /api/v1/clearinghouse/reports → ${res.status}: ${detail}${errors}`;
  if (res.status >= 500 || res.status === 429) throw new Unavailable(message);
  throw new CliError(message);
}

async function submitCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, 'idempotency-key': { type: 'string' }, product: { type: 'string', multiple: true }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const url = values.url ?? process.env.FOREWARN_URL;
  const token = values.token ?? process.env.FOREWARN_TOKEN;
  const file = positionals[0];
  if (!url || !token || !file || positionals.length > 1) throw new CliError(`report submit needs one FILE, --url and --token.\n${USAGE}`);
  // "vex" is the short name `forewarn help` shows for CycloneDX VEX.
  const format = values.format === 'vex' ? 'cyclonedx-vex' : values.format;
  if (format !== undefined && !(INTAKE_SOURCES as readonly string[]).includes(format)) throw new CliError(`--format is one of ${INTAKE_SOURCES.join(', ')} (or vex).`);
  const key = values['idempotency-key'] ?? randomUUID();
  if (key.length < 1 || key.length > 200) throw new CliError('--idempotency-key is 1 to 200 characters.');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`Cannot read ${file}.`);
  }
  if (size > REPORT_BODY_LIMIT) throw new CliError(`${file} is larger than the 5 MiB a report may be.`);
  // Sent as text, exactly as read: the server recognises the format and keys retries on these bytes.
  const document = readFileSync(file, 'utf8');
  if (!document.trim()) throw new CliError(`${file} is empty.`);
  // A scanner's SARIF names files, not packages: --product says which package the scanned code is.
  const products = values.product ?? [];
  if (products.length > 50 || products.some((p) => !p.startsWith('pkg:') || p.length > 2000)) throw new CliError('--product takes a package-url (pkg:type/name@version), at most 50 times.');
  const body = { ...(format ? { format } : {}), document, ...(products.length ? { affected: products.map((purl) => ({ purl })) } : {}) };
  if (!values['idempotency-key']) io.err(`Idempotency-Key: ${key}\n`);

  let result: SubmitReportResult | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await submitOnce(url, token, key, body);
      break;
    } catch (e) {
      if (!(e instanceof Unavailable) || attempt >= RETRIES) throw e;
      io.err(`${e.message} Retrying with the same Idempotency-Key…\n`);
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  for (const w of result.warnings) io.err(`warning: ${w}\n`);
  const merged = result.candidates.filter((c) => c.merged).length;
  io.out(`Report ${result.reportId} (${result.format}): ${result.candidates.length} candidate(s), ${merged} merged into known vulnerabilities.\n`);
  for (const c of result.candidates) io.out(`  candidate ${c.index}: vulnerability ${c.vulnerabilityId} ${c.merged ? 'merged (already known)' : 'new'}\n`);
  return 0;
}

export async function reportCommand(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'submit') return await submitCommand(rest, io);
    io.err(USAGE);
    return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  } catch (e) {
    if (e instanceof CliError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof Unavailable) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
