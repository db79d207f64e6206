import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';

export function advisoriesRoutes(app: App, services: Services) {
  void app;
  void services;
}
