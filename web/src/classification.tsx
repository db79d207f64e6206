// Page classification: pages report the markings of what they show; the banners at the
// top and bottom of every page display the highest one (plus the union of compartments).
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

export const CLASSIFICATIONS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export interface PageMarking {
  classification: Classification;
  compartments?: readonly string[];
}

export function classificationRank(value: string): number {
  const rank = (CLASSIFICATIONS as readonly string[]).indexOf(value);
  return rank < 0 ? 0 : rank;
}

export function isClassification(value: string): value is Classification {
  return (CLASSIFICATIONS as readonly string[]).includes(value);
}

/** Highest classification among `values` (UNCLASSIFIED when empty or unknown). */
export function maxClassification(values: Iterable<string>): Classification {
  let best: Classification = 'UNCLASSIFIED';
  for (const value of values) {
    if (isClassification(value) && classificationRank(value) > classificationRank(best)) best = value;
  }
  return best;
}

/** Combines markings: highest classification and sorted union of compartments. */
export function combineMarkings(markings: Iterable<PageMarking>): Required<PageMarking> {
  const list = [...markings];
  const compartments = new Set<string>();
  for (const m of list) for (const c of m.compartments ?? []) compartments.add(c.toUpperCase());
  return {
    classification: maxClassification(list.map((m) => m.classification)),
    compartments: [...compartments].sort(),
  };
}

/** Banner text, e.g. "SECRET" or "TOP SECRET//ALPHA/BRAVO". */
export function markingText(marking: PageMarking): string {
  const compartments = marking.compartments ?? [];
  return compartments.length
    ? `${marking.classification}//${[...compartments].map((c) => c.toUpperCase()).join('/')}`
    : marking.classification;
}

export const CLASSIFICATION_CLASS: Record<Classification, string> = {
  UNCLASSIFIED: 'fw-classification--unclassified',
  CUI: 'fw-classification--cui',
  CONFIDENTIAL: 'fw-classification--confidential',
  SECRET: 'fw-classification--secret',
  'TOP SECRET': 'fw-classification--top-secret',
};

interface ClassificationContextValue {
  marking: Required<PageMarking>;
  report: (id: string, marking: PageMarking | null) => void;
}

const ClassificationContext = createContext<ClassificationContextValue | null>(null);

export function ClassificationProvider({ children }: { children: ReactNode }) {
  const [reports, setReports] = useState<ReadonlyMap<string, PageMarking>>(new Map());

  const report = useCallback((id: string, marking: PageMarking | null) => {
    setReports((prev) => {
      const current = prev.get(id);
      if (marking === null) {
        if (!current) return prev;
        const next = new Map(prev);
        next.delete(id);
        return next;
      }
      if (
        current &&
        current.classification === marking.classification &&
        (current.compartments ?? []).join('/') === (marking.compartments ?? []).join('/')
      ) {
        return prev;
      }
      const next = new Map(prev);
      next.set(id, marking);
      return next;
    });
  }, []);

  const marking = useMemo(() => combineMarkings(reports.values()), [reports]);
  const value = useMemo(() => ({ marking, report }), [marking, report]);
  return <ClassificationContext.Provider value={value}>{children}</ClassificationContext.Provider>;
}

function useClassificationContext(): ClassificationContextValue {
  const ctx = useContext(ClassificationContext);
  if (!ctx) throw new Error('ClassificationProvider is missing');
  return ctx;
}

/** The marking the banners show: the highest of everything reported by mounted components. */
export function usePageMarking(): Required<PageMarking> {
  return useClassificationContext().marking;
}

/**
 * Report the markings of what a component shows. The report is withdrawn when the
 * component unmounts. Pass the markings of every record displayed (or a single marking).
 */
export function useReportClassification(markings: PageMarking | readonly PageMarking[] | null): void {
  const { report } = useClassificationContext();
  const id = useId();
  const combined = markings === null ? null : combineMarkings(Array.isArray(markings) ? markings : [markings as PageMarking]);
  const key = combined ? markingText(combined) : '';

  useEffect(() => {
    report(id, combined);
    // `key` captures the content of `combined`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, key, report]);

  useEffect(() => () => report(id, null), [id, report]);
}
