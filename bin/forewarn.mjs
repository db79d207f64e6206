#!/usr/bin/env node
// Runs the TypeScript sources directly: one less build step between `npm ci` and a working product.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
