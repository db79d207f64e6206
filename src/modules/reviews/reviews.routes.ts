import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';

export function reviewsRoutes(_app: App, _services: Services) {}
