import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Envelope encryption: a master key (from the environment) wraps data keys stored in the database;
// data keys encrypt fields. Rotating the master key rewraps a handful of data keys instead of
// re-encrypting every row. Pure functions: no I/O here.

const VERSION = 'fw1';

export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `forewarn:${purpose}`, 32));
}

// IVs are cut from a block of CSPRNG output drawn 4,096 at a time: one randomBytes call per IV cost
// more than the AES-GCM itself for a short field. Each 12-byte slice is used once.
const IVS_PER_BLOCK = 4096;
let ivBlock = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + 12 > ivBlock.length) {
    ivBlock = randomBytes(12 * IVS_PER_BLOCK);
    ivAt = 0;
  }
  const iv = ivBlock.subarray(ivAt, ivAt + 12);
  ivAt += 12;
  return iv;
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `${iv.toString('base64url')}.${Buffer.concat([ct, cipher.getAuthTag()]).toString('base64url')}`;
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [ivPart, bodyPart] = sealed.split('.');
  if (!ivPart || !bodyPart) throw new Error('malformed ciphertext');
  const body = Buffer.from(bodyPart, 'base64url');
  // A short body would let a truncated tag through, and with it cheap forgeries.
  if (body.length < 16) throw new Error('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivPart, 'base64url'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
}

export function wrapDataKey(master: Buffer, keyId: string, dataKey: Buffer): string {
  return seal(deriveKey(master, 'key-wrapping'), dataKey, `dek:${keyId}`);
}

export function unwrapDataKey(master: Buffer, keyId: string, wrapped: string): Buffer {
  return open(deriveKey(master, 'key-wrapping'), wrapped, `dek:${keyId}`);
}

/** `aad` binds the ciphertext to its place (table, column, row) so it cannot be moved to another record. */
export function encryptField(keyId: string, dataKey: Buffer, plaintext: string, aad: string): string {
  return `${VERSION}.${keyId}.${seal(dataKey, Buffer.from(plaintext, 'utf8'), aad)}`;
}

export function keyIdOf(envelope: string): string {
  const [version, keyId] = envelope.split('.');
  if (version !== VERSION || !keyId) throw new Error('not a Forewarn ciphertext');
  return keyId;
}

export function decryptField(dataKey: Buffer, envelope: string, aad: string): string {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('not a Forewarn ciphertext');
  return open(dataKey, `${parts[2]}.${parts[3]}`, aad).toString('utf8');
}

export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

export function parseMasterKey(encoded: string): Buffer {
  const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < 32) throw new Error('FOREWARN_MASTER_KEY must decode to at least 32 bytes');
  return key;
}

export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}
