// Request and response shapes of the advisories API (bounded everywhere). The content fields reuse
// the pure advisory model's schemas (advisory/model.ts), so what is accepted here can be written.
import { z } from 'zod';
import { ORG_KINDS } from '../../access/roles.ts';
import { CVE_ID, CvssVectorText, NoteSchema, ProductSchema, ReferenceSchema, RemediationSchema, StatusSchema } from '../advisory/model.ts';
import { TLP_LABELS } from '../advisory/tlp.ts';

const Line = (max: number) => z.string().trim().min(1).max(max);
const Text = (max: number) => z.string().min(1).max(max).refine((s) => s.trim().length > 0, 'must not be blank');

export const ADVISORY_STATES = ['draft', 'published', 'withdrawn'] as const;
export type AdvisoryState = (typeof ADVISORY_STATES)[number];

/** Who receives a restricted advisory (TLP 2.0, advisory/tlp.ts); the clearinghouse itself always does. */
export const AudienceSchema = z
  .object({
    /** Organisations of the coordination case (vendors, coordinators, validators). */
    participantOrgIds: z.array(z.uuid()).max(500).default([]),
    /** Organisations found affected (operators running the product). */
    affectedOrgIds: z.array(z.uuid()).max(5000).default([]),
    /** Clients of the audience that TLP:AMBER (not AMBER+STRICT) may reach. */
    clientOrgIds: z.array(z.uuid()).max(5000).default([]),
    /** People named for TLP:RED. */
    namedUserIds: z.array(z.uuid()).max(200).default([]),
    /** Narrows the TLP:GREEN community. */
    greenCommunity: z
      .object({ orgKinds: z.array(z.enum(ORG_KINDS)).max(20).optional(), sectors: z.array(Line(100)).max(50).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type Audience = z.output<typeof AudienceSchema>;

const Acknowledgment = z
  .object({ names: z.array(Line(200)).min(1).max(50).optional(), organization: Line(200).optional(), summary: Line(500).optional() })
  .strict()
  .refine((a) => a.names || a.organization, 'names or organization');

/** What an analyst writes; products, statuses, remediations and CVSS default from the vulnerability. */
export const AdvisoryFields = z
  .object({
    tlp: z.enum(TLP_LABELS),
    title: Line(300),
    summary: Text(10000),
    description: Text(20000),
    cve: z.string().regex(CVE_ID).max(30).optional(),
    cwe: z.object({ id: z.string().regex(/^CWE-[1-9]\d{0,5}$/), name: Line(300) }).strict().optional(),
    cvss: z.array(CvssVectorText).max(2).optional(),
    products: z.array(ProductSchema).min(1).max(1000).optional(),
    statuses: z.array(StatusSchema).min(1).max(1000).optional(),
    remediations: z.array(RemediationSchema).max(200).optional(),
    notes: z.array(NoteSchema).max(50).optional(),
    references: z.array(ReferenceSchema).max(100).optional(),
    acknowledgments: z.array(Acknowledgment).max(100).optional(),
    audience: AudienceSchema.optional(),
  })
  .strict();
export type AdvisoryFieldsT = z.output<typeof AdvisoryFields>;

export const DraftBody = AdvisoryFields.extend({ vulnerabilityId: z.uuid() }).strict();
export type DraftInput = z.output<typeof DraftBody>;

export const PatchBody = AdvisoryFields.partial().strict();
export type PatchInput = z.output<typeof PatchBody>;

export const PublishBody = z.object({ csafStatus: z.enum(['interim', 'final']).default('final') }).strict();
export const ReviseBody = z.object({ summary: Line(1000), changes: AdvisoryFields.partial().strict().default({}) }).strict();
export type ReviseInput = z.output<typeof ReviseBody>;
export const WithdrawBody = z.object({ reason: Line(2000) }).strict();

/** An advisory by its uuid or its tracking id (FWN-2026-0001). */
export const AdvisoryRef = z.object({ ref: z.union([z.uuid(), z.string().regex(/^FWN-\d{4}-\d{4,6}$/i).max(20)]) }).strict();

export const DOCUMENT_NAMES = ['csaf.json', 'csaf.json.sha256', 'csaf.json.sha512', 'csaf.json.asc', 'vex.json', 'osv.json', 'page.html', 'page.txt'] as const;
export type DocumentName = (typeof DOCUMENT_NAMES)[number];
export const DocumentParams = z.object({ ref: AdvisoryRef.shape.ref, name: z.enum(DOCUMENT_NAMES) }).strict();

const Revision = z.object({ number: z.number().int(), date: z.string(), summary: z.string() });

export const AdvisoryView = z.object({
  id: z.uuid(),
  trackingId: z.string().nullable(),
  status: z.enum(ADVISORY_STATES),
  tlp: z.enum(TLP_LABELS),
  csafStatus: z.enum(['interim', 'final']),
  title: z.string(),
  summary: z.string(),
  severity: z.string().nullable(),
  currentRevision: z.number().int(),
  initialReleaseAt: z.string().nullable(),
  currentReleaseAt: z.string().nullable(),
  revisions: z.array(Revision),
  /** Relative links to the documents (present once published). */
  documents: z.array(z.object({ name: z.enum(DOCUMENT_NAMES), href: z.string() })),
  /** The CSAF trusted-provider location (TLP:CLEAR only). */
  distributionUrl: z.string().nullable(),
  /** Publishers only: the vulnerability, the editable fields and the audience. */
  vulnerabilityId: z.uuid().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type AdvisoryViewT = z.infer<typeof AdvisoryView>;

export const ListQuery = z
  .object({
    status: z.enum(ADVISORY_STATES).optional(),
    tlp: z.enum(TLP_LABELS).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListQueryT = z.output<typeof ListQuery>;

export const ListItem = z.object({
  id: z.uuid(),
  trackingId: z.string().nullable(),
  status: z.enum(ADVISORY_STATES),
  tlp: z.enum(TLP_LABELS),
  title: z.string(),
  severity: z.string().nullable(),
  currentRevision: z.number().int(),
  currentReleaseAt: z.string().nullable(),
});
export type ListItemT = z.infer<typeof ListItem>;

/** The ROLIE-like feed (RFC 8322 entries in the CSAF JSON flavour) of the advisories the caller may receive. */
export const FeedQuery = z
  .object({
    /** Default: the restricted labels (GREEN, AMBER, AMBER+STRICT, RED); TLP:CLEAR is in /.well-known/csaf. */
    tlp: z.enum(TLP_LABELS).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const Link = z.object({ rel: z.string(), href: z.string() });
export const FeedView = z.object({
  feed: z.object({
    id: z.string(),
    title: z.string(),
    link: z.array(Link),
    category: z.array(z.object({ scheme: z.string(), term: z.string() })),
    updated: z.string(),
    entry: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        link: z.array(Link),
        published: z.string(),
        updated: z.string(),
        summary: z.object({ content: z.string() }),
        content: z.object({ type: z.string(), src: z.string() }),
        format: z.object({ schema: z.string(), version: z.string() }),
        tlp: z.enum(TLP_LABELS),
        withdrawn: z.boolean(),
      }),
    ),
  }),
});
export type FeedViewT = z.infer<typeof FeedView>;
