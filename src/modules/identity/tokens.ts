import { createHash, randomBytes } from 'node:crypto';

// Bearer secrets are random and stored only as SHA-256 digests: a database dump gives no usable token.
export const SESSION_PREFIX = 'fws_';
export const API_TOKEN_PREFIX = 'fwt_';
export const INVITE_PREFIX = 'fwi_';

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
