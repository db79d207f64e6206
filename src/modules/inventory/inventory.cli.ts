// `forewarn inventory push FILE --asset NAME`: a client of the API (an API token, any Forewarn URL),
// so an operator's build pipeline can push its SBOM the same way to a laptop or a deployment.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MAX_SBOM_CHARS } from './inventory.types.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo = (): CliIo => ({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });

const USAGE = `Usage:
  forewarn inventory push FILE --asset NAME [--kind system|site] --url URL --token TOKEN
      Uploads FILE (CycloneDX 1.4–1.6 JSON or XML, SPDX 2.3 JSON) as the current SBOM of the asset NAME,
      creating the asset if your organisation has none of that name. URL and TOKEN may also come from
      FOREWARN_URL and FOREWARN_TOKEN.
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

async function pushCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { asset: { type: 'string' }, kind: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
  });
  const url = values.url ?? process.env.FOREWARN_URL;
  const token = values.token ?? process.env.FOREWARN_TOKEN;
  const file = positionals[0];
  if (!url || !token || !file || !values.asset) throw new CliError(`inventory push needs FILE, --asset, --url and --token.\n${USAGE}`);
  if (values.kind !== undefined && values.kind !== 'system' && values.kind !== 'site') throw new CliError('--kind is system or site.');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`Cannot read ${file}.`);
  }
  if (size > MAX_SBOM_CHARS) throw new CliError(`${file} is larger than the 20 MiB an SBOM may be.`);
  const document = readFileSync(file, 'utf8');
  const assets = (await api(url, token, 'GET', '/api/v1/inventory/assets')) as { items: { id: string; name: string }[] };
  let asset = assets.items.find((a) => a.name === values.asset);
  if (!asset) {
    asset = (await api(url, token, 'POST', '/api/v1/inventory/assets', { name: values.asset, kind: values.kind ?? 'system' })) as { id: string; name: string };
    io.out(`Created asset "${asset.name}".\n`);
  }
  const sbom = (await api(url, token, 'POST', `/api/v1/inventory/assets/${asset.id}/sboms`, { document })) as { id: string; version: number; format: string; componentCount: number; warnings: string[] };
  for (const w of sbom.warnings) io.err(`warning: ${w}\n`);
  io.out(`Uploaded ${sbom.format} as version ${sbom.version} of "${asset.name}": ${sbom.componentCount} components.\n`);
  return 0;
}

export async function inventoryCommand(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'push') return await pushCommand(rest, io);
    io.err(USAGE);
    return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  } catch (e) {
    if (e instanceof CliError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof TypeError && /fetch failed/.test(e.message)) {
      io.err(`Cannot reach ${argv.join(' ').match(/--url\s+(\S+)/)?.[1] ?? 'the Forewarn URL'}.\n`);
      return 1;
    }
    throw e;
  }
}
