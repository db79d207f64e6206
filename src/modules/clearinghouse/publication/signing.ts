// OpenPGP for the CSAF trusted-provider layout: one signing key per installation, detached armored
// signatures (.asc) over the exact bytes served. No I/O beyond the openpgp library.
import type { PrivateKey } from 'openpgp';

// openpgp.js is large (~2.3 MiB of source, ~17 MiB once loaded): loaded by the first signature or key,
// so processes that never sign (gateway, evaluation workers) do not carry it.
let loaded: Promise<typeof import('openpgp')> | null = null;
const pgp = () => (loaded ??= import('openpgp'));

export interface GeneratedKey {
  fingerprint: string;
  publicKey: string;
  privateKey: string;
}

/** An Ed25519 signing key (OpenPGP v4, 40-hex fingerprint as CSAF provider metadata expects). */
export async function generateSigningKey(name: string, email: string): Promise<GeneratedKey> {
  const openpgp = await pgp();
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name, email }], format: 'armored' });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { fingerprint: key.getFingerprint().toUpperCase(), publicKey, privateKey };
}

export type SigningKey = PrivateKey;

export async function readSigningKey(armored: string): Promise<SigningKey> {
  return (await pgp()).readPrivateKey({ armoredKey: armored });
}

/** A detached, ASCII-armored signature over the bytes. */
export async function signDetached(bytes: Uint8Array, key: SigningKey): Promise<string> {
  const openpgp = await pgp();
  const message = await openpgp.createMessage({ binary: bytes });
  return (await openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored' })) as string;
}

/** True when the armored detached signature over the bytes verifies with the armored public key. */
export async function verifyDetached(bytes: Uint8Array, armoredSignature: string, armoredPublicKey: string): Promise<boolean> {
  try {
    const openpgp = await pgp();
    const [message, signature, verificationKeys] = await Promise.all([
      openpgp.createMessage({ binary: bytes }),
      openpgp.readSignature({ armoredSignature }),
      openpgp.readKey({ armoredKey: armoredPublicKey }),
    ]);
    const { signatures } = await openpgp.verify({ message, signature, verificationKeys });
    await signatures[0].verified;
    return true;
  } catch {
    return false;
  }
}
