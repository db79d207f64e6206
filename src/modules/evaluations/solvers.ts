// Solvers (pure): build the chat messages sent to the model for a sample.
import type { ChatMessage, Sample } from './suite.ts';
import { letterOf, targetsOf } from './suite.ts';

export const MC_INSTRUCTION = 'Answer the following multiple-choice question. Reply with the letter of the correct choice only (for example "Answer: B").';

export interface SolverOptions {
  /** 'generate' (default) sends the input as is; 'multiple-choice' adds lettered choices and the instruction. */
  mode?: 'generate' | 'multiple-choice';
  systemPrompt?: string;
  /** Few-shot examples: solved samples whose target is shown as the assistant's reply. */
  fewShot?: { examples: readonly Sample[]; k: number; seed?: string };
  /** Replaces the multiple-choice instruction. */
  instruction?: string;
}

/** The input as one string (chat inputs: the contents of its user messages, joined). */
export function inputText(sample: Pick<Sample, 'input'>): string {
  if (typeof sample.input === 'string') return sample.input;
  return sample.input.filter((m) => m.role === 'user').map((m) => m.content).join('\n\n');
}

/** The question block for multiple choice: the question then "A. …", "B. …" lines. */
export function formatChoices(question: string, choices: readonly string[]): string {
  return [question.trim(), '', ...choices.map((c, i) => `${letterOf(i)}. ${c.trim()}`)].join('\n');
}

/** 32-bit FNV-1a hash, for deterministic selection. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Pick k examples deterministically: order by hash(seed + id), skip the sample being asked.
 * The same seed, pool and sample always give the same examples, in the same order.
 */
export function selectFewShot(pool: readonly Sample[], k: number, excludeId: string, seed = ''): Sample[] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be an integer ≥ 0');
  return pool
    .filter((s) => s.id !== excludeId)
    .map((s) => ({ s, h: fnv1a(`${seed}\u0000${s.id}`) }))
    .sort((a, b) => a.h - b.h || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0))
    .slice(0, k)
    .map((x) => x.s);
}

function userTurn(sample: Sample, mode: 'generate' | 'multiple-choice', instruction: string): string {
  if (mode === 'multiple-choice') {
    if (!sample.choices || sample.choices.length < 2) throw new RangeError(`sample ${sample.id} has no choices`);
    return `${instruction}\n\n${formatChoices(inputText(sample), sample.choices)}\n\nAnswer:`;
  }
  return inputText(sample);
}

/** The answer an example shows: for multiple choice its letter ("Answer: C"), else its first target. */
function exampleAnswer(sample: Sample, mode: 'generate' | 'multiple-choice'): string {
  const t = targetsOf(sample)[0] ?? '';
  if (mode !== 'multiple-choice') return t;
  const trimmed = t.trim();
  const choices = sample.choices ?? [];
  // A single letter within the choices is a letter; otherwise the target may be a choice's text.
  if (/^[A-Za-z]$/.test(trimmed) && trimmed.toUpperCase().charCodeAt(0) - 65 < choices.length) return `Answer: ${trimmed.toUpperCase()}`;
  const i = choices.findIndex((c) => c.trim() === trimmed);
  if (i < 0) throw new RangeError(`few-shot example ${sample.id}: target is not one of its choices`);
  return `Answer: ${letterOf(i)}`;
}

/** Build the messages for one sample. Chat inputs keep their own turns (system prompt prepended if none). */
export function buildMessages(sample: Sample, o: SolverOptions = {}): ChatMessage[] {
  const mode = o.mode ?? 'generate';
  const instruction = o.instruction ?? MC_INSTRUCTION;
  const out: ChatMessage[] = [];
  const ownSystem = Array.isArray(sample.input) && sample.input.some((m) => m.role === 'system');
  if (o.systemPrompt && !ownSystem) out.push({ role: 'system', content: o.systemPrompt });
  if (o.fewShot && o.fewShot.k > 0) {
    for (const ex of selectFewShot(o.fewShot.examples, o.fewShot.k, sample.id, o.fewShot.seed)) {
      out.push({ role: 'user', content: userTurn(ex, mode, instruction) });
      out.push({ role: 'assistant', content: exampleAnswer(ex, mode) });
    }
  }
  if (typeof sample.input === 'string' || mode === 'multiple-choice') {
    if (Array.isArray(sample.input)) {
      // Keep system turns of the input first; the question becomes one user turn with the choices.
      const sys = sample.input.filter((m) => m.role === 'system');
      out.unshift(...sys);
    }
    out.push({ role: 'user', content: userTurn(sample, mode, instruction) });
    return out;
  }
  const sys = sample.input.filter((m) => m.role === 'system');
  const rest = sample.input.filter((m) => m.role !== 'system');
  return [...sys, ...out, ...rest.map((m) => ({ ...m }))];
}
