import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';

export function matchingRoutes(app: App, services: Services) {
  void app;
  void services;
}
