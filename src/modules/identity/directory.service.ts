import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invitations, organisations, sessions, users } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { levelOf, type Classification } from '../access/marking.ts';
import { can, type Subject } from '../access/policy.ts';
import { isRole, roleAllowedFor, type OrgKind } from '../access/roles.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { MailService } from '../notifications/mail.service.ts';
import { findUserById, listOrgUsers } from './identity.dal.ts';
import { orgView, userView } from './identity.fns.ts';
import { digest, INVITE_PREFIX, newSecret } from './tokens.ts';
import { announceAuthChange } from './auth-cache.ts';

const INVITE_DAYS = 7;

export interface NewOrganisation {
  name: string;
  kind: OrgKind;
  agencyCode?: string;
  sector?: string;
}

export interface UserGrantInput {
  roles: string[];
  clearance: Classification;
  compartments: string[];
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export function createDirectoryService(deps: {
  db: Db;
  audit: AuditService;
  mail: MailService;
  publicUrl: () => string;
  clock: () => Date;
  /** This process forgets the user's cached credentials at once (other processes hear the NOTIFY). */
  forgetUser: (userId: string) => void;
}) {
  const { db, audit, mail, publicUrl, clock, forgetUser } = deps;

  /** Another organisation's records do not exist for you unless you administer the platform. */
  function assertOrgInReach(subject: Subject, orgId: string) {
    if (subject.orgId !== orgId && !can(subject, 'users:manage_any')) throw new NotFoundError('organisation', true);
  }

  /**
   * Nobody hands out more than they hold: an organisation administrator cannot grant a clearance or
   * compartment above its own, nor a role meant for another kind of organisation.
   */
  function checkGrant(subject: Subject, kind: OrgKind, g: Partial<UserGrantInput>) {
    const errors: { path: string; message: string }[] = [];
    for (const r of g.roles ?? []) {
      if (!isRole(r) || !roleAllowedFor(r, kind)) errors.push({ path: 'roles', message: `role ${r} is not available to a ${kind} organisation` });
    }
    if ((g.roles ?? []).some((r) => r.startsWith('platform_')) && !can(subject, 'users:manage_any')) {
      errors.push({ path: 'roles', message: 'only platform administrators grant platform roles' });
    }
    if (errors.length) throw new ValidationError('Some roles cannot be granted here.', errors);
    if (!can(subject, 'users:manage_any')) {
      if (g.clearance && levelOf(g.clearance) > subject.clearance) throw new ForbiddenError('You cannot grant a clearance above your own.');
      if ((g.compartments ?? []).some((c) => !subject.compartments.includes(c))) throw new ForbiddenError('You cannot grant a compartment you do not hold.');
    }
  }

  async function listOrganisations(subject: Subject) {
    const rows = can(subject, 'organisations:manage')
      ? await db.select().from(organisations).orderBy(organisations.name)
      : await db.select().from(organisations).where(eq(organisations.id, subject.orgId));
    return rows.map(orgView);
  }

  async function getOrganisation(subject: Subject, id: string) {
    assertOrgInReach(subject, id);
    const [o] = await db.select().from(organisations).where(eq(organisations.id, id));
    if (!o) throw new NotFoundError('organisation');
    return orgView(o);
  }

  async function createOrganisation(actor: Actor, subject: Subject, input: NewOrganisation) {
    if (!can(subject, 'organisations:manage')) throw new ForbiddenError('Only platform administrators create organisations.');
    try {
      return await db.transaction(async (tx) => {
        const [o] = await tx
          .insert(organisations)
          .values({ name: input.name, kind: input.kind, agencyCode: input.agencyCode ?? null, sector: input.sector ?? null })
          .returning();
        await audit.record(tx, { actor, action: 'organisation.create', recordType: 'organisation', recordId: o.id, detail: { name: o.name, kind: o.kind }, ownerOrgId: o.id });
        return orgView(o);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`An organisation named "${input.name}" already exists.`);
      throw err;
    }
  }

  async function listUsers(subject: Subject, orgId: string) {
    if (!can(subject, 'users:manage')) throw new ForbiddenError('Listing users needs an administrator role.');
    assertOrgInReach(subject, orgId);
    const [o] = await db.select().from(organisations).where(eq(organisations.id, orgId));
    if (!o) throw new NotFoundError('organisation');
    return (await listOrgUsers(db, orgId)).map(userView);
  }

  async function invite(actor: Actor, subject: Subject, orgId: string, input: UserGrantInput & { email: string; name: string }) {
    if (!can(subject, 'users:manage')) throw new ForbiddenError('Inviting users needs an administrator role.');
    assertOrgInReach(subject, orgId);
    const [o] = await db.select().from(organisations).where(eq(organisations.id, orgId));
    if (!o) throw new NotFoundError('organisation');
    checkGrant(subject, o.kind as OrgKind, input);
    const token = newSecret(INVITE_PREFIX);
    const expiresAt = new Date(clock().getTime() + INVITE_DAYS * 86_400_000);
    try {
      return await db.transaction(async (tx) => {
        const [u] = await tx
          .insert(users)
          .values({ orgId, email: input.email, name: input.name, roles: input.roles, clearance: levelOf(input.clearance), compartments: [...new Set(input.compartments)].sort() })
          .returning();
        const [inv] = await tx.insert(invitations).values({ orgId, userId: u.id, tokenHash: digest(token), invitedBy: subject.userId, expiresAt }).returning();
        await mail.enqueue(tx, {
          to: input.email,
          subject: `You are invited to Forewarn (${o.name})`,
          text: `${input.name},\n\nYou have been invited to join ${o.name} on Forewarn.\nChoose your password here within ${INVITE_DAYS} days:\n\n${publicUrl()}/accept-invite?token=${token}\n\nIf you did not expect this, ignore this message.\n`,
        });
        await audit.record(tx, {
          actor,
          action: 'user.invite',
          recordType: 'user',
          recordId: u.id,
          detail: { email: input.email, roles: input.roles, clearance: input.clearance, compartments: input.compartments },
          ownerOrgId: orgId,
        });
        return { id: inv.id, userId: u.id, email: u.email, expiresAt: expiresAt.toISOString() };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`A user with the email ${input.email} already exists.`);
      throw err;
    }
  }

  async function updateUser(actor: Actor, subject: Subject, userId: string, patch: Partial<UserGrantInput> & { disabled?: boolean; resetTotp?: true }) {
    if (!can(subject, 'users:manage')) throw new ForbiddenError('Changing users needs an administrator role.');
    const found = await findUserById(db, userId);
    if (!found) throw new NotFoundError('user');
    assertOrgInReach(subject, found.user.orgId);
    checkGrant(subject, found.org.kind as OrgKind, patch);
    if (userId === subject.userId && (patch.disabled || (patch.roles && !patch.roles.some((r) => r === 'org_admin' || r === 'platform_admin')))) {
      throw new ConflictError('You cannot disable yourself or remove your own administrator role.');
    }
    const updated = await db.transaction(async (tx) => {
      const [u] = await tx
        .update(users)
        .set({
          ...(patch.roles ? { roles: patch.roles } : {}),
          ...(patch.clearance ? { clearance: levelOf(patch.clearance) } : {}),
          ...(patch.compartments ? { compartments: [...new Set(patch.compartments)].sort() } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
          ...(patch.resetTotp ? { totpSecretEnc: null, totpPendingEnc: null, totpEnrolledAt: null, totpLastStep: null } : {}),
        })
        .where(eq(users.id, userId))
        .returning();
      // A change of privileges or a disabled account takes effect now, not at the next sign-in.
      if (patch.disabled || patch.clearance || patch.compartments || patch.roles || patch.resetTotp) {
        await tx.delete(sessions).where(eq(sessions.userId, userId));
      }
      await announceAuthChange(tx, userId);
      await audit.record(tx, {
        actor,
        action: 'user.update',
        recordType: 'user',
        recordId: userId,
        detail: { changed: Object.keys(patch), ...(patch.roles ? { roles: patch.roles } : {}), ...(patch.clearance ? { clearance: patch.clearance } : {}) },
        ownerOrgId: found.user.orgId,
      });
      return userView(u);
    });
    forgetUser(userId);
    return updated;
  }

  async function countUsers(): Promise<number> {
    const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    return r.n;
  }

  return { listOrganisations, getOrganisation, createOrganisation, listUsers, invite, updateUser, countUsers };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
