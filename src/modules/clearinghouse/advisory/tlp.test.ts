import { describe, expect, it } from 'vitest';
import { ORG_KINDS, type OrgKind } from '../../access/roles.ts';
import { DEFAULT_GREEN_COMMUNITY, TLP_LABELS, fromCsafTlp, isTlpLabel, mayReceive, tlpRank, toCsafTlp, type TlpAudience, type TlpLabel } from './tlp.ts';

const OWNER = 'org-treasury';
const VENDOR = 'org-vendor';
const OPERATOR = 'org-operator';
const CLIENT = 'org-client';
const OUTSIDER = 'org-outsider';
const NAMED = 'user-named';

const audience: TlpAudience = {
  ownerOrgId: OWNER,
  caseParticipantOrgIds: [VENDOR],
  affectedOrgIds: [OPERATOR],
  clientOrgIds: [CLIENT],
  namedRecipientUserIds: [NAMED],
};

type Relation = 'owner' | 'participant' | 'affected' | 'client' | 'outsider';
const ORG_OF: Record<Relation, string> = { owner: OWNER, participant: VENDOR, affected: OPERATOR, client: CLIENT, outsider: OUTSIDER };

// The rule written out as a table (relation → labels received), independent of the implementation.
function expected(label: TlpLabel, rel: Relation, kind: OrgKind, named: boolean): boolean {
  const needToKnow = rel === 'owner' || rel === 'participant' || rel === 'affected';
  switch (label) {
    case 'CLEAR': return true;
    case 'GREEN': return needToKnow || rel === 'client' || (DEFAULT_GREEN_COMMUNITY as readonly string[]).includes(kind);
    case 'AMBER': return needToKnow || rel === 'client';
    case 'AMBER+STRICT': return needToKnow;
    case 'RED': return rel === 'owner' || (named && needToKnow);
  }
}

const RELATIONS: Relation[] = ['owner', 'participant', 'affected', 'client', 'outsider'];

describe('mayReceive, every label × relation × organisation kind × named person', () => {
  for (const label of TLP_LABELS) {
    for (const rel of RELATIONS) {
      for (const kind of ORG_KINDS) {
        for (const named of [false, true]) {
          it(`${label} ${rel} ${kind}${named ? ' named' : ''}`, () => {
            const r = { orgId: ORG_OF[rel], orgKind: kind, userId: named ? NAMED : 'user-other' };
            expect(mayReceive(label, r, audience)).toBe(expected(label, rel, kind, named));
          });
        }
      }
    }
  }
});

describe('TLP properties', () => {
  it('labels are nested: a more restrictive label never reaches someone a less restrictive one does not', () => {
    for (const rel of RELATIONS) for (const kind of ORG_KINDS) for (const named of [false, true]) {
      const r = { orgId: ORG_OF[rel], orgKind: kind, userId: named ? NAMED : undefined };
      const got = TLP_LABELS.map((l) => mayReceive(l, r, audience));
      for (let i = 1; i < got.length; i++) if (got[i]) expect(got[i - 1], `${TLP_LABELS[i]} ${rel} ${kind}`).toBe(true);
    }
    expect(TLP_LABELS.map(tlpRank)).toEqual([0, 1, 2, 3, 4]);
  });

  it('the public never receives anything above CLEAR unless named in the audience', () => {
    for (const label of TLP_LABELS.filter((l) => l !== 'CLEAR')) {
      expect(mayReceive(label, { orgId: OUTSIDER, orgKind: 'public' }, audience)).toBe(false);
    }
  });

  it('GREEN narrowed to sectors admits only matching sectors outside the case', () => {
    const narrowed: TlpAudience = { ...audience, greenCommunity: { sectors: ['energy'] } };
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'operator', sector: 'energy' }, narrowed)).toBe(true);
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'operator', sector: 'water' }, narrowed)).toBe(false);
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'operator' }, narrowed)).toBe(false);
    expect(mayReceive('GREEN', { orgId: VENDOR, orgKind: 'vendor', sector: 'water' }, narrowed)).toBe(true);
  });

  it('GREEN narrowed to organisation kinds', () => {
    const narrowed: TlpAudience = { ...audience, greenCommunity: { orgKinds: ['agency'] } };
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'agency' }, narrowed)).toBe(true);
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'vendor' }, narrowed)).toBe(false);
    expect(mayReceive('GREEN', { orgId: OUTSIDER, orgKind: 'public' }, { ...audience, greenCommunity: { orgKinds: ['public'] } })).toBe(false);
  });

  it('RED without named people reaches only the owner', () => {
    const a: TlpAudience = { ownerOrgId: OWNER, caseParticipantOrgIds: [VENDOR], affectedOrgIds: [] };
    expect(mayReceive('RED', { orgId: OWNER, orgKind: 'agency' }, a)).toBe(true);
    expect(mayReceive('RED', { orgId: VENDOR, orgKind: 'vendor', userId: NAMED }, a)).toBe(false);
  });

  it('isTlpLabel', () => {
    for (const l of TLP_LABELS) expect(isTlpLabel(l)).toBe(true);
    for (const x of ['WHITE', 'amber', 'AMBER STRICT', '', null, 3]) expect(isTlpLabel(x)).toBe(false);
  });
});

describe('CSAF 2.0 TLP mapping (TLP 1.0 labels)', () => {
  it.each([
    ['CLEAR', 'WHITE'], ['GREEN', 'GREEN'], ['AMBER', 'AMBER'], ['AMBER+STRICT', 'AMBER'], ['RED', 'RED'],
  ] as const)('%s → %s and back', (tlp, csaf) => {
    const m = toCsafTlp(tlp);
    expect(m.label).toBe(csaf);
    expect(fromCsafTlp(m.label, m.note)).toBe(tlp);
  });
  it('AMBER+STRICT carries its restriction in a note', () => {
    expect(toCsafTlp('AMBER+STRICT').note).toMatch(/AMBER\+STRICT/);
    expect(fromCsafTlp('AMBER')).toBe('AMBER');
    expect(fromCsafTlp('PURPLE')).toBeUndefined();
  });
});
