// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
//
// A coordination case belongs to one vulnerability and carries the vulnerability's marking and owner
// (the clearinghouse operator). Coordinators (`clearinghouse:coordinate`, cleared for the marking)
// read all of it; a vendor organisation reads a case only while it is one of the case's vendors, and
// then only its own statements, statements a coordinator shared, and messages addressed to it.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../../access/marked.ts';

export const coordinationCases = pgTable(
  'coordination_cases',
  {
    id: uuid('id').primaryKey(),
    ...markedColumns(1),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    /** open | closed (case.machine.ts). */
    status: text('status').notNull(),
    /** The public release moment and the IANA zone it was set in (shown back in that zone). */
    embargoReleaseAt: timestamp('embargo_release_at', { withTimezone: true }).notNull(),
    embargoTimeZone: text('embargo_time_zone').notNull(),
    openedBy: uuid('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('coordination_cases_vuln_key').on(t.vulnerabilityId), index('coordination_cases_status_idx').on(t.status, t.embargoReleaseAt)],
);

// A vendor organisation taking part in a case: how it came in, when it was told, whether it answered.
export const coordinationCaseVendors = pgTable(
  'coordination_case_vendors',
  {
    caseId: uuid('case_id').notNull(),
    vendorOrgId: uuid('vendor_org_id').notNull(),
    /** purl (its registered products matched) | hand (a coordinator added it). */
    addedHow: text('added_how').notNull(),
    /** The vulnerability's affected purls its registered products matched. */
    matchedPurls: text('matched_purls').array().notNull().default(sql`'{}'::text[]`),
    addedBy: uuid('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    /** Set by the notification job when the vendor's coordinators were told. */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    /** The vendor's first statement or message: it is silent until then. */
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: timestamp('last_reminded_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.vendorOrgId] }), index('coordination_case_vendors_vendor_idx').on(t.vendorOrgId)],
);

// A vendor's statement on one of its products (versionless purl), replaced when it states again.
export const coordinationStatements = pgTable(
  'coordination_statements',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    vendorOrgId: uuid('vendor_org_id').notNull(),
    product: text('product').notNull(),
    /** affected | not_affected | under_investigation | fixed */
    status: text('status').notNull(),
    /** CSAF VEX justification label (not_affected only). */
    justification: text('justification'),
    fixedVersion: text('fixed_version'),
    remediation: text('remediation'),
    /** A coordinator shared it with the case's other vendors. */
    shared: boolean('shared').notNull().default(false),
    sharedAt: timestamp('shared_at', { withTimezone: true }),
    statedBy: uuid('stated_by').notNull(),
    statedAt: timestamp('stated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('coordination_statements_product_key').on(t.caseId, t.vendorOrgId, t.product)],
);

// The case thread. internal: coordinators only; vendor: coordinators and one vendor (vendor_org_id);
// all_vendors: coordinators and every vendor of the case. The body is encrypted
// (aad coordination_messages.body_enc:<id>).
export const coordinationMessages = pgTable(
  'coordination_messages',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull(),
    visibility: text('visibility').notNull(),
    vendorOrgId: uuid('vendor_org_id'),
    authorUserId: uuid('author_user_id').notNull(),
    authorOrgId: uuid('author_org_id').notNull(),
    bodyEnc: text('body_enc').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('coordination_messages_case_idx').on(t.caseId, t.postedAt)],
);

// Every embargo the case had: the default at opening, then each extension, shortening or early end with its reason.
export const coordinationEmbargoHistory = pgTable(
  'coordination_embargo_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    /** default | set | extend | shorten | end_early */
    action: text('action').notNull(),
    fromReleaseAt: timestamp('from_release_at', { withTimezone: true }),
    toReleaseAt: timestamp('to_release_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull(),
    /** How a default was reached (model_release, model_release_passed_lead, fallback) and from which model. */
    basis: text('basis'),
    modelId: uuid('model_id'),
    reason: text('reason'),
    actorUserId: uuid('actor_user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('coordination_embargo_history_case_idx').on(t.caseId, t.at)],
);

// The products a vendor registers so that cases find it: a package (type, namespace, name) or a whole
// namespace (name ''). Managed by the vendor itself.
export const coordinationVendorProducts = pgTable(
  'coordination_vendor_products',
  {
    id: uuid('id').primaryKey(),
    vendorOrgId: uuid('vendor_org_id').notNull(),
    purlType: text('purl_type').notNull(),
    namespace: text('namespace').notNull(),
    name: text('name').notNull(),
    label: text('label'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('coordination_vendor_products_key').on(t.vendorOrgId, t.purlType, t.namespace, t.name), index('coordination_vendor_products_match_idx').on(t.purlType, t.namespace)],
);
