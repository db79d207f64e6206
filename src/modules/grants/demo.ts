import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { catalogueServices, grantOpportunities } from '../../db/schema.ts';
import type { Actor } from '../access/actor.ts';
import { findUserByEmail } from '../identity/identity.dal.ts';
import { subjectFor } from '../identity/identity.fns.ts';
import type { GrantsService } from './grants.service.ts';
import { instantToZoned } from './zoned-time.ts';

export const DEMO_OPPORTUNITY_NUMBER = 'CISA-AIVD-2026-01';

export async function demoActorFor(db: Db, email: string): Promise<Actor | null> {
  const found = await findUserByEmail(db, email);
  if (!found) return null;
  const subject = subjectFor(found.user, found.org, false);
  return { subject, email: found.user.email, orgName: found.org.name, ip: null, via: 'system' };
}

/**
 * One open funding opportunity (CISA, AI vulnerability-detection tools) and a catalogue of three
 * defensive-tool services. Runs once: a second call finds the opportunity and changes nothing.
 */
export async function seedGrantsDemo(db: Db, grants: GrantsService, now: Date = new Date()): Promise<{ opportunityId: string; serviceIds: string[] } | null> {
  const [existing] = await db.select({ id: grantOpportunities.id }).from(grantOpportunities).where(eq(grantOpportunities.number, DEMO_OPPORTUNITY_NUMBER));
  if (existing) {
    const services = await db.select({ id: catalogueServices.id }).from(catalogueServices);
    return { opportunityId: existing.id, serviceIds: services.map((s) => s.id) };
  }
  const officer = await demoActorFor(db, 'cisa.analyst@cisa.demo');
  if (!officer?.subject) return null;
  const zone = 'America/New_York';
  const day = 86_400_000;
  const opp = await grants.createOpportunity(officer, officer.subject, {
    number: DEMO_OPPORTUNITY_NUMBER,
    title: 'AI Vulnerability-Detection Tools for Critical Infrastructure Software',
    program: 'AI Cyber Defense Tools Program',
    summary:
      'Funds the development and hardening of AI-enabled tools that find vulnerabilities in software widely used by critical-infrastructure operators. Funded tools report their findings to the Forewarn clearinghouse in SARIF.',
    eligibility: { orgKinds: ['grantee', 'vendor', 'trusted_partner'], minEmployees: null, maxEmployees: 500, requiredAttestations: ['us_entity', 'us_ownership', 'not_debarred', 'responsible_disclosure'] },
    floorUsd: 250_000,
    ceilingUsd: 1_500_000,
    totalFundingUsd: 6_000_000,
    expectedAwards: 5,
    opensAtLocal: instantToZoned(new Date(now.getTime() - day), zone),
    closesAtLocal: `${instantToZoned(new Date(now.getTime() + 45 * day), zone).slice(0, 10)}T17:00`,
    timeZone: zone,
    budgetYears: 2,
    requiredSections: [
      { key: 'technical_approach', title: 'Technical approach', guidance: 'How the tool finds vulnerabilities, what it covers, how false positives are controlled.', maxChars: 20_000 },
      { key: 'impact', title: 'Impact on critical infrastructure', guidance: 'Which widely used software and which operators benefit.', maxChars: 10_000 },
      { key: 'team', title: 'Team and management', guidance: 'Key personnel and the plan to deliver.', maxChars: 8_000 },
    ],
    rubric: [
      { key: 'technical_merit', title: 'Technical merit', description: 'Soundness and novelty of the detection approach; evidence it works.', weight: 40 },
      { key: 'ci_impact', title: 'Critical-infrastructure impact', description: 'Reach into software used by hospitals, banks and utilities.', weight: 30 },
      { key: 'team', title: 'Team capability', description: 'Ability of the team to deliver on time.', weight: 20 },
      { key: 'cost', title: 'Cost realism', description: 'Budget is reasonable for the work proposed.', weight: 10 },
    ],
  });
  await grants.publishOpportunity(officer, officer.subject, opp.id);
  const services = [
    {
      name: 'Free AI-assisted vulnerability scanning',
      provider: 'CISA Cyber Hygiene Services',
      description: 'Weekly external scanning of internet-facing systems with AI-assisted triage of findings and plain-language remediation guidance.',
      sectors: ['healthcare', 'banking', 'energy', 'water', 'communications', 'transportation', 'other'] as const,
      tiers: ['small', 'medium', 'large'] as const,
      costToOperator: 'No cost',
      howToEnrol: 'Request enrolment here; CISA sends a short authorisation form and starts scanning within two weeks.',
    },
    {
      name: 'Managed detection for rural hospitals',
      provider: 'Lantern Security Labs (grant awardee)',
      description: 'AI-enabled endpoint and network detection with a 24×7 analyst desk, sized for hospitals with small IT teams.',
      sectors: ['healthcare'] as const,
      tiers: ['small', 'medium'] as const,
      costToOperator: 'No cost for the first year under the program; then a reduced rate',
      howToEnrol: 'Request enrolment; the provider schedules a one-hour onboarding call.',
    },
    {
      name: 'Software inventory and patch prioritisation',
      provider: 'Forewarn clearinghouse',
      description: 'Upload an SBOM and get advisories matched to your exact versions, ranked by exploitability.',
      sectors: ['healthcare', 'banking', 'energy', 'water', 'federal_civilian', 'communications', 'transportation', 'other'] as const,
      tiers: ['small', 'medium', 'large'] as const,
      costToOperator: 'No cost',
      howToEnrol: 'Request enrolment; your organisation’s inventory pages are enabled on approval.',
    },
  ];
  const serviceIds: string[] = [];
  for (const s of services) serviceIds.push((await grants.saveService(officer, officer.subject, null, { ...s, sectors: [...s.sectors], tiers: [...s.tiers], active: true })).id);
  return { opportunityId: opp.id, serviceIds };
}
