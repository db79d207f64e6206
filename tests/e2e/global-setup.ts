// Builds the web UI (web/dist) before the browser tests when it is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const web = join(repo, 'web');
const builtIndex = join(web, 'dist', 'index.html');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  const sources = Math.max(
    newestMtime(join(web, 'src')),
    newestMtime(join(web, 'public')),
    newestMtime(join(web, 'index.html')),
    newestMtime(join(web, 'vite.config.ts')),
  );
  return sources > built;
}

export default async function setup(): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) return; // the suite skips itself; no need to build
  if (process.env.FOREWARN_E2E_REBUILD !== '1' && !webBuildIsStale()) return;
  const { build } = await import('vite');
  console.log('[e2e] building web/dist …');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
}
