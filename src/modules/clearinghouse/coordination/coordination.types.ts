// Request and response shapes of coordinated disclosure (bounded everywhere).
import { z } from 'zod';
import { CASE_STATES } from './case.machine.ts';
import { STATEMENT_STATUSES, VEX_JUSTIFICATIONS } from './coordination.fns.ts';

export const MAX_CASE_VENDORS = 1000;
export const MAX_MESSAGES_SHOWN = 500;

const reason = z.string().trim().min(1).max(2000);
const timeZone = z.string().min(1).max(64);
/** A time in the zone's wall clock ("2026-12-21T09:00"); or an instant with an offset (releaseAt). */
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/, 'YYYY-MM-DDTHH:mm in the named time zone');

export const EmbargoInput = z
  .object({
    /** An ISO 8601 instant with Z or an offset. */
    releaseAt: z.iso.datetime({ offset: true }).optional(),
    /** A wall-clock time in `timeZone`; exactly one of releaseAt and localTime. */
    localTime: localTime.optional(),
    /** IANA time zone the embargo is stated in (America/New_York). */
    timeZone,
  })
  .strict();

export const OpenCaseBody = z
  .object({
    vulnerabilityId: z.uuid(),
    /** Vendors to notify besides those whose registered products match. */
    vendorOrgIds: z.array(z.uuid()).max(MAX_CASE_VENDORS).default([]),
    /** Without it, or with a time zone only: the default (lead days before the model's planned release, or the fallback). */
    embargo: EmbargoInput.optional(),
  })
  .strict();
export type OpenCaseInput = z.infer<typeof OpenCaseBody>;

export const AddVendorBody = z.object({ vendorOrgId: z.uuid() }).strict();

export const ChangeEmbargoBody = EmbargoInput.extend({ reason }).strict();
export type ChangeEmbargoInput = z.infer<typeof ChangeEmbargoBody>;
export const ReasonBody = z.object({ reason }).strict();

export const StatementBody = z
  .object({
    /** The product's package-url; versions, qualifiers and subpath are dropped. */
    product: z.string().min(5).max(1000),
    status: z.enum(STATEMENT_STATUSES),
    justification: z.enum(VEX_JUSTIFICATIONS).optional(),
    fixedVersion: z.string().trim().min(1).max(200).optional(),
    remediation: z.string().trim().min(1).max(4000).optional(),
  })
  .strict();
export type StatementInput = z.infer<typeof StatementBody>;

export const ShareBody = z.object({ shared: z.boolean() }).strict();

export const MESSAGE_VISIBILITIES = ['internal', 'vendor', 'all_vendors'] as const;
export const MessageBody = z
  .object({
    body: z.string().trim().min(1).max(20_000),
    /** Coordinators choose; a vendor's message always goes to the coordinators and no other vendor. */
    visibility: z.enum(MESSAGE_VISIBILITIES).optional(),
    /** The vendor a coordinator writes to (visibility vendor). */
    vendorOrgId: z.uuid().optional(),
  })
  .strict();
export type MessageInput = z.infer<typeof MessageBody>;

export const CaseListQuery = z
  .object({ status: z.enum(CASE_STATES).optional(), silent: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

export const ProductBody = z
  .object({
    /** pkg:npm/%40openhealth/ehr-core (a package) or pkg:maven/org.openhealth (a namespace, with match "namespace"). */
    purl: z.string().min(5).max(1000),
    match: z.enum(['package', 'namespace']).default('package'),
    label: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ProductInput = z.infer<typeof ProductBody>;

export const VendorsQuery = z.object({ q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

// ---------------------------------------------------------------------------------------------
// Responses

export const EmbargoClockView = z.object({
  releaseAt: z.string(),
  timeZone: z.string(),
  /** The release in the zone's clock with its offset: 2026-12-21T09:00:00-05:00. */
  local: z.string(),
  /** Monday, December 21, 2026 at 09:00 EST (America/New_York) */
  display: z.string(),
  active: z.boolean(),
  hoursRemaining: z.number().int(),
});

export const CaseVendorView = z.object({
  orgId: z.uuid(),
  name: z.string(),
  addedHow: z.enum(['purl', 'hand']),
  matchedPurls: z.array(z.string()),
  addedAt: z.string(),
  notifiedAt: z.string().nullable(),
  respondedAt: z.string().nullable(),
  /** Days since notification without a statement or message; null once it answered. */
  silentDays: z.number().int().nullable(),
  remindersSent: z.number().int(),
  lastRemindedAt: z.string().nullable(),
});

export const StatementView = z.object({
  id: z.uuid(),
  vendorOrgId: z.uuid(),
  vendorName: z.string(),
  product: z.string(),
  status: z.enum(STATEMENT_STATUSES),
  justification: z.string().nullable(),
  fixedVersion: z.string().nullable(),
  remediation: z.string().nullable(),
  shared: z.boolean(),
  statedAt: z.string(),
});

export const MessageView = z.object({
  id: z.uuid(),
  visibility: z.enum(MESSAGE_VISIBILITIES),
  vendorOrgId: z.uuid().nullable(),
  authorName: z.string(),
  authorOrgName: z.string(),
  mine: z.boolean(),
  body: z.string(),
  postedAt: z.string(),
});

export const EmbargoHistoryView = z.object({
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  timeZone: z.string(),
  basis: z.string().nullable(),
  modelId: z.uuid().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

export const CaseView = z.object({
  id: z.uuid(),
  /** A coordinator sees every vendor, statement and message; a vendor its own, what was shared and what was addressed to it. */
  view: z.enum(['coordinator', 'vendor']),
  vulnerabilityId: z.uuid(),
  title: z.string(),
  status: z.enum(CASE_STATES),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  cvss: z.array(z.object({ version: z.string(), vector: z.string(), baseScore: z.number(), severity: z.string() })),
  cwe: z.array(z.string()),
  affectedPurls: z.array(z.string()),
  embargo: EmbargoClockView,
  /** For coordinators: the embargo ends after the planned release of the model that found it, and the like. */
  warnings: z.array(z.string()),
  embargoHistory: z.array(EmbargoHistoryView),
  vendors: z.array(CaseVendorView),
  statements: z.array(StatementView),
  messages: z.array(MessageView),
});
export type CaseViewT = z.infer<typeof CaseView>;

export const CaseListItem = z.object({
  id: z.uuid(),
  vulnerabilityId: z.uuid(),
  title: z.string(),
  status: z.enum(CASE_STATES),
  openedAt: z.string(),
  embargo: EmbargoClockView,
  vendors: z.number().int(),
  statements: z.number().int(),
  silentVendors: z.number().int(),
  /** The longest silence among its vendors, in days. */
  longestSilentDays: z.number().int().nullable(),
});

export const VendorCaseListItem = z.object({
  id: z.uuid(),
  vulnerabilityId: z.uuid(),
  title: z.string(),
  status: z.enum(CASE_STATES),
  openedAt: z.string(),
  embargo: EmbargoClockView,
  notifiedAt: z.string().nullable(),
  myStatements: z.number().int(),
});

export const VendorProductView = z.object({
  id: z.uuid(),
  purl: z.string(),
  match: z.enum(['package', 'namespace']),
  label: z.string().nullable(),
  createdAt: z.string(),
});

export const VendorDirectoryItem = z.object({ orgId: z.uuid(), name: z.string(), products: z.number().int() });
