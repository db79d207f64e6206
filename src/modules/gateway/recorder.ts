import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Keyring } from '../../lib/crypto/keyring.ts';

// Every request through the gateway is recorded, but one INSERT per request would cost more than the
// proxying itself. Records are encrypted when added (the proxy adds one after writing the answer, so
// the client does not wait for it) and buffered in memory; a timer
// writes the buffer every FLUSH_MS (500 ms) as one multi-row INSERT, together with the tokens each
// grant used, in one transaction.
//
// What a crash can lose: the records buffered since the last flush — at most FLUSH_MS of traffic
// plus the flush in flight (≤ 1 s), and the tokens those requests used (so a quota can be overrun by
// at most that much). A clean stop (`close()`, called from the service's stop hook) writes
// everything. If the database refuses a flush, the rows stay buffered and are retried at the next
// tick (up to MAX_BUFFERED rows, beyond which the oldest are dropped and counted in `dropped`).

export const FLUSH_MS = 500;
const MAX_BATCH = 1000;
const MAX_BUFFERED = 200_000;

/**
 * A buffered record as it is written: short member names, because the batch travels to the database
 * as one JSON document (JSON.stringify is native and several times cheaper per row than building
 * twenty column arrays and having the driver quote every element of each).
 */
interface Row {
  i: string;
  o: string;
  c: number;
  m: string[];
  a: Date;
  k: string;
  g: string;
  w: string;
  d: string;
  mo: string;
  u: string;
  e: string;
  s: number;
  l: number;
  pt: number;
  ct: number;
  st: boolean;
  er: string | null;
  rq: string | null;
  rs: string | null;
}

export interface RecordInput {
  id: string;
  at: Date;
  keyId: string;
  grantId: string;
  windowId: string;
  modelId: string;
  modelOwnerOrgId: string;
  ownerOrgId: string;
  userId: string;
  classification: number;
  compartments: string[];
  endpoint: string;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  streamed: boolean;
  errorCode: string | null;
  request: string | null;
  response: string | null;
}

export class Recorder {
  private buffer: Row[] = [];
  /** Tokens this process recorded per grant and has not yet written to gateway_grant_limits. */
  readonly pendingTokens = new Map<string, { modelId: string; tokens: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  dropped = 0;
  written = 0;
  failures = 0;

  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly onError: (err: Error) => void = () => {},
    private readonly flushMs = FLUSH_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  add(r: RecordInput): void {
    this.buffer.push({
      i: r.id,
      o: r.ownerOrgId,
      c: r.classification,
      m: r.compartments,
      a: r.at,
      k: r.keyId,
      g: r.grantId,
      w: r.windowId,
      d: r.modelId,
      mo: r.modelOwnerOrgId,
      u: r.userId,
      e: r.endpoint,
      s: r.status,
      l: r.latencyMs,
      pt: r.promptTokens,
      ct: r.completionTokens,
      st: r.streamed,
      er: r.errorCode,
      rq: r.request === null ? null : this.keyring.encrypt(r.request, `gateway_requests.request_enc:${r.id}`),
      rs: r.response === null ? null : this.keyring.encrypt(r.response, `gateway_requests.response_enc:${r.id}`),
    });
    const used = r.promptTokens + r.completionTokens;
    if (used > 0) {
      const p = this.pendingTokens.get(r.grantId);
      if (p) p.tokens += used;
      else this.pendingTokens.set(r.grantId, { modelId: r.modelId, tokens: used });
    }
    // A stream that ends after the stop hook ran still gets its record written, if the database is still open.
    if (this.closed) void this.flush();
    if (this.buffer.length > MAX_BUFFERED) {
      const drop = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, drop);
      this.dropped += drop;
    }
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * Writes everything buffered when it is called. A flush already under way took its rows before
   * the newest arrived, so this waits for it and then writes what is left; concurrent callers share.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.pendingTokens.size === 0) return;
    this.flushing = this.write().finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async write(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    const tokens = [...this.pendingTokens.entries()];
    this.pendingTokens.clear();
    let done = 0;
    try {
      // One statement per batch: column arrays through unnest (far cheaper to build and to parse
      // than a VALUES list of 20 parameters a row); the grants' token counts ride in the last
      // batch's statement, so they commit with those records.
      do {
        const batch = rows.slice(done, done + MAX_BATCH);
        const last = done + MAX_BATCH >= rows.length;
        await this.db.execute(insertStatement(batch, last ? tokens : []));
        done += batch.length;
      } while (done < rows.length);
      this.written += rows.length;
    } catch (err) {
      this.failures++;
      // Put back what was not written, oldest first, for the next tick.
      this.buffer = rows.slice(done).concat(this.buffer);
      for (const [grantId, p] of tokens) {
        const cur = this.pendingTokens.get(grantId);
        if (cur) cur.tokens += p.tokens;
        else this.pendingTokens.set(grantId, p);
      }
      this.onError(err as Error);
    }
  }

  /** Stops the timer and writes what is left (the service's stop hook). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
  }
}

const p = (v: unknown) => sql.param(v);

/** INSERT … SELECT FROM json_to_recordset(the batch), plus the token upsert as a data-modifying CTE. */
function insertStatement(rows: Row[], tokens: [string, { modelId: string; tokens: number }][]): SQL {
  const tokenCte = tokens.length
    ? sql`, used as (
        insert into gateway_grant_limits (grant_id, model_id, tokens_used)
        select * from unnest(${p(tokens.map((t) => t[0]))}::uuid[], ${p(tokens.map((t) => t[1].modelId))}::uuid[], ${p(tokens.map((t) => t[1].tokens))}::bigint[])
        on conflict (grant_id) do update set tokens_used = gateway_grant_limits.tokens_used + excluded.tokens_used
        returning 1)`
    : sql``;
  if (rows.length === 0) {
    return sql`with noop as (select 1) ${tokenCte} select 1`;
  }
  return sql`with ins as (
      insert into gateway_requests (id, owner_org_id, classification, compartments, at, key_id, grant_id, window_id, model_id, model_owner_org_id, user_id,
        endpoint, status, latency_ms, prompt_tokens, completion_tokens, streamed, error_code, request_enc, response_enc)
      select i, o, c, m, a, k, g, w, d, mo, u, e, s, l, pt, ct, st, er, rq, rs
      from json_to_recordset(${p(JSON.stringify(rows))}::json)
        as t(i uuid, o uuid, c smallint, m text[], a timestamptz, k uuid, g uuid, w uuid, d uuid, mo uuid, u uuid, e text, s smallint, l real, pt int, ct int, st boolean, er text, rq text, rs text)
      returning 1)${tokenCte}
    select 1`;
}
