import { z } from 'zod';
import { FILE_TYPE_NAMES, MAX_BASE64_CHARS } from '../grants/files.ts';
import { HIRING_PATHS } from './dashboard.ts';
import { HIRING_STAGES } from './hiring.machine.ts';

export const Id = z.uuid();
const Text = (max: number) => z.string().trim().min(1).max(max);
export const CLEARANCES = ['none', 'public_trust', 'secret', 'top_secret', 'ts_sci'] as const;
export const WORKPLACES = ['onsite', 'hybrid', 'remote'] as const;

export const PostingBody = z
  .object({
    announcementNumber: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, 'upper-case letters, digits and hyphens'),
    title: Text(200),
    summary: Text(4000),
    duties: Text(8000),
    hiringPath: z.enum(HIRING_PATHS),
    payPlan: Text(60),
    payMinUsd: z.number().int().min(0).max(1_000_000),
    payMaxUsd: z.number().int().min(0).max(1_000_000),
    location: Text(200),
    workplace: z.enum(WORKPLACES),
    clearanceRequired: z.enum(CLEARANCES),
    closesAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((v) => v.payMinUsd <= v.payMaxUsd, { path: ['payMaxUsd'], message: 'the top of the range cannot be below the bottom' });

export const PublicPostingView = z.object({
  id: z.string(),
  announcementNumber: z.string(),
  title: z.string(),
  agencyName: z.string(),
  summary: z.string(),
  duties: z.string(),
  hiringPath: z.string(),
  payPlan: z.string(),
  payMinUsd: z.number(),
  payMaxUsd: z.number(),
  location: z.string(),
  workplace: z.string(),
  clearanceRequired: z.string(),
  closesAt: z.string(),
  /** open | closed (by the clock) */
  phase: z.string(),
});
export const PostingView = PublicPostingView.extend({ status: z.string(), createdAt: z.string(), openedAt: z.string().nullable(), applications: z.number() });

export const ProfileBody = z
  .object({
    headline: Text(200),
    skills: z.array(Text(80)).max(50),
    certifications: z.array(Text(120)).max(30),
    clearanceHeld: z.enum(CLEARANCES),
  })
  .strict();
export const ProfileView = z.object({ headline: z.string(), skills: z.array(z.string()), certifications: z.array(z.string()), clearanceHeld: z.string(), updatedAt: z.string() });

export const ApplyBody = z
  .object({ resume: z.object({ filename: z.string().trim().min(1).max(200).regex(/^[^/\\\0]+$/, 'a file name, not a path'), contentType: z.enum(FILE_TYPE_NAMES as [string, ...string[]]), contentBase64: z.string().min(1).max(MAX_BASE64_CHARS) }).strict() })
  .strict();

/** What the candidate sees: stages and dates, never the agency's notes or who moved it. */
export const CandidateApplicationView = z.object({
  id: z.string(),
  postingId: z.string(),
  postingTitle: z.string(),
  announcementNumber: z.string(),
  agencyName: z.string(),
  hiringPath: z.string(),
  stage: z.enum(HIRING_STAGES),
  stageLabel: z.string(),
  history: z.array(z.object({ stage: z.string(), stageLabel: z.string(), at: z.string() })),
  resumeFilename: z.string(),
  submittedAt: z.string(),
});

export const AgencyApplicationView = CandidateApplicationView.extend({
  candidateName: z.string(),
  candidateEmail: z.string(),
  profile: z.object({ headline: z.string(), skills: z.array(z.string()), certifications: z.array(z.string()), clearanceHeld: z.string() }),
  resumeSizeBytes: z.number(),
  resumeContentType: z.string(),
  allowedMoves: z.array(z.string()),
  events: z.array(z.object({ fromStage: z.string().nullable(), toStage: z.string(), internalNote: z.string().nullable(), movedBy: z.string().nullable(), at: z.string() })),
});

export const MoveBody = z.object({ to: z.enum(HIRING_STAGES), note: z.string().trim().max(4000).optional() }).strict();

export const DashboardView = z.object({
  pipeline: z.array(z.object({ stage: z.string(), byPath: z.record(z.string(), z.number()), total: z.number() })),
  timeToHireDays: z.object({ hires: z.number(), median: z.number().nullable(), mean: z.number().nullable() }),
  clearanceSponsorshipsInProgress: z.number(),
  totalApplications: z.number(),
});
