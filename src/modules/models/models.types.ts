import { z } from 'zod';
import { Compartments, Id } from '../identity/identity.types.ts';
import { CAVEAT_PATTERN, DOCUMENT_CLASSIFICATIONS, DOCUMENT_KINDS, MAX_DOCUMENT_BASE64, MAX_DOCUMENT_BYTES, MODALITIES } from './models.fns.ts';

// Request and response schemas of the models module. Every string and array is bounded.

const Text = (max: number) => z.string().trim().min(1).max(max);
const Instant = z.iso.datetime({ offset: true });

export const Modality = z.enum(MODALITIES);
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export const Flop = z.number().finite().positive().max(1e40);

const descriptive = {
  name: Text(200),
  modality: Modality,
  lineageModelId: Id.nullable(),
  trainingComputeFlop: Flop,
  computeEstimationMethod: Text(2000),
  intendedDeployment: Text(10_000),
  capabilitySummary: Text(20_000),
};

export const RegisterModelBody = z
  .object({
    ...descriptive,
    lineageModelId: Id.nullable().optional(),
    version: Text(64),
    plannedReleaseAt: Instant,
  })
  .strict();
export type RegisterModelInput = z.infer<typeof RegisterModelBody>;

/** Descriptive fields only: the release date moves through the reviews module, the status never from here. */
export const UpdateModelBody = z
  .object(descriptive)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' });
export type UpdateModelInput = z.infer<typeof UpdateModelBody>;

export const NewVersionBody = z
  .object({
    ...descriptive,
    version: Text(64),
    plannedReleaseAt: Instant,
    /** Copy the previous version's active disclosure documents (not their shares) into the new version. */
    inheritPackage: z.boolean().default(false),
  })
  .partial({ name: true, modality: true, lineageModelId: true, trainingComputeFlop: true, computeEstimationMethod: true, intendedDeployment: true, capabilitySummary: true, inheritPackage: true })
  .strict();
export type NewVersionInput = z.infer<typeof NewVersionBody>;

export const DocumentMarkingBody = z
  .object({
    classification: z.enum(DOCUMENT_CLASSIFICATIONS),
    compartments: Compartments.optional(),
  })
  .strict();

const Filename = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^/\\\x00-\x1f\x7f]+$/, 'a file name without path separators or control characters')
  .refine((s) => s !== '.' && s !== '..', 'a file name');
const MediaType = z
  .string()
  .trim()
  .toLowerCase()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/, 'a media type such as application/pdf');
export const Caveat = z.string().regex(CAVEAT_PATTERN, 'capital letters, digits or -, 2 to 16 characters (for example PROPIN)');

export const UploadDocumentBody = z
  .object({
    kind: DocumentKind,
    title: Text(300),
    filename: Filename,
    mediaType: MediaType,
    contentBase64: z
      .string()
      .min(1)
      .max(MAX_DOCUMENT_BASE64, `at most ${MAX_DOCUMENT_BYTES} bytes (${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB) once decoded`),
    marking: DocumentMarkingBody,
    caveat: Caveat.nullable().optional(),
  })
  .strict();
export type UploadDocumentInput = z.infer<typeof UploadDocumentBody>;

export const UpdateDocumentBody = z
  .object({ kind: DocumentKind, title: Text(300), marking: DocumentMarkingBody, caveat: Caveat.nullable() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' });
export type UpdateDocumentInput = z.infer<typeof UpdateDocumentBody>;

export const SharesBody = z.object({ agencyOrgIds: z.array(Id).max(20) }).strict();

export const ModelParams = z.object({ id: Id });
export const DocumentParams = z.object({ id: Id, docId: Id });

// ---- responses ----

export const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()) });

export const AgencyView = z.object({ id: z.string(), name: z.string(), agencyCode: z.string().nullable() });

export const ModelSummaryView = z.object({
  id: z.string(),
  familyId: z.string(),
  previousVersionId: z.string().nullable(),
  name: z.string(),
  version: z.string(),
  modality: z.string(),
  plannedReleaseAt: z.string(),
  daysToRelease: z.number(),
  trainingComputeFlop: z.number(),
  status: z.string(),
  ownerOrgId: z.string(),
  ownerOrgName: z.string(),
  /** True for the developer's own organisation: it may edit, version and share. */
  mine: z.boolean(),
  marking: MarkingView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ModelSummary = z.infer<typeof ModelSummaryView>;

export const DocumentView = z.object({
  id: z.string(),
  modelId: z.string(),
  kind: z.string(),
  title: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  marking: MarkingView,
  caveat: z.string().nullable(),
  /** The banner form, for example CUI//PROPIN. */
  markingText: z.string(),
  inheritedFromId: z.string().nullable(),
  status: z.enum(['active', 'withdrawn']),
  withdrawnAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Only for the developer: the agencies it shares this item with. */
  sharedWith: z.array(AgencyView).optional(),
});
export type DocumentViewT = z.infer<typeof DocumentView>;

export const ModelDetailView = ModelSummaryView.extend({
  lineageModelId: z.string().nullable(),
  lineage: z.object({ id: z.string(), name: z.string(), version: z.string() }).nullable(),
  computeEstimationMethod: z.string(),
  intendedDeployment: z.string(),
  capabilitySummary: z.string(),
  versions: z.array(z.object({ id: z.string(), version: z.string(), previousVersionId: z.string().nullable(), plannedReleaseAt: z.string(), status: z.string(), createdAt: z.string() })),
  documents: z.array(DocumentView),
});
export type ModelDetail = z.infer<typeof ModelDetailView>;

export const SharesView = z.object({ documentId: z.string(), sharedWith: z.array(AgencyView) });
