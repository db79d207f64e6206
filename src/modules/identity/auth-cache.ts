import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

// Authenticating every request with a database round trip costs more than everything else the API
// does for a read. Resolved credentials are kept in memory for a short time; every change that can
// end or narrow access (sign-out, revocation, password, role, clearance, disabling) sends a NOTIFY
// in its own transaction, and every API process evicts that user's entries when it arrives. The time
// limit bounds the damage of a lost notification.

export const AUTH_CHANNEL = 'forewarn_auth';
const MAX_ENTRIES = 20_000;

export class AuthCache<T extends { userId: string }> {
  private entries = new Map<string, { value: T; at: number }>();
  constructor(private readonly ttlMs: number) {}

  get(key: string, now: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, at: now });
  }

  evictUser(userId: string): void {
    for (const [k, e] of this.entries) if (e.value.userId === userId) this.entries.delete(k);
  }

  evictKey(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Tells every process (this one included, through its listener) to forget a user's credentials once `tx` commits. */
export async function announceAuthChange(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${AUTH_CHANNEL}, ${userId})`);
}
