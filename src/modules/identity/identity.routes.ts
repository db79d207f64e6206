import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App } from '../../server/types.ts';
import { authOf, CSRF_COOKIE, SESSION_COOKIE } from '../../server/auth.ts';
import type { AuthService } from './auth.service.ts';
import type { DirectoryService } from './directory.service.ts';
import { ROLES, ROLE_NAMES } from '../access/roles.ts';
import {
  AcceptInvitationBody,
  ChangePasswordBody,
  CreateOrganisationBody,
  CreateTokenBody,
  Id,
  InviteBody,
  LoginBody,
  MeView,
  OrganisationView,
  TokenView,
  TotpCode,
  UpdateUserBody,
  UserView,
} from './identity.types.ts';

const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export function identityRoutes(app: App, { auth, directory, loginRatePerMinute }: { auth: AuthService; directory: DirectoryService; loginRatePerMinute: number }) {
  function setSessionCookies(reply: FastifyReply, token: string, csrf: string, expiresAt: Date, secure: boolean) {
    const base = { path: '/', sameSite: 'strict' as const, secure, expires: expiresAt };
    reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, csrf, { ...base, httpOnly: false });
  }
  function clearCookies(reply: FastifyReply) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
  }
  const loginLimit = { rateLimit: { max: loginRatePerMinute, timeWindow: 60_000 } };

  app.post('/api/v1/auth/login', {
    schema: { tags: ['identity'], summary: 'Sign in with email, password and (if enrolled) a TOTP code', body: LoginBody, response: { 200: MeView } },
    config: { auth: 'none', ...loginLimit },
    handler: async (request, reply) => {
      const r = await auth.login(request.body, request.ip);
      setSessionCookies(reply, r.token, r.csrf, r.expiresAt, request.protocol === 'https');
      return r.me;
    },
  });

  app.post('/api/v1/auth/invitations/accept', {
    schema: { tags: ['identity'], summary: 'Accept an invitation: choose a password and sign in', body: AcceptInvitationBody, response: { 200: MeView } },
    config: { auth: 'none', ...loginLimit },
    handler: async (request, reply) => {
      const r = await auth.acceptInvitation(request.body, request.ip);
      setSessionCookies(reply, r.token, r.csrf, r.expiresAt, request.protocol === 'https');
      return r.me;
    },
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['identity'], summary: 'End this session' },
    config: { auth: 'optional' },
    handler: async (request, reply) => {
      if (request.auth) await auth.logout(request.auth);
      clearCookies(reply);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/auth/logout-everywhere', {
    schema: { tags: ['identity'], summary: 'End every session of this account' },
    handler: async (request, reply) => {
      await auth.logoutEverywhere(authOf(request));
      clearCookies(reply);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/me', {
    schema: { tags: ['identity'], summary: 'The signed-in user, organisation, clearance and abilities', response: { 200: MeView } },
    handler: async (request) => auth.me(authOf(request)),
  });

  app.post('/api/v1/me/password', {
    schema: { tags: ['identity'], summary: 'Change password (signs out other sessions)', body: ChangePasswordBody },
    handler: async (request, reply) => {
      await auth.changePassword(authOf(request), request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send();
    },
  });

  app.post('/api/v1/me/totp/enrol', {
    schema: { tags: ['identity'], summary: 'Start TOTP enrolment: returns the secret once', response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }) } },
    handler: async (request) => auth.totpEnrol(authOf(request)),
  });

  app.post('/api/v1/me/totp/confirm', {
    schema: { tags: ['identity'], summary: 'Confirm TOTP enrolment with a current code', body: z.object({ code: TotpCode }).strict() },
    handler: async (request, reply) => {
      await auth.totpConfirm(authOf(request), request.body.code);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/me/tokens', {
    schema: { tags: ['identity'], summary: 'List my API tokens (never their values)', response: { 200: LIST(TokenView) } },
    handler: async (request) => ({ items: await auth.listTokens(authOf(request)) }),
  });

  app.post('/api/v1/me/tokens', {
    schema: { tags: ['identity'], summary: 'Create an API token; its value is shown only in this response', body: CreateTokenBody, response: { 201: TokenView.extend({ token: z.string() }) } },
    handler: async (request, reply) => reply.status(201).send(await auth.createToken(authOf(request), request.body.name, request.body.expiresInDays)),
  });

  app.delete('/api/v1/me/tokens/:id', {
    schema: { tags: ['identity'], summary: 'Revoke an API token', params: z.object({ id: Id }) },
    handler: async (request, reply) => {
      await auth.revokeToken(authOf(request), request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/roles', {
    schema: { tags: ['identity'], summary: 'Roles and the organisation kinds they apply to', response: { 200: LIST(z.object({ role: z.string(), label: z.string(), orgKinds: z.array(z.string()) })) } },
    handler: async () => ({ items: ROLE_NAMES.map((r) => ({ role: r, label: ROLES[r].label, orgKinds: [...ROLES[r].orgKinds] })) }),
  });

  app.get('/api/v1/organisations', {
    schema: { tags: ['identity'], summary: 'Organisations in reach (all for platform administrators, else your own)', response: { 200: LIST(OrganisationView) } },
    handler: async (request) => ({ items: await directory.listOrganisations(authOf(request).subject) }),
  });

  app.post('/api/v1/organisations', {
    schema: { tags: ['identity'], summary: 'Create an organisation (platform administrators)', body: CreateOrganisationBody, response: { 201: OrganisationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await directory.createOrganisation(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/organisations/:id', {
    schema: { tags: ['identity'], summary: 'One organisation', params: z.object({ id: Id }), response: { 200: OrganisationView } },
    handler: async (request) => directory.getOrganisation(authOf(request).subject, request.params.id),
  });

  app.get('/api/v1/organisations/:id/users', {
    schema: { tags: ['identity'], summary: 'Users of an organisation (its administrators, platform administrators)', params: z.object({ id: Id }), response: { 200: LIST(UserView) } },
    handler: async (request) => ({ items: await directory.listUsers(authOf(request).subject, request.params.id) }),
  });

  app.post('/api/v1/organisations/:id/invitations', {
    schema: {
      tags: ['identity'],
      summary: 'Invite a user: creates the account and emails a link to choose a password',
      params: z.object({ id: Id }),
      body: InviteBody,
      response: { 201: z.object({ id: z.string(), userId: z.string(), email: z.string(), expiresAt: z.string() }) },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await directory.invite(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.patch('/api/v1/users/:id', {
    schema: { tags: ['identity'], summary: 'Change roles, clearance, compartments; disable; reset TOTP', params: z.object({ id: Id }), body: UpdateUserBody, response: { 200: UserView } },
    handler: async (request) => {
      const a = authOf(request);
      return directory.updateUser(a.actor, a.subject, request.params.id, request.body);
    },
  });
}
