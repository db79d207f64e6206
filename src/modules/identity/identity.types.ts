import { z } from 'zod';
import { CLASSIFICATIONS, COMPARTMENT_PATTERN } from '../access/marking.ts';
import { AGENCY_CODES, ORG_KINDS, ROLE_NAMES, SECTORS } from '../access/roles.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.ts';

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Password = z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX);
export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');
export const ClassificationName = z.enum(CLASSIFICATIONS);
export const Compartment = z.string().regex(COMPARTMENT_PATTERN, 'capital letters, digits, _ or -, 2 to 16 characters');
export const Compartments = z.array(Compartment).max(20);
export const RoleName = z.enum(ROLE_NAMES as [string, ...string[]]);
export const PersonName = z.string().trim().min(1).max(200);
export const Id = z.uuid();

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX), totp: TotpCode.optional() }).strict();

export const OrganisationView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  agencyCode: z.string().nullable(),
  sector: z.string().nullable(),
  createdAt: z.string(),
});

export const CreateOrganisationBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    kind: z.enum(ORG_KINDS),
    agencyCode: z.enum(AGENCY_CODES).optional(),
    sector: z.enum(SECTORS).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'agency' && !v.agencyCode) ctx.addIssue({ code: 'custom', path: ['agencyCode'], message: 'an agency needs its agency code' });
    if (v.kind !== 'agency' && v.agencyCode) ctx.addIssue({ code: 'custom', path: ['agencyCode'], message: 'only agencies have an agency code' });
    if (v.kind === 'operator' && !v.sector) ctx.addIssue({ code: 'custom', path: ['sector'], message: 'an operator needs its sector' });
    if (v.kind !== 'operator' && v.sector) ctx.addIssue({ code: 'custom', path: ['sector'], message: 'only operators have a sector' });
  });

export const UserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  clearance: ClassificationName,
  compartments: z.array(z.string()),
  disabled: z.boolean(),
  totpEnrolled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  invitationPending: z.boolean(),
});

export const InviteBody = z
  .object({
    email: Email,
    name: PersonName,
    roles: z.array(RoleName).min(1).max(10),
    clearance: ClassificationName.default('UNCLASSIFIED'),
    compartments: Compartments.default([]),
  })
  .strict();

export const UpdateUserBody = z
  .object({
    roles: z.array(RoleName).min(1).max(10).optional(),
    clearance: ClassificationName.optional(),
    compartments: Compartments.optional(),
    disabled: z.boolean().optional(),
    resetTotp: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const AcceptInvitationBody = z.object({ token: z.string().min(10).max(200), name: PersonName.optional(), password: Password }).strict();

export const MeView = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    clearance: ClassificationName,
    compartments: z.array(z.string()),
    roles: z.array(z.string()),
    totpEnrolled: z.boolean(),
  }),
  organisation: OrganisationView.omit({ createdAt: true }),
  session: z.object({ via: z.enum(['session', 'token']), mfa: z.boolean(), effectiveClearance: ClassificationName, expiresAt: z.string().nullable() }),
  abilities: z.array(z.string()),
});
export type MeView = z.infer<typeof MeView>;

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const CreateTokenBody = z.object({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(365).optional() }).strict();
export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: Password }).strict();
