// The demo's task suites: the shipped UNCLASSIFIED sample suite (cyber basics, multiple choice) and,
// linked to the demo's classified benchmark, a cyber-domain suite (SECRET//BENCH) built from the same
// questions so the demo can show a benchmark run without shipping anything classified.
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { benchmarks, evaluationSuites, organisations, users } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import type { OrgKind } from '../access/roles.ts';
import { normaliseStem } from '../../dev/model-server.ts';
import { formatChoices, MC_INSTRUCTION } from './solvers.ts';
import type { EvaluationsService } from './evaluations.service.ts';
import { fromRoot } from '../../lib/paths.ts';

export const SAMPLE_SUITE_PATH = fromRoot('fixtures', 'suites', 'cyber-basics.jsonl');
export const SAMPLE_SUITE_NAME = 'Cyber basics (sample)';
export const BENCHMARK_SUITE_NAME = 'Frontier Cyber Benchmark — cyber tasks (demo)';
export const SAMPLE_MAPPING = { input: 'question', choices: 'choices', target: 'answer', id: 'id', domain: 'domain' } as const;

export function sampleSuiteText(): string {
  return readFileSync(SAMPLE_SUITE_PATH, 'utf8');
}

/**
 * The answer key the reference model server needs to know the right letters of a multiple-choice
 * suite: the stem it sees (the multiple-choice solver's instruction and the question) → the letter.
 */
export function answerKeyFor(rows: { question: string; choices: string[]; answer: string }[], instruction = MC_INSTRUCTION): Record<string, string> {
  const key: Record<string, string> = {};
  for (const r of rows) {
    const text = `${instruction}\n\n${formatChoices(r.question, r.choices)}`;
    const stem = text.slice(0, text.indexOf('\nA. '));
    key[normaliseStem(stem)] = r.answer;
  }
  return key;
}

/** The answer key of the shipped sample suite. */
export function sampleAnswerKey(): Record<string, string> {
  return answerKeyFor(
    sampleSuiteText()
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { question: string; choices: string[]; answer: string }),
  );
}

async function actorFor(db: Db, email: string): Promise<Actor | null> {
  const [row] = await db.select({ user: users, org: organisations }).from(users).innerJoin(organisations, eq(users.orgId, organisations.id)).where(eq(users.email, email));
  if (!row) return null;
  return {
    subject: { userId: row.user.id, orgId: row.org.id, orgKind: row.org.kind as OrgKind, agencyCode: row.org.agencyCode, roles: row.user.roles, clearance: row.user.clearance, compartments: row.user.compartments },
    email: row.user.email,
    orgName: row.org.name,
    ip: null,
    via: 'system',
  };
}

/**
 * Imports the demo suites as the NSA analyst (once: a second call finds them and changes nothing).
 * Call after seedDeterminationsDemo, so the benchmark exists.
 */
export async function seedEvaluationsDemo(db: Db, evaluations: Pick<EvaluationsService, 'importSuite'>, analystEmail = 'nsa.analyst@nsa.demo'): Promise<{ sampleSuiteId: string; benchmarkSuiteId: string | null } | null> {
  const actor = await actorFor(db, analystEmail);
  if (!actor?.subject) return null;
  const s = actor.subject;
  const content = sampleSuiteText();
  const base = { version: '1', format: 'jsonl' as const, content, mapping: { ...SAMPLE_MAPPING }, defaultDomain: 'general', compartments: [], solver: { mode: 'multiple-choice' as const }, scorer: { kind: 'choice' as const } };
  const [existing] = await db.select({ id: evaluationSuites.id }).from(evaluationSuites).where(and(eq(evaluationSuites.ownerOrgId, s.orgId), eq(evaluationSuites.name, SAMPLE_SUITE_NAME)));
  const sampleSuiteId =
    existing?.id ??
    (await evaluations.importSuite(actor, s, { ...base, name: SAMPLE_SUITE_NAME, description: '40 original multiple-choice questions on defensive security basics (network, web, crypto, forensics).', classification: 'UNCLASSIFIED' })).id;
  const [bench] = await db.select().from(benchmarks).where(eq(benchmarks.name, 'Frontier Cyber Benchmark')).limit(1);
  if (!bench) return { sampleSuiteId, benchmarkSuiteId: null };
  const [existingBench] = await db.select({ id: evaluationSuites.id }).from(evaluationSuites).where(and(eq(evaluationSuites.ownerOrgId, s.orgId), eq(evaluationSuites.name, BENCHMARK_SUITE_NAME)));
  const benchmarkSuiteId =
    existingBench?.id ??
    (await evaluations.importSuite(actor, s, { ...base, name: BENCHMARK_SUITE_NAME, description: 'Demo stand-in for the benchmark’s cyber tasks.', classification: 'SECRET', compartments: ['BENCH'], benchmarkId: bench.id, benchmarkDomain: 'cyber' })).id;
  return { sampleSuiteId, benchmarkSuiteId };
}
