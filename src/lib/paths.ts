// Files the product reads at run time (migrations, the web build, fixtures, package.json) are found
// from the project's root, not from the calling module: the same code runs from src/ under tsx and
// from the compiled bundle in dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('Forewarn: cannot find the project root (a folder holding package.json and migrations/) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const projectRoot = findRoot();

export function fromRoot(...parts: string[]): string {
  return join(projectRoot, ...parts);
}
