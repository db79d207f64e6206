// SARIF 2.1.0 from scanners and AI vulnerability-detection tools. Each result becomes a candidate
// keeping the tool (driver name and version), the rule (id and its metadata, CWE from tags,
// properties or taxonomy relationships), the first physical location, and the tool's fingerprints
// and partial fingerprints. The structure is checked with a bounded schema; results that state they
// are not findings (kind pass/notApplicable/informational, suppressed, baseline "absent") are skipped
// with a warning.
import { z } from 'zod';
import { CANDIDATE_LIMITS as L, type IntakeLimits } from './limits.ts';
import type { AffectedProduct, CandidateLocation, CandidateReport } from './candidate.ts';
import { reject, zodErrors, type IntakeError } from './errors.ts';
import { clip, firstLine, isRecord, isUrlish, normaliseCwe, uniq } from './text.ts';

const s = (max: number) => z.string().max(max);
const int = z.number().int();
const boundedRecord = (max: number) =>
  z.record(z.string().max(L.fingerprintKey), z.string().max(L.fingerprintValue)).refine((r) => Object.keys(r).length <= max, `at most ${max} entries`);

const multiformat = z.looseObject({ text: s(100_000), markdown: s(100_000).optional() });
const message = z
  .looseObject({ text: s(100_000).optional(), markdown: s(100_000).optional(), id: s(256).optional(), arguments: z.array(s(10_000)).max(100).optional() })
  .refine((m) => m.text !== undefined || m.id !== undefined, 'a message needs text or an id');
const toolComponentRef = z.looseObject({ name: s(256).optional(), index: int.min(-1).optional(), guid: s(64).optional() });
const descriptorRef = z.looseObject({ id: s(256).optional(), index: int.min(-1).optional(), guid: s(64).optional(), toolComponent: toolComponentRef.optional() });
const propertyBag = z.looseObject({ tags: z.array(s(1024)).max(500).optional() });
const descriptor = z.looseObject({
  id: s(256),
  name: s(1024).optional(),
  shortDescription: multiformat.optional(),
  fullDescription: multiformat.optional(),
  helpUri: s(L.url).optional(),
  messageStrings: z.record(s(256), multiformat).optional(),
  relationships: z.array(z.looseObject({ target: descriptorRef, kinds: z.array(s(64)).max(20).optional() })).max(200).optional(),
  defaultConfiguration: z.looseObject({ level: z.enum(['none', 'note', 'warning', 'error']).optional() }).optional(),
  properties: propertyBag.optional(),
});
const toolComponent = z.looseObject({
  name: s(256).min(1),
  version: s(256).optional(),
  semanticVersion: s(256).optional(),
  rules: z.array(descriptor).max(20_000).optional(),
  taxa: z.array(descriptor).max(20_000).optional(),
});
const artifactLocation = z.looseObject({ uri: s(L.url).optional(), uriBaseId: s(256).optional(), index: int.min(-1).optional() });
const region = z.looseObject({
  startLine: int.min(1).optional(),
  startColumn: int.min(1).optional(),
  endLine: int.min(1).optional(),
  endColumn: int.min(1).optional(),
  snippet: z.looseObject({ text: s(100_000).optional() }).optional(),
});
const location = z.looseObject({
  physicalLocation: z.looseObject({ artifactLocation: artifactLocation.optional(), region: region.optional() }).optional(),
  logicalLocations: z.array(z.looseObject({ name: s(1024).optional(), fullyQualifiedName: s(4096).optional() })).max(100).optional(),
});
export const sarifResultSchema = z.looseObject({
  ruleId: s(256).optional(),
  ruleIndex: int.min(-1).optional(),
  rule: descriptorRef.optional(),
  kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  message,
  locations: z.array(location).max(1000).optional(),
  guid: s(64).optional(),
  correlationGuid: s(64).optional(),
  fingerprints: boundedRecord(L.fingerprints).optional(),
  partialFingerprints: boundedRecord(L.fingerprints).optional(),
  taxa: z.array(descriptorRef).max(200).optional(),
  baselineState: z.enum(['new', 'unchanged', 'updated', 'absent']).optional(),
  suppressions: z.array(z.looseObject({ kind: s(64), status: z.enum(['accepted', 'underReview', 'rejected']).optional() })).max(100).optional(),
  properties: propertyBag.optional(),
});
const run = z.looseObject({
  tool: z.looseObject({ driver: toolComponent, extensions: z.array(toolComponent).max(200).optional() }),
  results: z.array(z.unknown()).optional(),
  taxonomies: z.array(toolComponent).max(100).optional(),
  artifacts: z.array(z.looseObject({ location: artifactLocation.optional() })).max(100_000).optional(),
});
export const sarifLogSchema = z.looseObject({
  version: z.literal('2.1.0', { message: 'must be "2.1.0" (only SARIF 2.1.0 is accepted)' }),
  $schema: s(L.url).optional(),
  runs: z.array(z.unknown()).max(1_000),
});

type Run = z.infer<typeof run>;
type Result = z.infer<typeof sarifResultSchema>;
type Descriptor = z.infer<typeof descriptor>;

export interface SarifOptions {
  /** Products the submitter says the scanned code is (SARIF does not name packages). */
  affected?: AffectedProduct[];
}

function resolveRule(r: Result, runData: Run): { rule?: Descriptor; ruleId?: string } {
  const ref = r.rule;
  const component =
    ref?.toolComponent?.index !== undefined && ref.toolComponent.index >= 0 ? runData.tool.extensions?.[ref.toolComponent.index] : runData.tool.driver;
  const rules = component?.rules ?? [];
  const index = ref?.index ?? r.ruleIndex;
  const id = r.ruleId ?? ref?.id;
  let rule = index !== undefined && index >= 0 ? rules[index] : undefined;
  if (!rule && id) rule = rules.find((x) => x.id === id) ?? rules.find((x) => x.id === id.split('/')[0]);
  return { rule, ruleId: id ?? rule?.id };
}

function substitute(text: string, args: readonly string[] | undefined): string {
  if (!args || args.length === 0) return text;
  return text.replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole);
}

function messageText(r: Result, rule: Descriptor | undefined): string {
  const m = r.message;
  const template = m.text ?? (m.id ? rule?.messageStrings?.[m.id]?.text : undefined) ?? '';
  return substitute(template, m.arguments);
}

function cwesOf(tags: readonly string[] | undefined, props: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  for (const t of tags ?? []) {
    if (/cwe/i.test(t)) {
      const c = normaliseCwe(t);
      if (c) out.push(c);
    }
  }
  const raw = props?.cwe ?? props?.CWE ?? props?.cwes;
  for (const v of Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []) {
    const c = normaliseCwe(v);
    if (c) out.push(c);
  }
  return out;
}

function taxonomyCwes(refs: readonly z.infer<typeof descriptorRef>[] | undefined, runData: Run): string[] {
  const out: string[] = [];
  for (const ref of refs ?? []) {
    const tc = ref.toolComponent;
    const taxonomyName = tc?.name ?? (tc?.index !== undefined && tc.index >= 0 ? runData.taxonomies?.[tc.index]?.name : undefined);
    const taxonomy = taxonomyName ? runData.taxonomies?.find((t) => t.name === taxonomyName) : undefined;
    const id = ref.id ?? (ref.index !== undefined && ref.index >= 0 ? taxonomy?.taxa?.[ref.index]?.id : undefined);
    if (!id) continue;
    if ((taxonomyName && /cwe/i.test(taxonomyName)) || /^cwe/i.test(id)) {
      const c = normaliseCwe(id);
      if (c) out.push(c);
    }
  }
  return out;
}

function locationOf(r: Result, runData: Run): CandidateLocation | undefined {
  for (const loc of r.locations ?? []) {
    const phys = loc.physicalLocation;
    const art = phys?.artifactLocation;
    const fromIndex = art?.index !== undefined && art.index >= 0 ? runData.artifacts?.[art.index]?.location : undefined;
    const uri = art?.uri ?? fromIndex?.uri;
    const logical = loc.logicalLocations?.[0];
    const logicalName = logical?.fullyQualifiedName ?? logical?.name;
    if (!uri && !logicalName) continue;
    const out: CandidateLocation = { uri: uri ?? logicalName! };
    const base = art?.uriBaseId ?? fromIndex?.uriBaseId;
    if (base) out.uriBaseId = base;
    const reg = phys?.region;
    if (reg?.startLine) out.startLine = reg.startLine;
    if (reg?.startColumn) out.startColumn = reg.startColumn;
    if (reg?.endLine) out.endLine = reg.endLine;
    if (reg?.endColumn) out.endColumn = reg.endColumn;
    if (logicalName) out.logicalName = logicalName.slice(0, L.name);
    if (reg?.snippet?.text) out.snippet = reg.snippet.text.slice(0, L.text);
    return out;
  }
  return undefined;
}

function notAFinding(r: Result): string | undefined {
  if (r.kind === 'pass' || r.kind === 'notApplicable' || r.kind === 'informational') return `kind "${r.kind}"`;
  if (r.baselineState === 'absent') return 'baselineState "absent"';
  if (r.suppressions?.some((x) => x.status === undefined || x.status === 'accepted')) return 'suppressed';
  return undefined;
}

export function readSarif(doc: unknown, limits: IntakeLimits, warnings: string[], options: SarifOptions = {}): CandidateReport[] {
  const log = sarifLogSchema.safeParse(doc);
  if (!log.success) reject('The SARIF file is not valid SARIF 2.1.0.', zodErrors(log.error.issues));
  const errors: IntakeError[] = [];
  let total = 0;
  log.data.runs.forEach((r, i) => {
    const results = isRecord(r) && Array.isArray(r.results) ? r.results.length : 0;
    total += results;
    if (total > limits.maxCandidates) {
      reject('The SARIF file has too many results.', { path: `/runs/${i}/results`, message: `More than ${limits.maxCandidates} results (limit maxCandidates).` });
    }
  });
  const out: CandidateReport[] = [];
  const skipped = new Map<string, number>();
  log.data.runs.forEach((rawRun, i) => {
    const parsedRun = run.safeParse(rawRun);
    if (!parsedRun.success) {
      errors.push(...zodErrors(parsedRun.error.issues, ['runs', i]));
      return;
    }
    const runData = parsedRun.data;
    const driver = runData.tool.driver;
    (runData.results ?? []).forEach((rawResult, j) => {
      const parsed = sarifResultSchema.safeParse(rawResult);
      if (!parsed.success) {
        errors.push(...zodErrors(parsed.error.issues, ['runs', i, 'results', j]));
        return;
      }
      if (errors.length >= 50) return;
      const r = parsed.data;
      const why = notAFinding(r);
      if (why) {
        skipped.set(why, (skipped.get(why) ?? 0) + 1);
        return;
      }
      const at = `/runs/${i}/results/${j}`;
      const { rule, ruleId } = resolveRule(r, runData);
      const text = messageText(r, rule).trim();
      const ruleTitle = rule?.shortDescription?.text?.trim() || rule?.name?.trim();
      const title = ruleTitle || firstLine(text) || ruleId || `${driver.name} result`;
      const full = rule?.fullDescription?.text?.trim();
      const description = [text, full && full !== text ? full : undefined].filter(Boolean).join('\n\n') || title;
      const cwe = uniq([
        ...cwesOf(rule?.properties?.tags, rule?.properties),
        ...cwesOf(r.properties?.tags, r.properties),
        ...taxonomyCwes(rule?.relationships?.map((x) => x.target), runData),
        ...taxonomyCwes(r.taxa, runData),
      ]).slice(0, L.cwe);
      const fingerprints: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.fingerprints ?? {})) fingerprints[k] = v;
      for (const [k, v] of Object.entries(r.partialFingerprints ?? {})) fingerprints[`partial:${k}`.slice(0, L.fingerprintKey)] = v;
      if (r.correlationGuid) fingerprints.correlationGuid = r.correlationGuid;
      const version = driver.semanticVersion ?? driver.version;
      const candidate: CandidateReport = {
        source: 'sarif',
        title: clip(title, L.title, `${at} title`, warnings),
        description: clip(description, L.description, `${at}/message`, warnings),
        affected: options.affected ? structuredClone(options.affected) : [],
        fingerprints: Object.fromEntries(Object.entries(fingerprints).slice(0, L.fingerprints)),
        tool: { name: driver.name.slice(0, L.name), ...(version ? { version: version.slice(0, L.version) } : {}) },
        references: uniq([rule?.helpUri].filter(isUrlish)),
        ids: [],
      };
      if (ruleId) {
        const securitySeverity = Number(rule?.properties?.['security-severity']);
        candidate.tool!.rule = {
          id: ruleId,
          ...(rule?.name ? { name: rule.name.slice(0, L.name) } : {}),
          ...(ruleTitle ? { shortDescription: ruleTitle.slice(0, L.text) } : {}),
          ...(isUrlish(rule?.helpUri) ? { helpUri: rule.helpUri } : {}),
          ...(Number.isFinite(securitySeverity) && securitySeverity >= 0 && securitySeverity <= 10 && rule?.properties?.['security-severity'] !== undefined
            ? { securitySeverity }
            : {}),
        };
      }
      if (cwe.length > 0) candidate.cwe = cwe;
      const loc = locationOf(r, runData);
      if (loc) candidate.location = loc;
      const level = r.level ?? rule?.defaultConfiguration?.level ?? 'warning';
      candidate.level = level;
      out.push(candidate);
    });
  });
  if (errors.length > 0) reject('The SARIF file is not valid SARIF 2.1.0.', errors);
  for (const [why, n] of skipped) warnings.push(`${n} result${n === 1 ? '' : 's'} skipped: ${why}.`);
  return out;
}
