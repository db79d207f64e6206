import { z } from 'zod';
import type { App } from '../../server/types.ts';
import { authOf } from '../../server/auth.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import { can } from '../access/policy.ts';
import type { Queue } from './queue.ts';

export function jobsRoutes(app: App, { queue }: { queue: Queue }) {
  app.get('/api/v1/admin/jobs/dead', {
    schema: {
      tags: ['jobs'],
      summary: 'Jobs that exhausted their retries (dead letters)',
      response: {
        200: z.object({
          items: z.array(
            z.object({ id: z.string(), name: z.string(), data: z.unknown(), state: z.string(), retryCount: z.number().nullable(), createdOn: z.string(), completedOn: z.string().nullable(), output: z.unknown() }),
          ),
        }),
      },
    },
    handler: async (request) => {
      if (!can(authOf(request).subject, 'jobs:read')) throw new ForbiddenError('Only platform administrators see the job queue.');
      const rows = await queue.deadLetters();
      const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
      return { items: rows.map((r) => ({ data: r.data, output: r.output, id: String(r.id), name: String(r.name), state: String(r.state), retryCount: r.retryCount as number, createdOn: iso(r.createdOn)!, completedOn: iso(r.completedOn) })) };
    },
  });
}
