// One entry point for every SBOM Forewarn accepts: CycloneDX 1.4–1.6 JSON and XML, SPDX 2.3 JSON.
// Pure: bytes in, a normalised component list out, or a SbomRejectedError naming each failing path.
import { reject, SbomRejectedError, type SbomError } from './errors.ts';
import type { BuildContext } from './components.ts';
import { readCycloneDxJson } from './cyclonedx-json.ts';
import { readCycloneDxXml } from './cyclonedx-xml.ts';
import { resolveLimits, type SbomLimits } from './limits.ts';
import { defaultPurlNormaliser } from './purl.ts';
import { readSpdxJson } from './spdx-json.ts';
import { checkSize, decodeText, isRecord, parseJsonBounded, type SbomInput } from './text.ts';
import type { ParsedSbom, ParseSbomOptions } from './types.ts';

export type { SbomError } from './errors.ts';
export { SbomRejectedError } from './errors.ts';
export type { ParsedSbom, ParseSbomOptions, SbomComponent, SbomFormat } from './types.ts';
export { DEFAULT_SBOM_LIMITS, type SbomLimits } from './limits.ts';

/** JSON nesting allowed: two levels per component level plus room for the rest of the document. */
export function jsonNestingFor(limits: SbomLimits): number {
  return 2 * limits.maxDepth + 32;
}

export function parseSbom(input: SbomInput, options: ParseSbomOptions = {}): ParsedSbom {
  const limits = resolveLimits(options.limits);
  checkSize(input, limits.maxBytes);
  const text = decodeText(input);
  const ctx: BuildContext = {
    normalisePurl: options.normalisePurl ?? defaultPurlNormaliser,
    invalidPurl: options.invalidPurl ?? 'reject',
    errors: [],
    warnings: [],
  };
  const first = text.trimStart()[0];
  if (first === '<') return readCycloneDxXml(text, limits, ctx);
  if (first !== '{') {
    reject('The file is not an SBOM Forewarn reads.', {
      path: '',
      message: 'Expected CycloneDX 1.4–1.6 (JSON or XML) or SPDX 2.3 JSON.',
    });
  }
  const doc = parseJsonBounded(text, jsonNestingFor(limits));
  if (isRecord(doc) && 'bomFormat' in doc) return readCycloneDxJson(doc, limits, ctx);
  if (isRecord(doc) && 'spdxVersion' in doc) return readSpdxJson(doc, limits, ctx);
  return reject('The file is not an SBOM Forewarn reads.', {
    path: '',
    message: 'A JSON SBOM needs "bomFormat": "CycloneDX" or "spdxVersion": "SPDX-2.3".',
  });
}

export type SbomParseResult = { ok: true; sbom: ParsedSbom } | { ok: false; summary: string; errors: SbomError[] };

/** The same, as a value: for callers that report problems rather than throw (the CLI, batch imports). */
export function tryParseSbom(input: SbomInput, options: ParseSbomOptions = {}): SbomParseResult {
  try {
    return { ok: true, sbom: parseSbom(input, options) };
  } catch (e) {
    if (e instanceof SbomRejectedError) return { ok: false, summary: e.message, errors: e.sbomErrors };
    throw e;
  }
}
