// Eligibility rules of a funding opportunity and the automatic check made at submission. The check
// decides only what the rules let a machine decide (organisation kind, declared size, attestations);
// anything else stays with the program officer.

export const ATTESTATIONS = {
  us_entity: 'The applicant is organised under US law and has its principal place of business in the United States.',
  us_ownership: 'The applicant is not owned or controlled by a foreign adversary government.',
  key_personnel_citizens: 'Key personnel are US citizens or lawful permanent residents.',
  not_debarred: 'The applicant is not suspended or debarred from federal awards.',
  responsible_disclosure: 'Vulnerabilities the funded tool finds will be reported through the clearinghouse.',
} as const;
export type Attestation = keyof typeof ATTESTATIONS;
export const ATTESTATION_KEYS = Object.keys(ATTESTATIONS) as Attestation[];

export interface EligibilityRules {
  orgKinds: string[];
  minEmployees: number | null;
  maxEmployees: number | null;
  requiredAttestations: Attestation[];
}

export interface EligibilityFacts {
  orgKind: string;
  declaredEmployees: number | null;
  attestations: Partial<Record<Attestation, boolean>>;
}

export interface EligibilityResult {
  eligible: boolean;
  reasons: string[];
}

export function checkEligibility(rules: EligibilityRules, facts: EligibilityFacts): EligibilityResult {
  const reasons: string[] = [];
  if (rules.orgKinds.length > 0 && !rules.orgKinds.includes(facts.orgKind)) reasons.push(`organisations of kind "${facts.orgKind}" are not eligible (eligible: ${rules.orgKinds.join(', ')})`);
  if (rules.minEmployees !== null || rules.maxEmployees !== null) {
    if (facts.declaredEmployees === null) reasons.push('the number of employees is required to check the size rule');
    else {
      if (rules.minEmployees !== null && facts.declaredEmployees < rules.minEmployees) reasons.push(`at least ${rules.minEmployees} employees are required`);
      if (rules.maxEmployees !== null && facts.declaredEmployees > rules.maxEmployees) reasons.push(`at most ${rules.maxEmployees} employees are allowed`);
    }
  }
  for (const a of rules.requiredAttestations) if (facts.attestations[a] !== true) reasons.push(`attestation "${a}" is required`);
  return { eligible: reasons.length === 0, reasons };
}
