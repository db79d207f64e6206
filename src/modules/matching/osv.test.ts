import { describe, expect, it } from 'vitest';
import { InvalidAdvisoryError, parseOsvAdvisory, parseOsvText } from './osv.ts';

const base = {
  id: 'TEST-1',
  modified: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
};

describe('OSV advisory reading', () => {
  it('reads the fields matching needs, and flags withdrawn advisories', () => {
    const a = parseOsvAdvisory({ ...base, withdrawn: '2024-02-01T00:00:00Z', aliases: ['CVE-2024-1'], extra: { ignored: true } });
    expect(a).toMatchObject({ id: 'TEST-1', withdrawn: '2024-02-01T00:00:00Z', aliases: ['CVE-2024-1'] });
    expect(a.affected[0]!.ranges![0]!.events).toEqual([{ introduced: '0' }, { fixed: '1.0.0' }]);
  });
  it.each([
    [{ ...base, id: '' }, 'id'],
    [{ ...base, modified: undefined }, 'modified'],
    [{ ...base, affected: {} }, 'affected'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm' } }] }, 'package.name'],
    [{ ...base, affected: [{ ranges: [{ type: 'SEMVER', events: [] }] }] }, 'events'],
    [{ ...base, affected: [{ ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }] }, 'introduced'],
    [{ ...base, affected: [{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }] }, 'exactly one'],
    [{ ...base, affected: [{ ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] }] }, 'repo'],
    [{ ...base, affected: [{ versions: [1] }] }, 'versions'],
  ])('refuses a malformed advisory (%#: %s)', (doc, fragment) => {
    expect(() => parseOsvAdvisory(doc)).toThrow(InvalidAdvisoryError);
    expect(() => parseOsvAdvisory(doc)).toThrow(fragment);
  });
  it('reads JSON, JSON lists and JSONL', () => {
    const one = JSON.stringify(base);
    expect(parseOsvText(one)).toHaveLength(1);
    expect(parseOsvText(`[${one},${one}]`)).toHaveLength(2);
    expect(parseOsvText(`${one}\n\n${one}\n`)).toHaveLength(2);
    expect(() => parseOsvText(`${one}\n{"id":""}`)).toThrow(/line 2/);
    expect(parseOsvText('  ')).toEqual([]);
  });
});
