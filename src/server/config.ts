/**
 * Configuration, read once from the environment and validated. No module reads process.env;
 * compose.ts hands each one what it needs.
 */
import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
    .optional(),
  MINSHENG_DATA_DIR: z.string().min(1).default('./data'),
  MINSHENG_DISTRICT: z.string().regex(/^[0-9]{6}$/).default('370202'),
  MINSHENG_BASEMAP_URL: z.string().url().optional(),
  MINSHENG_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  MINSHENG_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  MINSHENG_DEMO_PASSWORD: z.string().min(10).optional(),
  MINSHENG_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  MINSHENG_SENSOR_SECRET: z.string().min(16).optional(),
  MINSHENG_PUBLIC_URL: z.string().url().optional(),
  MINSHENG_DB_POOL: z.coerce.number().int().min(1).max(200).default(5),
  MINSHENG_PII_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, {
      message: 'MINSHENG_PII_KEY must be 32 bytes as 64 hex characters or base64',
    })
    .optional(),
  MINSHENG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  database: { engine: 'pglite'; dataDir: string } | { engine: 'postgresql'; url: string; poolSize: number };
  districtCode: string;
  basemapTileUrl: string | null;
  sessionTtlMs: number;
  secureCookies: boolean;
  demoPassword: string | null;
  seedDemo: boolean;
  logLevel: z.infer<typeof Env>['MINSHENG_LOG_LEVEL'];
  sensorSecret: string | null;
  publicBaseUrl: string;
  /** The personal-data key (ADR 0020); without it a key file in the data directory is used. */
  piiKey: string | null;
  piiKeyFile: string;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { engine: 'postgresql', url: e.DATABASE_URL, poolSize: e.MINSHENG_DB_POOL }
      : { engine: 'pglite', dataDir: path.resolve(e.MINSHENG_DATA_DIR, 'pglite') },
    districtCode: e.MINSHENG_DISTRICT,
    basemapTileUrl: e.MINSHENG_BASEMAP_URL ?? null,
    sessionTtlMs: e.MINSHENG_SESSION_HOURS * 3_600_000,
    secureCookies: e.MINSHENG_SECURE_COOKIES === 'true',
    demoPassword: e.MINSHENG_DEMO_PASSWORD ?? null,
    seedDemo: e.MINSHENG_SEED_DEMO === 'true',
    logLevel: e.MINSHENG_LOG_LEVEL,
    sensorSecret: e.MINSHENG_SENSOR_SECRET ?? null,
    publicBaseUrl: e.MINSHENG_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    piiKey: e.MINSHENG_PII_KEY?.trim() ?? null,
    piiKeyFile: path.resolve(e.MINSHENG_DATA_DIR, 'pii.key'),
  };
}
