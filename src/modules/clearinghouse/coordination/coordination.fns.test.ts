import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COORDINATION_OPTIONS as O,
  defaultEmbargo,
  displayKey,
  embargoChange,
  embargoClock,
  floorToZoneHour,
  formatInZone,
  isIanaTimeZone,
  embargoWarnings,
  matchVendors,
  mayStateOn,
  packageKey,
  registrationKey,
  reminderDue,
  silentDays,
  statementProblems,
  wallTimeToInstant,
  zoneOffsetMinutes,
} from './coordination.fns.ts';

const d = (s: string) => new Date(s);
const DAY = 86_400_000;

describe('time zones', () => {
  it('accepts IANA names only', () => {
    for (const tz of ['America/New_York', 'Europe/Paris', 'UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) expect(isIanaTimeZone(tz), tz).toBe(true);
    for (const tz of ['EST', '+05:00', 'Mars/Olympus', '', 'America/New_York; drop', 'x'.repeat(80)]) expect(isIanaTimeZone(tz), tz).toBe(false);
  });

  it('knows the offset, winter and summer', () => {
    expect(zoneOffsetMinutes(d('2026-12-21T14:00:00Z'), 'America/New_York')).toBe(-300);
    expect(zoneOffsetMinutes(d('2026-07-01T14:00:00Z'), 'America/New_York')).toBe(-240);
    expect(zoneOffsetMinutes(d('2026-07-01T14:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(d('2026-07-01T14:00:00Z'), 'UTC')).toBe(0);
  });

  it('reads a wall-clock time in a zone, across daylight-saving jumps', () => {
    expect(wallTimeToInstant('2026-12-21T09:00', 'America/New_York')!.toISOString()).toBe('2026-12-21T14:00:00.000Z');
    expect(wallTimeToInstant('2026-07-01T09:00:30', 'America/New_York')!.toISOString()).toBe('2026-07-01T13:00:30.000Z');
    expect(wallTimeToInstant('2026-07-01T09:00', 'Asia/Kolkata')!.toISOString()).toBe('2026-07-01T03:30:00.000Z');
    // 2026-03-08 02:30 does not exist in New York: it is read as 03:30 EDT.
    expect(wallTimeToInstant('2026-03-08T02:30', 'America/New_York')!.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(wallTimeToInstant('2026-03-08T00:30', 'America/New_York')!.toISOString()).toBe('2026-03-08T05:30:00.000Z');
    // 2026-11-01 01:30 happens twice: the first (EDT) is taken.
    expect(wallTimeToInstant('2026-11-01T01:30', 'America/New_York')!.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    for (const bad of ['2026-02-30T09:00', '2026-12-21 09:00', '2026-12-21T24:00', '2026-12-21T09:60', 'tomorrow']) expect(wallTimeToInstant(bad, 'UTC'), bad).toBeNull();
  });

  it('formats an instant as local ISO with offset and a sentence naming the zone', () => {
    const f = formatInZone(d('2026-12-21T14:00:00Z'), 'America/New_York');
    expect(f.local).toBe('2026-12-21T09:00:00-05:00');
    expect(f.display).toMatch(/Monday, December 21, 2026.*09:00 EST \(America\/New_York\)/);
    expect(formatInZone(d('2026-07-01T03:30:00Z'), 'Asia/Kolkata').local).toBe('2026-07-01T09:00:00+05:30');
  });

  it('floors to the zone’s whole hour (half-hour zones included)', () => {
    expect(floorToZoneHour(d('2026-12-21T14:37:12.5Z'), 'America/New_York').toISOString()).toBe('2026-12-21T14:00:00.000Z');
    expect(floorToZoneHour(d('2026-07-01T04:10:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-07-01T03:30:00.000Z');
  });
});

describe('embargo', () => {
  const now = d('2026-12-01T12:00:00Z');
  it('defaults to lead days before the earliest model release still ahead', () => {
    const e = defaultEmbargo(now, [{ modelId: 'late', plannedReleaseAt: d('2027-03-01T17:00:00Z') }, { modelId: 'early', plannedReleaseAt: d('2027-01-30T17:20:00Z') }, { modelId: 'gone', plannedReleaseAt: d('2026-11-01T00:00:00Z') }], O, 'America/New_York');
    expect(e).toEqual({ releaseAt: d('2027-01-16T17:00:00Z'), basis: 'model_release', modelId: 'early' });
  });
  it('uses the model release itself when the lead has already passed', () => {
    const e = defaultEmbargo(now, [{ modelId: 'm', plannedReleaseAt: d('2026-12-05T17:00:00Z') }], O, 'UTC');
    expect(e).toEqual({ releaseAt: d('2026-12-05T17:00:00Z'), basis: 'model_release_passed_lead', modelId: 'm' });
  });
  it('falls back to 90 days without a model release ahead', () => {
    const e = defaultEmbargo(now, [], O, 'UTC');
    expect(e.basis).toBe('fallback');
    expect(e.releaseAt.getTime()).toBe(now.getTime() + 90 * DAY);
    expect(defaultEmbargo(now, [], { embargoLeadDays: 7, embargoFallbackDays: 45 }, 'UTC').releaseAt.getTime()).toBe(now.getTime() + 45 * DAY);
  });
  it('classifies a change and refuses the past or no change', () => {
    const cur = d('2027-01-16T17:00:00Z');
    expect(embargoChange(cur, d('2027-02-01T17:00:00Z'), now)).toEqual({ ok: true, kind: 'extend' });
    expect(embargoChange(cur, d('2026-12-10T17:00:00Z'), now)).toEqual({ ok: true, kind: 'shorten' });
    expect(embargoChange(cur, cur, now).ok).toBe(false);
    expect(embargoChange(cur, d('2026-11-30T00:00:00Z'), now).ok).toBe(false);
  });
  it('reports the clock', () => {
    const c = embargoClock(d('2026-12-02T14:00:00Z'), 'America/New_York', now);
    expect(c).toMatchObject({ releaseAt: '2026-12-02T14:00:00.000Z', timeZone: 'America/New_York', local: '2026-12-02T09:00:00-05:00', active: true, hoursRemaining: 26 });
    expect(embargoClock(d('2026-11-02T14:00:00Z'), 'UTC', now)).toMatchObject({ active: false, hoursRemaining: 0 });
  });
});

describe('vendor products', () => {
  it('registers packages and namespaces', () => {
    expect(registrationKey('pkg:npm/%40openhealth/ehr-core', 'package')).toEqual({ type: 'npm', namespace: '@openhealth', name: 'ehr-core' });
    expect(registrationKey('pkg:maven/org.openhealth', 'namespace')).toEqual({ type: 'maven', namespace: 'org.openhealth', name: '' });
    expect(registrationKey('pkg:golang/github.com/openhealth', 'namespace')).toEqual({ type: 'golang', namespace: 'github.com/openhealth', name: '' });
    expect(() => registrationKey('pkg:npm/lodash@4.17.21', 'package')).toThrow();
    expect(() => registrationKey('not a purl', 'package')).toThrow();
    expect(displayKey({ type: 'maven', namespace: 'org.openhealth', name: '' })).toBe('pkg:maven/org.openhealth/*');
    expect(packageKey('pkg:PyPI/Flask@2.0')).toEqual({ type: 'pypi', namespace: '', name: 'flask' });
  });

  it('matches affected purls to vendors, each vendor once', () => {
    const regs = [
      { vendorOrgId: 'oh', ...registrationKey('pkg:maven/org.openhealth', 'namespace') },
      { vendorOrgId: 'oh', ...registrationKey('pkg:npm/%40openhealth/ehr-core', 'package') },
      { vendorOrgId: 'acme', ...registrationKey('pkg:pypi/acme-lib', 'package') },
      { vendorOrgId: 'go', ...registrationKey('pkg:golang/github.com/gopher', 'namespace') },
    ];
    const m = matchVendors(regs, ['pkg:maven/org.openhealth/fhir-server', 'pkg:npm/%40openhealth/ehr-core', 'pkg:maven/org.openhealth.evil/x', 'pkg:pypi/Acme_Lib', 'pkg:golang/github.com/gopher/net/http', 'garbage']);
    expect(m.get('oh')).toEqual(['pkg:maven/org.openhealth/fhir-server', 'pkg:npm/%40openhealth/ehr-core']);
    // PyPI names normalise (case, "_" → "-"), so Acme_Lib is acme-lib.
    expect(m.get('acme')).toEqual(['pkg:pypi/Acme_Lib']);
    expect(m.get('go')).toEqual(['pkg:golang/github.com/gopher/net/http']);
    expect(m.size).toBe(3);
  });
});

describe('statements and silence', () => {
  it('lets a vendor state on affected packages and its own products only', () => {
    const own = [registrationKey('pkg:maven/org.openhealth', 'namespace')];
    const affected = ['pkg:npm/libpng-js', 'pkg:pypi/acme-lib'];
    expect(mayStateOn(packageKey('pkg:npm/libpng-js@1.0')!, affected, own)).toBe(true);
    expect(mayStateOn(packageKey('pkg:maven/org.openhealth/ehr-suite')!, affected, own)).toBe(true);
    expect(mayStateOn(packageKey('pkg:maven/com.acme/ehr-suite')!, affected, own)).toBe(false);
    expect(mayStateOn(packageKey('pkg:npm/other')!, affected, [])).toBe(false);
  });
  it('warns when the embargo outlasts the model’s planned release', () => {
    const now = d('2026-12-01T00:00:00Z');
    const models = [{ plannedReleaseAt: d('2027-01-01T00:00:00Z') }];
    expect(embargoWarnings(d('2026-12-15T00:00:00Z'), models, now)).toEqual([]);
    expect(embargoWarnings(d('2027-01-02T00:00:00Z'), models, now)).toHaveLength(1);
    expect(embargoWarnings(d('2027-01-02T00:00:00Z'), [{ plannedReleaseAt: d('2026-11-01T00:00:00Z') }], now)).toEqual([]);
  });

  it('needs a justification for not affected and a version for fixed', () => {
    expect(statementProblems({ status: 'not_affected' })).toHaveLength(1);
    expect(statementProblems({ status: 'not_affected', justification: 'component_not_present' })).toEqual([]);
    expect(statementProblems({ status: 'affected', justification: 'component_not_present' })).toHaveLength(1);
    expect(statementProblems({ status: 'fixed', fixedVersion: ' ' })).toHaveLength(1);
    expect(statementProblems({ status: 'fixed', fixedVersion: '2.4.1' })).toEqual([]);
    expect(statementProblems({ status: 'under_investigation' })).toEqual([]);
  });
  it('counts silent days and reminds weekly', () => {
    const now = d('2026-12-11T12:00:00Z');
    expect(silentDays(d('2026-12-01T13:00:00Z'), null, now)).toBe(9);
    expect(silentDays(d('2026-12-01T13:00:00Z'), d('2026-12-02T00:00:00Z'), now)).toBeNull();
    expect(silentDays(null, null, now)).toBeNull();
    expect(reminderDue({ notifiedAt: d('2026-12-01T12:00:00Z'), respondedAt: null, lastRemindedAt: null }, now, 7)).toBe(true);
    expect(reminderDue({ notifiedAt: d('2026-12-01T12:00:00Z'), respondedAt: null, lastRemindedAt: d('2026-12-08T12:00:00Z') }, now, 7)).toBe(false);
    expect(reminderDue({ notifiedAt: d('2026-12-01T12:00:00Z'), respondedAt: now, lastRemindedAt: null }, now, 7)).toBe(false);
  });
});
