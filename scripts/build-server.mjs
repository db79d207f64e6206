// Compiles the server (src/) into dist/server/ with esbuild: one ES module per entry plus shared
// chunks for the CLI's lazily loaded commands; packages stay in node_modules, read at run time.
// `--outdir DIR` (inside the project, so that node_modules and the project's files are found from it).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/server' } } });
const outdir = resolve(root, values.outdir);
if (!outdir.startsWith(resolve(root) + '/')) throw new Error(`--outdir must be inside ${root}`);
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { forewarn: 'src/cli/entry.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
