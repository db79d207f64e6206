import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';

export function determinationsRoutes(_app: App, _services: Services) {}
