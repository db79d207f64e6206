import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobPostings } from '../../db/schema.ts';
import { demoActorFor } from '../grants/demo.ts';
import type { WorkforceService } from './workforce.service.ts';

export const DEMO_ANNOUNCEMENTS = ['CISA-TF-2026-001', 'CISA-DH-2026-014'] as const;

/** Two open postings at CISA (a Tech Force AI security engineer and a direct-hire analyst). Runs once. */
export async function seedWorkforceDemo(db: Db, workforce: WorkforceService, now: Date = new Date()): Promise<{ postingIds: string[] } | null> {
  const existing = await db.select({ id: jobPostings.id }).from(jobPostings).where(inArray(jobPostings.announcementNumber, [...DEMO_ANNOUNCEMENTS]));
  if (existing.length) return { postingIds: existing.map((e) => e.id) };
  const manager = await demoActorFor(db, 'cisa.analyst@cisa.demo');
  if (!manager?.subject) return null;
  const day = 86_400_000;
  const postings = [
    {
      announcementNumber: DEMO_ANNOUNCEMENTS[0],
      title: 'AI Security Engineer (U.S. Tech Force)',
      summary: 'Two-year Tech Force term building and running the evaluations that find dangerous cyber capabilities in frontier models before release.',
      duties: 'Design evaluation suites; run red-team exercises through the model-access gateway; turn findings into clearinghouse reports.',
      hiringPath: 'tech_force' as const,
      payPlan: 'Tech Force band 3',
      payMinUsd: 150_000,
      payMaxUsd: 195_000,
      location: 'Arlington, VA',
      workplace: 'hybrid' as const,
      clearanceRequired: 'secret' as const,
      closesAt: new Date(now.getTime() + 30 * day).toISOString(),
    },
    {
      announcementNumber: DEMO_ANNOUNCEMENTS[1],
      title: 'Vulnerability Analyst (Direct Hire)',
      summary: 'Validate and coordinate vulnerabilities reported to the clearinghouse by AI tools and reviewers.',
      duties: 'Triage SARIF reports, reproduce findings, score CVSS, coordinate with vendors under embargo.',
      hiringPath: 'direct_hire' as const,
      payPlan: 'GS-13',
      payMinUsd: 117_962,
      payMaxUsd: 153_354,
      location: 'Remote (United States)',
      workplace: 'remote' as const,
      clearanceRequired: 'public_trust' as const,
      closesAt: new Date(now.getTime() + 21 * day).toISOString(),
    },
  ];
  const postingIds: string[] = [];
  for (const p of postings) {
    const created = await workforce.createPosting(manager, manager.subject, p);
    await workforce.openPosting(manager, manager.subject, created.id);
    postingIds.push(created.id);
  }
  return { postingIds };
}
