import { sql } from 'drizzle-orm';
import { smallint, text, uuid } from 'drizzle-orm/pg-core';

/**
 * The three columns every protected record carries (see policy.ts). Spread into a table definition:
 * `...markedColumns()`; classification is 0 UNCLASSIFIED … 4 TOP SECRET.
 */
export function markedColumns(defaultClassification = 0) {
  return {
    ownerOrgId: uuid('owner_org_id').notNull(),
    classification: smallint('classification').notNull().default(defaultClassification),
    compartments: text('compartments').array().notNull().default(sql`'{}'::text[]`),
  };
}
