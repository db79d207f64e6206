// Set-at-a-time writes of intake. A report costs two statements whatever its size: one stores the
// report and reads the keys already known, one claims the new keys and, only if every one was
// claimed, stores the new vulnerabilities, their history, the links and the idempotent answer.
// Rows travel as column arrays through unnest (one parameter a column, far cheaper to build and to
// parse than a VALUES list of a dozen parameters a row).
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx as Tx } from '../../db/client.ts';
import { clearinghouseVulnerabilityKeys as keysTable } from '../../db/schema.ts';
import type { DedupKey } from './intake/dedup-plan.ts';

/** Keys per statement: bounds one statement whatever the report (a candidate may carry 150 keys). */
const KEY_CHUNK = 20_000;
const p = (v: unknown) => sql.param(v);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const CWE = /^CWE-[1-9][0-9]{0,5}$/;
/** The clearinghouse operator owns every vulnerability (the first submitter's organisation when there is none). */
const OPERATOR_AGENCY_CODE = 'TREASURY';

async function rowsOf<T>(tx: Tx, statement: SQL): Promise<T[]> {
  // node-postgres and PGlite both answer { rows }.
  return ((await tx.execute(statement)) as unknown as { rows: T[] }).rows;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += KEY_CHUNK) out.push(items.slice(i, i + KEY_CHUNK));
  return out;
}

export interface NewReport {
  id: string;
  ownerOrgId: string;
  classification: number;
  submitterUserId: string;
  format: string;
  receivedAt: Date;
  documentEnc: string;
  candidatesEnc: string;
  candidateCount: number;
}

/** Stores the report and answers which of `keys` already lead to a vulnerability. */
export async function insertReportReadingOwners(tx: Tx, r: NewReport, keys: readonly string[]): Promise<Map<string, string>> {
  const [first = [], ...rest] = chunks(keys);
  const rows = await rowsOf<{ key: string; vulnerability_id: string }>(
    tx,
    sql`with report as (
        insert into clearinghouse_reports (id, owner_org_id, classification, submitter_user_id, format, received_at, document_enc, candidates_enc, candidate_count)
        values (${r.id}::uuid, ${r.ownerOrgId}::uuid, ${r.classification}, ${r.submitterUserId}::uuid, ${r.format}, ${iso(r.receivedAt)}::timestamptz, ${r.documentEnc}, ${r.candidatesEnc}, ${r.candidateCount}))
      select key, vulnerability_id from clearinghouse_vulnerability_keys where key = any(${p(first)}::text[])`,
  );
  const owners = new Map(rows.map((x) => [x.key, x.vulnerability_id]));
  for (const chunk of rest) for (const [k, v] of await keyOwners(tx, chunk)) owners.set(k, v);
  return owners;
}

/** The vulnerability each of these keys leads to (keys not stored are absent). */
export async function keyOwners(tx: Tx, keys: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const chunk of chunks(keys)) {
    const rows = await tx
      .select({ key: keysTable.key, vulnerabilityId: keysTable.vulnerabilityId })
      .from(keysTable)
      .where(sql`${keysTable.key} = any(${p(chunk)}::text[])`);
    for (const r of rows) owners.set(r.key, r.vulnerabilityId);
  }
  return owners;
}

/** Gives back keys this transaction claimed (its plan changed after a conflict). */
export async function releaseKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  for (const chunk of chunks(keys)) await tx.execute(sql`delete from clearinghouse_vulnerability_keys where key = any(${p(chunk)}::text[])`);
}

export interface NewVulnerability {
  id: string;
  classification: number;
  titleEnc: string;
  similarityKey: string | null;
  status: string;
  statusSince: Date;
  slaDueAt: Date | null;
  cvss: unknown[];
  /** CWE identifiers (CWE-<digits>, checked by intake). */
  cwe: string[];
  affected: unknown[];
  createdAt: Date;
}

export interface NewLink {
  vulnerabilityId: string;
  merged: boolean;
  toolName: string | null;
}

export interface LinkWrite {
  /** Keys the plan adds, each leading to its vulnerability. */
  newKeys: readonly (DedupKey & { vulnerabilityId: string })[];
  /** Owner of the new vulnerabilities when no operator organisation exists. */
  fallbackOwnerOrgId: string;
  vulnerabilities: readonly NewVulnerability[];
  /** Candidate i's link is links[i]. */
  links: readonly NewLink[];
  report: { id: string; reporterUserId: string; reporterOrgId: string; linkedAt: Date };
  idempotency?: { submitterUserId: string; key: string; requestHash: string; responseEnc: string; createdAt: Date };
}

export type LinkOutcome = { written: true } | { written: false; held: string[]; lost: string[] };

/**
 * Claims the new keys unless another submission holds them, and writes the rest only if every key
 * was claimed. The key row is the arbiter between concurrent submissions of the same bug: a key
 * another transaction is inserting makes this one wait for it and then skip the key. Keys go in
 * sorted order so that two submissions do not wait on each other crosswise.
 */
export async function claimKeysAndLink(tx: Tx, w: LinkWrite): Promise<LinkOutcome> {
  const sorted = [...w.newKeys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parts = chunks(sorted);
  const last = parts.pop() ?? [];
  const held: string[] = [];
  for (const part of parts) {
    const rows = await rowsOf<{ key: string }>(tx, sql`${claim(part)} select key from claimed`);
    held.push(...rows.map((r) => r.key));
    if (rows.length < part.length) return { written: false, held, lost: lostOf(sorted, held) };
  }
  const rows = await rowsOf<{ key: string }>(tx, sql`${claim(last)}, ok as (select count(*) = ${last.length} as ok from claimed)${writes(w)} select key from claimed`);
  held.push(...rows.map((r) => r.key));
  return rows.length === last.length ? { written: true } : { written: false, held, lost: lostOf(sorted, held) };
}

function lostOf(keys: readonly DedupKey[], held: readonly string[]): string[] {
  const h = new Set(held);
  return keys.filter((k) => !h.has(k.key)).map((k) => k.key);
}

function claim(keys: readonly (DedupKey & { vulnerabilityId: string })[]): SQL {
  return sql`with claimed as (
      insert into clearinghouse_vulnerability_keys (key, vulnerability_id, kind)
      select * from unnest(${p(keys.map((k) => k.key))}::text[], ${p(keys.map((k) => k.vulnerabilityId))}::uuid[], ${p(keys.map((k) => k.kind))}::text[])
      on conflict (key) do nothing
      returning key)`;
}

/** Data-modifying CTEs that each write nothing unless `ok`. */
function writes(w: LinkWrite): SQL {
  const v = w.vulnerabilities;
  // cwe is text[] per row and PostgreSQL arrays must be rectangular, so each row's list travels as
  // an array literal (CWE identifiers need no quoting) and is cast back per row.
  const cwe = v.map((r) => {
    if (!r.cwe.every((c) => CWE.test(c))) throw new Error('a CWE identifier is malformed');
    return `{${r.cwe.join(',')}}`;
  });
  const r = w.report;
  const idem = w.idempotency;
  return sql`,
    operator as (select coalesce((select id from organisations where agency_code = ${OPERATOR_AGENCY_CODE} limit 1), ${w.fallbackOwnerOrgId}::uuid) as id),
    vulns as (
      insert into clearinghouse_vulnerabilities
        (id, owner_org_id, classification, title_enc, similarity_key, status, status_since, sla_due_at, cvss, cwe, affected, created_at, updated_at)
      select t.id, (select id from operator), cls, title, sim, status, since, due, cvss::jsonb, cwe::text[], affected::jsonb, created, created
      from unnest(${p(v.map((x) => x.id))}::uuid[], ${p(v.map((x) => x.classification))}::smallint[], ${p(v.map((x) => x.titleEnc))}::text[],
        ${p(v.map((x) => x.similarityKey))}::text[], ${p(v.map((x) => x.status))}::text[], ${p(v.map((x) => iso(x.statusSince)))}::timestamptz[],
        ${p(v.map((x) => iso(x.slaDueAt)))}::timestamptz[], ${p(v.map((x) => JSON.stringify(x.cvss)))}::text[], ${p(cwe)}::text[],
        ${p(v.map((x) => JSON.stringify(x.affected)))}::text[], ${p(v.map((x) => iso(x.createdAt)))}::timestamptz[])
        as t(id, cls, title, sim, status, since, due, cvss, cwe, affected, created)
      where (select ok from ok)
      returning id, status, status_since),
    history as (
      insert into clearinghouse_status_history (vulnerability_id, from_status, to_status, reason, actor_user_id, at)
      select id, null, status, null, null, status_since from vulns),
    links as (
      insert into clearinghouse_report_links (report_id, candidate_index, vulnerability_id, merged, reporter_user_id, reporter_org_id, tool_name, linked_at)
      select ${r.id}::uuid, (idx - 1)::int, vuln, merged, ${r.reporterUserId}::uuid, ${r.reporterOrgId}::uuid, tool, ${iso(r.linkedAt)}::timestamptz
      from unnest(${p(w.links.map((l) => l.vulnerabilityId))}::uuid[], ${p(w.links.map((l) => l.merged))}::boolean[], ${p(w.links.map((l) => l.toolName))}::text[])
        with ordinality as t(vuln, merged, tool, idx)
      where (select ok from ok))${
        idem
          ? sql`,
    idem as (
      insert into clearinghouse_idempotency (submitter_user_id, key, request_hash, response, created_at)
      select ${idem.submitterUserId}::uuid, ${idem.key}, ${idem.requestHash}, jsonb_build_object('enc', ${idem.responseEnc}::text), ${iso(idem.createdAt)}::timestamptz
      where (select ok from ok))`
          : sql``
      }`;
}
