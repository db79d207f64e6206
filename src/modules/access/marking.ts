// Classification markings. Levels are ordered; compartments are a set that must be held entirely.
export const CLASSIFICATIONS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const UNCLASSIFIED = 0;
export const CUI = 1;
export const CONFIDENTIAL = 2;
export const SECRET = 3;
export const TOP_SECRET = 4;

export const COMPARTMENT_PATTERN = /^[A-Z][A-Z0-9_-]{1,15}$/;

export interface Marking {
  classification: number;
  compartments: readonly string[];
}

export function levelOf(name: Classification): number {
  return CLASSIFICATIONS.indexOf(name);
}

export function nameOf(level: number): Classification {
  const name = CLASSIFICATIONS[level];
  if (name === undefined) throw new RangeError(`no classification level ${level}`);
  return name;
}

/** True when a clearance (level + compartments held) may see a marking. */
export function dominates(clearance: Marking, marking: Marking): boolean {
  if (clearance.classification < marking.classification) return false;
  return marking.compartments.every((c) => clearance.compartments.includes(c));
}

export function highest(markings: Iterable<Marking>): Marking {
  let level = UNCLASSIFIED;
  const compartments = new Set<string>();
  for (const m of markings) {
    level = Math.max(level, m.classification);
    m.compartments.forEach((c) => compartments.add(c));
  }
  return { classification: level, compartments: [...compartments].sort() };
}

/** Banner form, for example `SECRET//BENCH` or `UNCLASSIFIED`. */
export function formatMarking(m: Marking): string {
  const head = nameOf(m.classification);
  return m.compartments.length ? `${head}//${[...m.compartments].sort().join('/')}` : head;
}

export function parseMarking(text: string): Marking {
  const parts = text.trim().toUpperCase().split('//');
  // Dissemination controls after a second `//` are not modelled; refusing beats silently dropping them.
  if (parts.length > 2) throw new RangeError(`unsupported marking ${text}: one // separator at most`);
  const [head, tail] = parts;
  const level = CLASSIFICATIONS.indexOf(head as Classification);
  if (level < 0) throw new RangeError(`unknown classification ${head}`);
  const compartments = tail ? tail.split('/').filter(Boolean) : [];
  for (const c of compartments) if (!COMPARTMENT_PATTERN.test(c)) throw new RangeError(`bad compartment ${c}`);
  return { classification: level, compartments: [...new Set(compartments)].sort() };
}

export const PUBLIC_MARKING: Marking = { classification: UNCLASSIFIED, compartments: [] };
