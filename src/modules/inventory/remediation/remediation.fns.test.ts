import { describe, expect, it } from 'vitest';
import { buildNotice, channelMayCarry, dueAt, dueDays, fixedVersionsFor, goesToDigest, groupByOrg, nextDigestAt, type NoticeItem } from './remediation.fns.ts';
import { TLP_LABELS } from '../../clearinghouse/advisory/tlp.ts';

describe('due dates', () => {
  it('follows the severity × priority tier table', () => {
    expect(dueDays('critical', 1)).toBe(7);
    expect(dueDays('critical', 4)).toBe(30);
    expect(dueDays('high', 2)).toBe(30);
    expect(dueDays('medium', 3)).toBe(60);
    expect(dueDays('low', 3)).toBe(90);
    expect(dueDays('low', 4)).toBe(120);
  });
  it('treats a missing or odd tier as tier 3 and a missing severity as medium', () => {
    expect(dueDays('critical', null)).toBe(21);
    expect(dueDays('critical', 0)).toBe(21);
    expect(dueDays('critical', 9)).toBe(21);
    expect(dueDays('critical', 1.5)).toBe(21);
    expect(dueDays(null, 1)).toBe(30);
  });
  it('is monotone: a more severe advisory or a more critical operator is never due later', () => {
    const sev = ['critical', 'high', 'medium', 'low'] as const;
    for (let s = 0; s < sev.length; s++)
      for (let t = 1; t <= 4; t++) {
        if (s > 0) expect(dueDays(sev[s - 1], t)).toBeLessThanOrEqual(dueDays(sev[s], t));
        if (t > 1) expect(dueDays(sev[s], t - 1)).toBeLessThanOrEqual(dueDays(sev[s], t));
      }
  });
  it('counts days from the opening', () => {
    expect(dueAt(new Date('2026-12-01T10:00:00Z'), 'critical', 1).toISOString()).toBe('2026-12-08T10:00:00.000Z');
  });
});

describe('digest', () => {
  it('batches only low severity', () => {
    expect([goesToDigest('low'), goesToDigest('medium'), goesToDigest('critical'), goesToDigest(null)]).toEqual([true, false, false, false]);
  });
  it('runs next at 13:00 UTC', () => {
    expect(nextDigestAt(new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-01T13:00:00Z')).toISOString()).toBe('2026-12-02T13:00:00.000Z');
    expect(nextDigestAt(new Date('2026-12-31T23:59:00Z')).toISOString()).toBe('2027-01-01T13:00:00.000Z');
  });
  it('groups by operator', () => {
    const g = groupByOrg([
      { orgId: 'a', n: 1 },
      { orgId: 'b', n: 2 },
      { orgId: 'a', n: 3 },
    ]);
    expect([...g.entries()]).toEqual([
      ['a', [{ orgId: 'a', n: 1 }, { orgId: 'a', n: 3 }]],
      ['b', [{ orgId: 'b', n: 2 }]],
    ]);
  });
});

describe('TLP allowance of a channel', () => {
  it('carries an advisory at or below its allowance, never RED', () => {
    for (const ch of TLP_LABELS)
      for (const adv of TLP_LABELS) {
        const want = adv !== 'RED' && TLP_LABELS.indexOf(adv) <= TLP_LABELS.indexOf(ch);
        expect(channelMayCarry(ch, adv), `${ch} ${adv}`).toBe(want);
      }
  });
});

describe('fixed versions', () => {
  it('reads the fixed events of the matched packages only', () => {
    const affected = [
      { package: 'pkg:npm/a', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { fixed: '2.0.5' }] }], versions: [] },
      { package: 'pkg:npm/b', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }], versions: [] },
    ];
    expect(fixedVersionsFor(affected, ['pkg:npm/a'])).toEqual(['1.2.3', '2.0.5']);
    expect(fixedVersionsFor(affected, ['pkg:npm/c'])).toEqual([]);
  });
});

describe('notice words', () => {
  const item: NoticeItem = {
    recordId: 'r1',
    advisory: { ref: 'FWN-2026-0007', title: 'Heap overflow in openemr-gateway', severity: 'high', tlp: 'AMBER' },
    components: [{ package: 'pkg:npm/openemr-gateway', version: '4.1.0' }],
    dueAt: new Date('2026-12-31T00:00:00Z'),
    fix: { fixedVersions: ['4.1.2'], remediation: 'Upgrade to 4.1.2.', url: null },
  };
  const ctx = { publicUrl: 'https://fw.example', digest: false, now: new Date('2026-12-01T00:00:00Z') };

  it('tells a channel allowed AMBER everything', () => {
    const n = buildNotice('AMBER', [item], ctx);
    expect(n.subject).toBe('Forewarn: FWN-2026-0007 affects your inventory (high)');
    expect(n.text).toContain('Heap overflow in openemr-gateway');
    expect(n.text).toContain('Fixed in: 4.1.2');
    expect(n.text).toContain('Patch by: 2026-12-31');
    expect(n.text).toContain('https://fw.example/remediation/r1');
    expect(n.payload).toMatchObject({ type: 'remediation.opened', items: [{ restricted: false, advisory: { ref: 'FWN-2026-0007' }, fix: { fixedVersions: ['4.1.2'] } }] });
  });

  it('tells a CLEAR-only channel only that there is something to sign in for', () => {
    const n = buildNotice('CLEAR', [item], ctx);
    const all = n.subject + n.text + JSON.stringify(n.payload);
    for (const secret of ['FWN-2026-0007', 'Heap overflow', 'openemr', '4.1.2', 'high', 'Upgrade']) expect(all).not.toContain(secret);
    expect(n.subject).toBe('Forewarn: you have a new advisory match');
    expect(n.text).toContain('Sign in to read it');
    expect(n.text).toContain('https://fw.example/remediation/r1');
    expect(n.payload).toMatchObject({ items: [{ restricted: true, tlp: 'AMBER', remediationId: 'r1' }] });
  });

  it('mixes full and restricted items in one digest', () => {
    const clear = { ...item, recordId: 'r2', advisory: { ...item.advisory, ref: 'GHSA-xxxx', title: 'Public bug', tlp: 'CLEAR' as const, severity: 'low' as const } };
    const n = buildNotice('GREEN', [item, clear], { ...ctx, digest: true });
    expect(n.subject).toBe('Forewarn: daily digest, 2 new low-severity advisory matches');
    expect(n.text).toContain('GHSA-xxxx');
    expect(n.text).not.toContain('FWN-2026-0007');
    expect(n.payload).toMatchObject({ type: 'remediation.digest', items: [{ restricted: true }, { restricted: false }] });
  });
});
