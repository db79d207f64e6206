import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';

export function headStartRoutes(app: App, services: Services) {
  void app;
  void services;
}
