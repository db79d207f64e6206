// The FIRST CVSS JSON schemas referenced by the CSAF 2.0 schema (cvss-v2.0.json, cvss-v3.0.json,
// cvss-v3.1.json), written out from the published schema definitions: the conformance data set does
// not ship them. The same objects serve ajv in the conformance test and `validateCvssObject`, which
// implements test 6.1.8 at run time without a schema engine.
type Json = Record<string, unknown>;

const score = { type: 'number', minimum: 0, maximum: 10 };
const severity = { type: 'string', enum: ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] };
const e = (...values: string[]) => ({ type: 'string', enum: values });
const nd = (...values: string[]) => e(...values, 'NOT_DEFINED');

const V3_METRICS = '(AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|RL:[XOTWU]|RC:[XURC]|[CIA]R:[XLMH]|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|M[CIA]:[XNLH])';
const V2_METRICS = '(AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))';

function v3(version: '3.0' | '3.1'): Json {
  return {
    $id: `https://www.first.org/cvss/cvss-v${version}.json`,
    title: `JSON Schema for Common Vulnerability Scoring System version ${version}`,
    type: 'object',
    properties: {
      version: { type: 'string', enum: [version] },
      vectorString: { type: 'string', pattern: `^CVSS:3[.]${version.slice(2)}/(${V3_METRICS}/)*${V3_METRICS}$` },
      attackVector: e('NETWORK', 'ADJACENT_NETWORK', 'LOCAL', 'PHYSICAL'),
      attackComplexity: e('HIGH', 'LOW'),
      privilegesRequired: e('HIGH', 'LOW', 'NONE'),
      userInteraction: e('NONE', 'REQUIRED'),
      scope: e('UNCHANGED', 'CHANGED'),
      confidentialityImpact: e('NONE', 'LOW', 'HIGH'),
      integrityImpact: e('NONE', 'LOW', 'HIGH'),
      availabilityImpact: e('NONE', 'LOW', 'HIGH'),
      baseScore: score,
      baseSeverity: severity,
      exploitCodeMaturity: nd('UNPROVEN', 'PROOF_OF_CONCEPT', 'FUNCTIONAL', 'HIGH'),
      remediationLevel: nd('OFFICIAL_FIX', 'TEMPORARY_FIX', 'WORKAROUND', 'UNAVAILABLE'),
      reportConfidence: nd('UNKNOWN', 'REASONABLE', 'CONFIRMED'),
      temporalScore: score,
      temporalSeverity: severity,
      confidentialityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
      integrityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
      availabilityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
      modifiedAttackVector: nd('NETWORK', 'ADJACENT_NETWORK', 'LOCAL', 'PHYSICAL'),
      modifiedAttackComplexity: nd('HIGH', 'LOW'),
      modifiedPrivilegesRequired: nd('HIGH', 'LOW', 'NONE'),
      modifiedUserInteraction: nd('NONE', 'REQUIRED'),
      modifiedScope: nd('UNCHANGED', 'CHANGED'),
      modifiedConfidentialityImpact: nd('NONE', 'LOW', 'HIGH'),
      modifiedIntegrityImpact: nd('NONE', 'LOW', 'HIGH'),
      modifiedAvailabilityImpact: nd('NONE', 'LOW', 'HIGH'),
      environmentalScore: score,
      environmentalSeverity: severity,
    },
    required: ['version', 'vectorString', 'baseScore', 'baseSeverity'],
  };
}

export const CVSS_V2_SCHEMA: Json = {
  $id: 'https://www.first.org/cvss/cvss-v2.0.json',
  title: 'JSON Schema for Common Vulnerability Scoring System version 2.0',
  type: 'object',
  properties: {
    version: { type: 'string', enum: ['2.0'] },
    vectorString: { type: 'string', pattern: `^(${V2_METRICS}/)*${V2_METRICS}$` },
    accessVector: e('NETWORK', 'ADJACENT_NETWORK', 'LOCAL'),
    accessComplexity: e('HIGH', 'MEDIUM', 'LOW'),
    authentication: e('MULTIPLE', 'SINGLE', 'NONE'),
    confidentialityImpact: e('NONE', 'PARTIAL', 'COMPLETE'),
    integrityImpact: e('NONE', 'PARTIAL', 'COMPLETE'),
    availabilityImpact: e('NONE', 'PARTIAL', 'COMPLETE'),
    baseScore: score,
    exploitability: nd('UNPROVEN', 'PROOF_OF_CONCEPT', 'FUNCTIONAL', 'HIGH'),
    remediationLevel: nd('OFFICIAL_FIX', 'TEMPORARY_FIX', 'WORKAROUND', 'UNAVAILABLE'),
    reportConfidence: nd('UNCONFIRMED', 'UNCORROBORATED', 'CONFIRMED'),
    temporalScore: score,
    collateralDamagePotential: nd('NONE', 'LOW', 'LOW_MEDIUM', 'MEDIUM_HIGH', 'HIGH'),
    targetDistribution: nd('NONE', 'LOW', 'MEDIUM', 'HIGH'),
    confidentialityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
    integrityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
    availabilityRequirement: nd('LOW', 'MEDIUM', 'HIGH'),
    environmentalScore: score,
  },
  required: ['version', 'vectorString', 'baseScore'],
};
export const CVSS_V30_SCHEMA: Json = v3('3.0');
export const CVSS_V31_SCHEMA: Json = v3('3.1');

interface PropertySchema {
  type: string;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** Checks a cvss_v2 / cvss_v3 object against the schema above; returns one message per violation. */
export function validateCvssObject(schema: Json, value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['must be an object'];
  const obj = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const r of schema.required as string[]) if (!(r in obj)) errors.push(`must have required property '${r}'`);
  const props = schema.properties as Record<string, PropertySchema>;
  for (const [key, v] of Object.entries(obj)) {
    const p = props[key];
    if (!p) continue;
    if (p.type === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${key} must be a number`);
      else if ((p.minimum !== undefined && v < p.minimum) || (p.maximum !== undefined && v > p.maximum)) errors.push(`${key} must be between ${p.minimum} and ${p.maximum}`);
    } else if (typeof v !== 'string') {
      errors.push(`${key} must be a string`);
    } else {
      if (p.enum && !p.enum.includes(v)) errors.push(`${key} must be one of ${p.enum.join(', ')}`);
      if (p.pattern && !new RegExp(p.pattern).test(v)) errors.push(`${key} does not match the CVSS vector grammar`);
    }
  }
  return errors;
}
