import { z } from 'zod';

/** The JSON body of an SBOM upload may carry at most this much (the parser's own limit is 20 MiB). */
export const SBOM_BODY_LIMIT = 25 * 1024 * 1024;
export const MAX_SBOM_CHARS = SBOM_BODY_LIMIT - 1024;

export const Id = z.uuid();
export const ById = z.object({ id: Id }).strict();
export const SbomParams = z.object({ id: Id, sbomId: Id }).strict();
export const ComponentParams = z.object({ id: Id, componentId: Id }).strict();

export const ASSET_KINDS = ['system', 'site'] as const;
export const CreateAssetBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ASSET_KINDS).default('system'),
    description: z.string().trim().max(2000).optional(),
  })
  .strict();

export const UploadSbomBody = z.object({ document: z.string().min(1).max(MAX_SBOM_CHARS) }).strict();

export const ManualComponentBody = z
  .object({
    purl: z.string().trim().min(1).max(2000).optional(),
    cpe: z.string().trim().min(1).max(2000).optional(),
    name: z.string().trim().min(1).max(500).optional(),
    version: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => b.purl !== undefined || b.cpe !== undefined, { message: 'Give a package-url or a CPE.' });

export const ComponentsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const ComponentView = z.object({
  id: z.string(),
  source: z.enum(['sbom', 'manual']),
  purl: z.string().nullable(),
  package: z.string().nullable(),
  ecosystem: z.string().nullable(),
  namespace: z.string().nullable(),
  name: z.string(),
  version: z.string().nullable(),
  cpe: z.string().nullable(),
});

export const SbomSummaryView = z.object({
  id: z.string(),
  version: z.number(),
  format: z.string(),
  specVersion: z.string(),
  serialNumber: z.string().nullable(),
  subjectName: z.string().nullable(),
  sha256: z.string(),
  bytes: z.number(),
  componentCount: z.number(),
  warnings: z.array(z.string()),
  current: z.boolean(),
  uploadedAt: z.string(),
});

export const AssetView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  description: z.string().nullable(),
  currentSbomId: z.string().nullable(),
  componentCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const AssetDetailView = AssetView.extend({
  components: z.object({ items: z.array(ComponentView), total: z.number(), limit: z.number(), offset: z.number() }),
  sboms: z.array(SbomSummaryView),
});

export const SbomDetailView = SbomSummaryView.extend({
  assetId: z.string(),
  components: z.array(ComponentView),
});

export const UploadResultView = SbomSummaryView.extend({ assetId: z.string() });

// ---- operator profile ---------------------------------------------------------------------------

export const OPERATOR_SIZES = ['small', 'medium', 'large'] as const;
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;

const Contact = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    phone: z.string().trim().max(50).nullable().optional(),
    role: z.string().trim().max(200).nullable().optional(),
  })
  .strict();

export const ProfileBody = z
  .object({
    size: z.enum(OPERATOR_SIZES).nullable().optional(),
    priorityTier: z.number().int().min(1).max(4).nullable().optional(),
    contacts: z.array(Contact).max(20).optional(),
  })
  .strict();

export const ChannelBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), address: z.email().max(320) }).strict(),
  z
    .object({
      kind: z.literal('webhook'),
      address: z.url({ protocol: /^https?$/ }).max(2000),
      tlpMax: z.enum(TLP_LEVELS).default('CLEAR'),
    })
    .strict(),
]);

export const ChannelView = z.object({
  id: z.string(),
  kind: z.enum(['email', 'webhook']),
  address: z.string(),
  tlpMax: z.enum(TLP_LEVELS),
  hasSecret: z.boolean(),
  createdAt: z.string(),
});
export const CreatedChannelView = ChannelView.extend({ secret: z.string().nullable() });

export const ProfileView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  sector: z.string().nullable(),
  size: z.enum(OPERATOR_SIZES).nullable(),
  priorityTier: z.number().nullable(),
  contacts: z.array(z.object({ name: z.string(), email: z.string(), phone: z.string().nullable().optional(), role: z.string().nullable().optional() })),
  channels: z.array(ChannelView),
});

export type ComponentRowInput = {
  purl: string | null;
  package: string | null;
  ecosystem: string | null;
  namespace: string | null;
  name: string;
  version: string | null;
  cpe: string | null;
};
