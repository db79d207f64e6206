// The budget table of an application: categories × project years, whole dollars. Totals are
// computed here and checked against what the applicant declared, so a typo in a total is caught
// before submission rather than by a reviewer.

export const BUDGET_CATEGORIES = ['personnel', 'fringe_benefits', 'travel', 'equipment', 'supplies', 'contractual', 'compute', 'other', 'indirect'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

export interface BudgetLine {
  category: BudgetCategory;
  amounts: number[];
}
export interface Budget {
  years: number;
  lines: BudgetLine[];
  /** What the applicant says the total is; must equal the sum. */
  declaredTotal: number;
}

export interface BudgetTotals {
  byYear: number[];
  byCategory: Partial<Record<BudgetCategory, number>>;
  total: number;
}

export interface BudgetProblem {
  path: string;
  message: string;
}

export function budgetTotals(b: Pick<Budget, 'years' | 'lines'>): BudgetTotals {
  const byYear = Array.from({ length: b.years }, () => 0);
  const byCategory: Partial<Record<BudgetCategory, number>> = {};
  let total = 0;
  for (const line of b.lines) {
    let sum = 0;
    line.amounts.forEach((a, i) => {
      if (i < b.years) byYear[i] += a;
      sum += a;
    });
    byCategory[line.category] = (byCategory[line.category] ?? 0) + sum;
    total += sum;
  }
  return { byYear, byCategory, total };
}

/** Problems with the table's shape and sums; `limits` adds the opportunity's floor and ceiling (at submission). */
export function checkBudget(b: Budget, expectedYears: number, limits?: { floor: number; ceiling: number }): BudgetProblem[] {
  const out: BudgetProblem[] = [];
  if (b.years !== expectedYears) out.push({ path: 'budget.years', message: `the opportunity asks for ${expectedYears} budget year(s)` });
  const seen = new Set<string>();
  b.lines.forEach((line, i) => {
    if (seen.has(line.category)) out.push({ path: `budget.lines.${i}.category`, message: `${line.category} appears twice` });
    seen.add(line.category);
    if (line.amounts.length !== b.years) out.push({ path: `budget.lines.${i}.amounts`, message: `give one amount per year (${b.years})` });
    line.amounts.forEach((a, j) => {
      if (!Number.isSafeInteger(a) || a < 0) out.push({ path: `budget.lines.${i}.amounts.${j}`, message: 'amounts are whole dollars, zero or more' });
    });
  });
  const { total } = budgetTotals(b);
  if (total !== b.declaredTotal) out.push({ path: 'budget.declaredTotal', message: `the lines add up to $${total}, not $${b.declaredTotal}` });
  if (limits) {
    if (total < limits.floor) out.push({ path: 'budget.declaredTotal', message: `the total is below the award floor of $${limits.floor}` });
    if (total > limits.ceiling) out.push({ path: 'budget.declaredTotal', message: `the total is above the award ceiling of $${limits.ceiling}` });
  }
  return out;
}
