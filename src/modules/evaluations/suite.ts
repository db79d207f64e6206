// Task-suite data model (pure, bounded zod schemas). A suite is versioned data: samples with an input
// (prompt or chat messages), optional choices, a target, metadata and a domain, under a marking.
import { z } from 'zod';
import { COMPARTMENT_PATTERN, TOP_SECRET, UNCLASSIFIED } from '../access/marking.ts';

export const LIMITS = {
  name: 200,
  version: 64,
  domain: 100,
  sampleId: 200,
  input: 100_000,
  message: 100_000,
  messages: 100,
  choices: 26,
  choice: 10_000,
  target: 10_000,
  targets: 100,
  metadataKeys: 50,
  metadataKey: 100,
  metadataValue: 10_000,
  samples: 100_000,
  compartments: 20,
} as const;

export const roleSchema = z.enum(['system', 'user', 'assistant']);
export type Role = z.infer<typeof roleSchema>;

export const chatMessageSchema = z.object({
  role: roleSchema,
  content: z.string().max(LIMITS.message),
}).strict();
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const sampleInputSchema = z.union([
  z.string().min(1).max(LIMITS.input),
  z.array(chatMessageSchema).min(1).max(LIMITS.messages),
]);
export type SampleInput = z.infer<typeof sampleInputSchema>;

export const metadataValueSchema = z.union([
  z.string().max(LIMITS.metadataValue),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);
export const metadataSchema = z
  .record(z.string().min(1).max(LIMITS.metadataKey), metadataValueSchema)
  .refine((m) => Object.keys(m).length <= LIMITS.metadataKeys, { message: `at most ${LIMITS.metadataKeys} metadata keys` });

export const domainSchema = z.string().trim().min(1).max(LIMITS.domain);

export const sampleSchema = z.object({
  id: z.string().min(1).max(LIMITS.sampleId),
  input: sampleInputSchema,
  choices: z.array(z.string().max(LIMITS.choice)).min(2).max(LIMITS.choices).optional(),
  target: z.union([
    z.string().max(LIMITS.target),
    z.array(z.string().max(LIMITS.target)).min(1).max(LIMITS.targets),
  ]),
  metadata: metadataSchema.optional(),
  domain: domainSchema.optional(),
}).strict();
export type Sample = z.infer<typeof sampleSchema>;

export const markingSchema = z.object({
  classification: z.number().int().min(UNCLASSIFIED).max(TOP_SECRET),
  compartments: z.array(z.string().regex(COMPARTMENT_PATTERN)).max(LIMITS.compartments),
}).strict();

export const suiteSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.name),
  version: z.string().trim().min(1).max(LIMITS.version),
  domain: domainSchema.default('general'),
  marking: markingSchema.default({ classification: UNCLASSIFIED, compartments: [] }),
  samples: z.array(sampleSchema).min(1).max(LIMITS.samples),
}).strict().superRefine((suite, ctx) => {
  const seen = new Set<string>();
  suite.samples.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['samples', i, 'id'], message: `duplicate sample id ${s.id}` });
    seen.add(s.id);
  });
});
export type Suite = z.infer<typeof suiteSchema>;
export type SuiteInput = z.input<typeof suiteSchema>;

/** The domain a sample counts under: its own, else the suite's default. */
export function domainOf(sample: Sample, suite: Pick<Suite, 'domain'>): string {
  return sample.domain ?? suite.domain;
}

/** Targets as a list (a single string target becomes a one-element list). */
export function targetsOf(sample: Pick<Sample, 'target'>): string[] {
  return typeof sample.target === 'string' ? [sample.target] : [...sample.target];
}

/** Letter for a zero-based choice index (0 → A … 25 → Z). */
export function letterOf(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= LIMITS.choices) throw new RangeError(`no letter for choice ${index}`);
  return String.fromCharCode(65 + index);
}

/** Zero-based index of a letter A–Z (case-insensitive), or -1. */
export function indexOfLetter(letter: string): number {
  const t = letter.trim().toUpperCase();
  if (!/^[A-Z]$/.test(t)) return -1;
  return t.charCodeAt(0) - 65;
}
