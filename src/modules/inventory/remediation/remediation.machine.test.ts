import { describe, expect, it } from 'vitest';
import {
  OPERATOR_EVENTS,
  REMEDIATION_STATES,
  SYSTEM_EVENTS,
  isOpen,
  operatorEventsFrom,
  transition,
  type RemediationEvent,
  type RemediationState,
} from './remediation.machine.ts';

const now = new Date('2026-12-01T00:00:00Z');
const ok = { justification: 'code_not_reachable', riskExpiresAt: new Date('2027-03-01T00:00:00Z'), now };

// The whole table, written out independently of the implementation: every pair not here is refused.
const EXPECTED: Record<string, RemediationState> = {
  'notified acknowledge': 'acknowledged',
  'notified start_patching': 'patching',
  'acknowledged start_patching': 'patching',
  'notified mark_patched': 'patched',
  'acknowledged mark_patched': 'patched',
  'patching mark_patched': 'patched',
  'risk_accepted mark_patched': 'patched',
  'notified declare_not_affected': 'not_affected',
  'acknowledged declare_not_affected': 'not_affected',
  'patching declare_not_affected': 'not_affected',
  'notified accept_risk': 'risk_accepted',
  'acknowledged accept_risk': 'risk_accepted',
  'patching accept_risk': 'risk_accepted',
  'patched reopen': 'acknowledged',
  'not_affected reopen': 'acknowledged',
  'risk_accepted reopen': 'acknowledged',
  'notified sbom_cleared': 'patched',
  'acknowledged sbom_cleared': 'patched',
  'patching sbom_cleared': 'patched',
  'risk_accepted sbom_cleared': 'patched',
  'not_affected sbom_cleared': 'patched',
  'patched rematched': 'notified',
  'risk_accepted risk_expired': 'acknowledged',
};

describe('remediation machine', () => {
  const events: RemediationEvent[] = [...OPERATOR_EVENTS, ...SYSTEM_EVENTS];
  for (const from of REMEDIATION_STATES) {
    for (const event of events) {
      const want = EXPECTED[`${from} ${event}`];
      it(`${from} --${event}--> ${want ?? 'refused'}`, () => {
        const r = transition(from, event, ok);
        if (want) expect(r).toEqual({ ok: true, to: want });
        else expect(r).toEqual({ ok: false, reason: 'invalid-transition' });
      });
    }
  }

  it('not affected needs a VEX justification from CSAF or CycloneDX', () => {
    expect(transition('notified', 'declare_not_affected', { now })).toEqual({ ok: false, reason: 'justification-required' });
    expect(transition('notified', 'declare_not_affected', { now, justification: 'because' })).toEqual({ ok: false, reason: 'justification-required' });
    expect(transition('notified', 'declare_not_affected', { now, justification: 'vulnerable_code_not_present' })).toEqual({ ok: true, to: 'not_affected' });
    expect(transition('patching', 'declare_not_affected', { now, justification: 'protected_at_perimeter' })).toEqual({ ok: true, to: 'not_affected' });
  });

  it('risk acceptance needs an expiry in the future and within a year', () => {
    expect(transition('acknowledged', 'accept_risk', { now })).toEqual({ ok: false, reason: 'expiry-required' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: null })).toEqual({ ok: false, reason: 'expiry-required' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: now })).toEqual({ ok: false, reason: 'expiry-out-of-range' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: new Date('2026-11-30T00:00:00Z') })).toEqual({ ok: false, reason: 'expiry-out-of-range' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: new Date('2027-12-01T00:00:00.001Z') })).toEqual({ ok: false, reason: 'expiry-out-of-range' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: new Date('2027-12-01T00:00:00Z') })).toEqual({ ok: true, to: 'risk_accepted' });
    expect(transition('acknowledged', 'accept_risk', { now, riskExpiresAt: new Date('invalid') })).toEqual({ ok: false, reason: 'expiry-out-of-range' });
  });

  it('an invalid transition is refused before its inputs are looked at', () => {
    expect(transition('patched', 'accept_risk', { now })).toEqual({ ok: false, reason: 'invalid-transition' });
    expect(transition('not_affected', 'declare_not_affected', { now })).toEqual({ ok: false, reason: 'invalid-transition' });
  });

  it('lists the operator actions of each state', () => {
    expect(operatorEventsFrom('notified')).toEqual(['acknowledge', 'start_patching', 'mark_patched', 'declare_not_affected', 'accept_risk']);
    expect(operatorEventsFrom('patched')).toEqual(['reopen']);
    expect(operatorEventsFrom('risk_accepted')).toEqual(['mark_patched', 'reopen']);
  });

  it('open states are the ones still waiting for the operator', () => {
    expect(REMEDIATION_STATES.filter(isOpen)).toEqual(['notified', 'acknowledged', 'patching']);
  });
});
