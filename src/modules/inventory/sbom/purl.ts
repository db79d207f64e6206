// Package-url checking for SBOM components: the project's purl-spec implementation
// (matching/purl.ts), lenient as SBOMs in the wild need, so inventories and advisories compare the
// same canonical strings.
import { normalizePurl } from '../../matching/purl.ts';

/** Returns the canonical purl string or throws an Error whose message says what is wrong. */
export type PurlNormaliser = (purl: string) => string;

export const defaultPurlNormaliser: PurlNormaliser = (purl) => normalizePurl(purl.trim());
