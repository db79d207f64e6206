import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { MAX_BASE64_CHARS } from '../grants/files.ts';
import { AgencyApplicationView, ApplyBody, CandidateApplicationView, DashboardView, Id, MoveBody, PostingBody, PostingView, ProfileBody, ProfileView, PublicPostingView } from './workforce.types.ts';

const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const IdParams = z.object({ id: Id }).strict();
const tags = ['hiring pathways'];

export function workforceRoutes(app: App, { workforce: svc }: Services) {
  app.get('/api/v1/public/job-postings', {
    config: { auth: 'none' },
    schema: { tags, summary: 'Open job postings (public)', response: { 200: LIST(PublicPostingView) } },
    handler: async () => ({ items: await svc.listPublicPostings() }),
  });
  app.get('/api/v1/public/job-postings/:id', {
    config: { auth: 'none' },
    schema: { tags, summary: 'One job posting (public)', params: IdParams, response: { 200: PublicPostingView } },
    handler: async (request) => svc.getPublicPosting(request.params.id),
  });

  app.get('/api/v1/job-postings', {
    schema: { tags, summary: 'Your agency’s postings, drafts included (hiring managers)', response: { 200: LIST(PostingView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listOwnPostings(a.actor, a.subject) };
    },
  });
  app.post('/api/v1/job-postings', {
    schema: { tags, summary: 'Draft a posting (hiring managers)', body: PostingBody, response: { 201: PostingView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createPosting(a.actor, a.subject, request.body));
    },
  });
  app.put('/api/v1/job-postings/:id', {
    schema: { tags, summary: 'Edit a draft posting', params: IdParams, body: PostingBody, response: { 200: PostingView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.updatePosting(a.actor, a.subject, request.params.id, request.body);
    },
  });
  for (const [verb, fn] of [
    ['open', svc.openPosting],
    ['close', svc.closePosting],
    ['cancel', svc.cancelPosting],
  ] as const) {
    app.post(`/api/v1/job-postings/:id/${verb}`, {
      schema: { tags, summary: `${verb[0].toUpperCase()}${verb.slice(1)} a posting (hiring managers)`, params: IdParams, response: { 200: PostingView } },
      handler: async (request) => {
        const a = authOf(request);
        return fn(a.actor, a.subject, (request.params as { id: string }).id);
      },
    });
  }
  app.get('/api/v1/job-postings/:id/applications', {
    schema: { tags, summary: 'Applications to one of your postings, with internal notes (hiring agency)', params: IdParams, response: { 200: LIST(AgencyApplicationView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listPostingApplications(a.actor, a.subject, request.params.id) };
    },
  });
  app.post('/api/v1/job-postings/:id/applications', {
    bodyLimit: MAX_BASE64_CHARS + 16 * 1024,
    schema: { tags, summary: 'Apply with a résumé (PDF, DOCX or text, at most 2 MiB, base64; stored encrypted)', params: IdParams, body: ApplyBody, response: { 201: CandidateApplicationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.apply(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.get('/api/v1/candidate-profile', {
    schema: { tags, summary: 'Your candidate profile', response: { 200: ProfileView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getProfile(a.actor, a.subject);
    },
  });
  app.put('/api/v1/candidate-profile', {
    schema: { tags, summary: 'Create or update your candidate profile', body: ProfileBody, response: { 200: ProfileView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.saveProfile(a.actor, a.subject, request.body);
    },
  });
  app.get('/api/v1/job-applications', {
    schema: { tags, summary: 'Your applications and their status (candidates)', response: { 200: LIST(CandidateApplicationView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listMyApplications(a.actor, a.subject) };
    },
  });
  app.get('/api/v1/job-applications/:id', {
    schema: { tags, summary: 'One of your applications: stage and history, never the agency’s notes', params: IdParams, response: { 200: CandidateApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getMyApplication(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/hiring/applications/:id', {
    schema: { tags, summary: 'One application with the candidate’s profile and internal notes (hiring agency)', params: IdParams, response: { 200: AgencyApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getAgencyApplication(a.actor, a.subject, request.params.id);
    },
  });
  app.get('/api/v1/hiring/applications/:id/resume', {
    schema: { tags, summary: 'Download the résumé (hiring agency)', params: IdParams, response: { 200: z.object({ filename: z.string(), contentType: z.string(), contentBase64: z.string() }) } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getResume(a.actor, a.subject, request.params.id);
    },
  });
  app.post('/api/v1/hiring/applications/:id/stage', {
    schema: { tags, summary: 'Move an application to its next stage, with an internal note', params: IdParams, body: MoveBody, response: { 200: AgencyApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.move(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.get('/api/v1/hiring/dashboard', {
    schema: { tags, summary: 'Pipeline by stage and hiring path, time to hire, clearance sponsorships in progress', response: { 200: DashboardView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.dashboard(a.actor, a.subject);
    },
  });
}
