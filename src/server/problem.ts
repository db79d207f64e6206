import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, NotFoundError, ForbiddenError, type ProblemFieldError } from '../lib/errors.ts';

export const PROBLEM_BASE = '/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

export function problemOf(err: unknown, request: FastifyRequest): { problem: Problem; headers: Record<string, string> } {
  const instance = request.url.split('?')[0];
  if (err instanceof AppError) {
    return {
      problem: { type: PROBLEM_BASE + err.slug, title: err.title, status: err.status, detail: err.message, instance, ...(err.errors ? { errors: err.errors } : {}) },
      headers: err.headers ?? {},
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'body';
    const errors = err.validation.map((v) => ({ path: `${where}${v.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''), message: v.message ?? 'invalid' }));
    return {
      problem: { type: PROBLEM_BASE + 'validation-failed', title: 'Your request is not valid', status: 400, detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), instance, errors },
      headers: {},
    };
  }
  const fe = err as FastifyError;
  if (fe?.statusCode === 429) {
    return { problem: { type: PROBLEM_BASE + 'rate-limited', title: 'Too many requests', status: 429, detail: 'Slow down and try again shortly.', instance }, headers: {} };
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, body too large, wrong content type).
    const slug = fe.statusCode === 413 ? 'payload-too-large' : fe.statusCode === 415 ? 'unsupported-media-type' : 'bad-request';
    return { problem: { type: PROBLEM_BASE + slug, title: 'Your request could not be read', status: fe.statusCode, detail: fe.message, instance }, headers: {} };
  }
  return { problem: { type: PROBLEM_BASE + 'internal', title: 'Something went wrong on our side', status: 500, detail: 'The error was logged. Try again later.', instance }, headers: {} };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  return reply.status(problem.status).headers(headers).type('application/problem+json').send(JSON.stringify(problem));
}

export function isDenial(err: unknown): boolean {
  return err instanceof ForbiddenError || (err instanceof NotFoundError && err.denied);
}

export const PROBLEM_DESCRIPTIONS: Record<string, string> = {
  'embargo-in-force': 'The vulnerability is under embargo until the time given; the advisory can be published from then on, or a coordinator ends the embargo early with a reason.',
  'validation-failed': 'The request did not match the schema of the route; `errors` lists each failing path. Nothing was changed.',
  unauthenticated: 'The route needs a signed-in session or an API token.',
  'invalid-credentials': 'The email address or password is wrong, or the account cannot sign in.',
  'totp-required': 'The account has an authenticator enrolled: send the current six-digit code as `totp`.',
  'account-locked': 'Too many failed sign-ins; the account is locked until the time given.',
  forbidden: 'Your role does not allow this action on a record you can see.',
  'not-found': 'The record does not exist, or you are not entitled to know that it does.',
  conflict: 'The request conflicts with the current state of the record.',
  'invalid-transition': 'The workflow does not allow this change from the record’s current state.',
  'csrf-failed': 'Browser requests that change data must send the `x-csrf-token` header.',
  'rate-limited': 'Too many requests; wait as `Retry-After` says.',
  'payload-too-large': 'The request body is larger than the limit.',
  'bad-request': 'The request could not be parsed.',
  'unsupported-media-type': 'Send JSON with `Content-Type: application/json`.',
  internal: 'An unexpected error; it was logged without your data.',
};
