import { z } from 'zod';

// One schema for every setting: a typo or a missing secret stops the boot with a message that
// names the variable, instead of surfacing later as a confusing runtime error.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).max(255).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .max(2000)
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  FOREWARN_DATA_DIR: z.string().min(1).max(4096).default('.data/forewarn'),
  FOREWARN_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}$/, 'must be at least 32 random bytes, base64 encoded')
    .optional(),
  FOREWARN_DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  FOREWARN_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(200).default('forewarn-demo-2026'),
  FOREWARN_PUBLIC_URL: z.string().url().max(2000).optional(),
  FOREWARN_SESSION_HOURS: z.coerce.number().min(0.1).max(72).default(8),
  FOREWARN_SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
  FOREWARN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  FOREWARN_LOGIN_LOCK_MINUTES: z.coerce.number().min(1).max(24 * 60).default(15),
  // Transparency report cells with fewer contributing organisations than this are suppressed.
  FOREWARN_TRANSPARENCY_MIN_CELL: z.coerce.number().int().min(2).max(100).default(3),
  // Coordinated disclosure: the default embargo ends this many days before the reviewed model's planned
  // release (so that defenders patch first), or this many days after the case opens when no model applies.
  FOREWARN_EMBARGO_LEAD_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  FOREWARN_EMBARGO_FALLBACK_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  FOREWARN_EMBARGO_TIME_ZONE: z
    .string()
    .max(100)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as America/New_York')
    .default('America/New_York'),
  FOREWARN_VENDOR_REMINDER_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  // Operators' webhooks to loopback, private and link-local addresses are refused unless this is set
  // (demo mode sets it: its peers run on 127.0.0.1).
  FOREWARN_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  // How many API processes serve this deployment (`serve --processes N` sets it for its children; set
  // it by hand for N `--role api` processes behind a balancer): per-grant gateway rate limits split by it.
  FOREWARN_API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  // How an evaluation worker reaches the gateway: 'auto' calls this process's own gateway in-process
  // when it serves one (one process with API and worker), else HTTP at FOREWARN_PUBLIC_URL; 'http'
  // always goes over HTTP.
  FOREWARN_EVAL_GATEWAY: z.enum(['auto', 'http']).default('auto'),
  // Samples per shard of an evaluation run: the unit several workers share a run by.
  FOREWARN_EVAL_SHARD_SAMPLES: z.coerce.number().int().min(5).max(100_000).default(250),
  FOREWARN_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(30),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://').max(2000).optional(),
  SMTP_FROM: z.string().max(320).default('Forewarn <no-reply@forewarn.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid Forewarn configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function isDemo(env: Env): boolean {
  return env.FOREWARN_DEMO === '1' || env.FOREWARN_DEMO === 'true';
}
