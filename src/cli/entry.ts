// The compiled product's entry (dist/server/forewarn.mjs): `npm start` runs it with plain Node, so a
// running server carries no TypeScript loader (tsx's transform cache and source maps cost ~60 MiB).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
