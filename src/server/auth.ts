import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { timingSafeEqual } from 'node:crypto';
import { CsrfError, UnauthenticatedError } from '../lib/errors.ts';
import type { Actor } from '../modules/access/actor.ts';
import type { AuthService, Authenticated } from '../modules/identity/auth.service.ts';

export const SESSION_COOKIE = 'fw_session';
export const CSRF_COOKIE = 'fw_csrf';

export type AuthMode = 'required' | 'optional' | 'none';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
    actor: Actor;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function equal(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The authenticated caller, for handlers on routes whose auth mode is 'required'. */
export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new UnauthenticatedError();
  return request.auth;
}

export const authPlugin = fp(async (app: FastifyInstance, { auth }: { auth: AuthService }) => {
  app.decorateRequest('auth', null);
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const ip = request.ip ?? null;
    request.actor = { subject: null, email: null, orgName: null, ip, via: 'none' };
    // API routes are closed unless a route opts out; pages, docs and assets are public shells.
    const mode: AuthMode = request.routeOptions.config?.auth ?? (request.url.startsWith('/api/') ? 'required' : 'none');
    if (mode === 'none') return;
    const header = request.headers.authorization;
    let result: Authenticated | null = null;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      result = m ? await auth.authenticateToken(m[1], ip) : null;
      if (!result) throw new UnauthenticatedError('The API token is invalid, expired or revoked.');
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        result = await auth.authenticateSession(cookie, ip);
        if (result) request.actor = result.actor;
        // Cookies ride along on cross-site requests; a token only our own pages can read proves origin.
        if (result && !SAFE.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !equal(sent, auth.csrfFor(cookie))) throw new CsrfError();
        }
      }
    }
    if (result) {
      request.auth = result;
      request.actor = result.actor;
    } else if (mode === 'required') {
      throw new UnauthenticatedError(header || request.cookies[SESSION_COOKIE] ? 'Your session has expired. Sign in again.' : undefined);
    }
  });
});
