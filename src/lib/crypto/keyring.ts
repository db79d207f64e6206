import { randomBytes } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { encryptionKeys } from '../../db/schema.ts';
import { decryptField, deriveKey, encryptField, keyIdOf, unwrapDataKey, wrapDataKey } from './envelope.ts';

export interface Keyring {
  encrypt(plaintext: string, aad: string): string;
  decrypt(envelope: string, aad: string): string;
  /** A key for MACs (CSRF tokens) that changes only with the master key. */
  macKey: Buffer;
}

export async function loadKeyring(db: Db, master: Buffer): Promise<Keyring> {
  let rows = await db.select().from(encryptionKeys);
  if (rows.length === 0) {
    const id = `k${Date.now().toString(36)}`;
    await db
      .insert(encryptionKeys)
      .values({ id, wrappedKey: wrapDataKey(master, id, randomBytes(32)) })
      .onConflictDoNothing();
    rows = await db.select().from(encryptionKeys);
  }
  const keys = new Map<string, Buffer>();
  for (const r of rows) {
    try {
      keys.set(r.id, unwrapDataKey(master, r.id, r.wrappedKey));
    } catch {
      throw new Error(`FOREWARN_MASTER_KEY does not open data key ${r.id}: wrong master key for this database`);
    }
  }
  const active = rows.filter((r) => !r.retiredAt).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? rows[0];
  const activeKey = keys.get(active.id)!;
  return {
    encrypt: (plaintext, aad) => encryptField(active.id, activeKey, plaintext, aad),
    decrypt: (envelope, aad) => {
      const key = keys.get(keyIdOf(envelope));
      if (!key) throw new Error('ciphertext names an unknown data key');
      return decryptField(key, envelope, aad);
    },
    macKey: deriveKey(master, 'mac'),
  };
}

/**
 * Rewraps every data key under a new master key and starts a fresh data key for new writes,
 * in one transaction: either the database opens with the new key or, on failure, still with the old.
 */
export async function rotateMasterKey(db: Db, oldMaster: Buffer, newMaster: Buffer): Promise<{ rewrapped: number; activeKeyId: string }> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(encryptionKeys).for('update');
    for (const r of rows) {
      const dek = unwrapDataKey(oldMaster, r.id, r.wrappedKey);
      await tx.update(encryptionKeys).set({ wrappedKey: wrapDataKey(newMaster, r.id, dek) }).where(eq(encryptionKeys.id, r.id));
    }
    await tx.update(encryptionKeys).set({ retiredAt: new Date() }).where(isNull(encryptionKeys.retiredAt));
    const id = `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    await tx.insert(encryptionKeys).values({ id, wrappedKey: wrapDataKey(newMaster, id, randomBytes(32)) });
    return { rewrapped: rows.length, activeKeyId: id };
  });
}
