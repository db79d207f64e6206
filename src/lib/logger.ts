import pino from 'pino';

export type Logger = pino.Logger;

// Redaction is a safety net; the first defence is never passing secrets or classified content to
// the logger at all.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.totp',
  '*.secret',
];

/** Query strings can carry one-time secrets (an invitation link's token): log the path only. */
function pathOnly(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'forewarn' },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({ id: req.id, method: req.method, url: pathOnly(req.url), ip: req.ip }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
