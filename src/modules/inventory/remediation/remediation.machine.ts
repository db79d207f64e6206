// The remediation of one advisory at one operator. Operators move it by hand (acknowledge, start
// patching, patched, not affected with a VEX justification, risk accepted until a date, reopen);
// the system moves it when the inventory changes (a fresh SBOM without a vulnerable version closes
// it, a vulnerable version coming back reopens it) and when an accepted risk expires.

export const REMEDIATION_STATES = ['notified', 'acknowledged', 'patching', 'patched', 'not_affected', 'risk_accepted'] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];

export const OPERATOR_EVENTS = ['acknowledge', 'start_patching', 'mark_patched', 'declare_not_affected', 'accept_risk', 'reopen'] as const;
export const SYSTEM_EVENTS = ['sbom_cleared', 'rematched', 'risk_expired'] as const;
export type OperatorEvent = (typeof OPERATOR_EVENTS)[number];
export type SystemEvent = (typeof SYSTEM_EVENTS)[number];
export type RemediationEvent = OperatorEvent | SystemEvent;

// CSAF 2.0 flags (§3.2.3.5) and CycloneDX 1.5 analysis justifications: either vocabulary is accepted
// so the operator can answer in the one its own tooling speaks.
export const CSAF_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'inline_mitigations_already_exist',
] as const;
export const CYCLONEDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export const VEX_JUSTIFICATIONS = [...CSAF_JUSTIFICATIONS, ...CYCLONEDX_JUSTIFICATIONS] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/** The longest a risk may be accepted before the record comes back for a decision. */
export const MAX_RISK_ACCEPTANCE_DAYS = 365;
const DAY = 86_400_000;

export interface TransitionInput {
  justification?: string | null;
  riskExpiresAt?: Date | null;
  now: Date;
}

export type TransitionResult = { ok: true; to: RemediationState } | { ok: false; reason: 'invalid-transition' | 'justification-required' | 'expiry-required' | 'expiry-out-of-range' };

const OPEN: readonly RemediationState[] = ['notified', 'acknowledged', 'patching'];

// Event → (from state → to state). Anything not listed is not allowed.
const TABLE: Record<RemediationEvent, Partial<Record<RemediationState, RemediationState>>> = {
  acknowledge: { notified: 'acknowledged' },
  start_patching: { notified: 'patching', acknowledged: 'patching' },
  mark_patched: { notified: 'patched', acknowledged: 'patched', patching: 'patched', risk_accepted: 'patched' },
  declare_not_affected: { notified: 'not_affected', acknowledged: 'not_affected', patching: 'not_affected' },
  accept_risk: { notified: 'risk_accepted', acknowledged: 'risk_accepted', patching: 'risk_accepted' },
  reopen: { patched: 'acknowledged', not_affected: 'acknowledged', risk_accepted: 'acknowledged' },
  sbom_cleared: { notified: 'patched', acknowledged: 'patched', patching: 'patched', risk_accepted: 'patched', not_affected: 'patched' },
  rematched: { patched: 'notified' },
  risk_expired: { risk_accepted: 'acknowledged' },
};

export function isOpen(state: RemediationState): boolean {
  return OPEN.includes(state);
}

export function isVexJustification(x: unknown): x is VexJustification {
  return typeof x === 'string' && (VEX_JUSTIFICATIONS as readonly string[]).includes(x);
}

export function transition(from: RemediationState, event: RemediationEvent, input: TransitionInput): TransitionResult {
  const to = TABLE[event][from];
  if (!to) return { ok: false, reason: 'invalid-transition' };
  if (event === 'declare_not_affected' && !isVexJustification(input.justification)) return { ok: false, reason: 'justification-required' };
  if (event === 'accept_risk') {
    if (!input.riskExpiresAt) return { ok: false, reason: 'expiry-required' };
    const ms = input.riskExpiresAt.getTime() - input.now.getTime();
    if (!(ms > 0) || ms > MAX_RISK_ACCEPTANCE_DAYS * DAY) return { ok: false, reason: 'expiry-out-of-range' };
  }
  return { ok: true, to };
}

/** The operator events allowed from a state (for the board's buttons). */
export function operatorEventsFrom(state: RemediationState): OperatorEvent[] {
  return OPERATOR_EVENTS.filter((e) => TABLE[e][state] !== undefined);
}
