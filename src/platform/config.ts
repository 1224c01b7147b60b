import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; url: string }
  | { dialect: 'postgres'; url: string; schema?: string };

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  seedDemo: boolean;
  logLevel: string;
  /** Requests per minute per client IP on public (unauthenticated) endpoints. */
  publicRateLimit: number;
  /** Seals provider credentials; unset means DATA_DIR/secret.key. */
  secretKey: string | undefined;
  worker: { enabled: boolean; pollMs: number; leaseMs: number; maxAttempts: number; baseDelayMs: number };
  /** How long one call to a payment provider may take. */
  providerTimeoutMs: number;
  /**
   * Whether a tenant may point a provider account at another base URL (a Stripe-compatible
   * gateway, or a local fake in tests). Off by default: a tenant-chosen URL would let it make
   * our server call internal addresses.
   */
  allowProviderBaseUrl: boolean;
  /** smtp:// or smtps:// URL; unset keeps emails in the stored outbox (readable through the API). */
  smtpUrl: string | undefined;
  /** Let webhook endpoints point at private or loopback addresses (single-machine setups, tests). */
  allowPrivateWebhookUrls: boolean;
};

type Env = Record<string, string | undefined>;

/** Reads the configuration from the environment; every bad value is a ConfigError naming the variable. */
export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = parseIntVar(env, 'PORT', 3000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const database = parseDatabaseUrl(env.DATABASE_URL?.trim() || `file:${dataDir}/returnflow.db`);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${shownHost}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL, got "${env.PUBLIC_URL}"`);
  }
  const seedDemo = parseBoolVar(env, 'SEED_DEMO', true);
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`,
    );
  }
  const publicRateLimit = parseIntVar(env, 'PUBLIC_RATE_LIMIT', 300, 1, 10_000_000);
  const secretKey = env.SECRET_KEY?.trim() || undefined;
  if (secretKey !== undefined && secretKey.length < 16) {
    throw new ConfigError('SECRET_KEY must be at least 16 characters (use a long random string)');
  }
  const worker = {
    enabled: parseBoolVar(env, 'WORKER', true),
    pollMs: parseIntVar(env, 'OUTBOX_POLL_MS', 500, 10, 60_000),
    leaseMs: parseIntVar(env, 'OUTBOX_LEASE_MS', 30_000, 100, 3_600_000),
    maxAttempts: parseIntVar(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    baseDelayMs: parseIntVar(env, 'OUTBOX_RETRY_BASE_MS', 1_000, 1, 3_600_000),
  };
  const providerTimeoutMs = parseIntVar(env, 'PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000);
  const allowProviderBaseUrl = parseBoolVar(env, 'ALLOW_PROVIDER_BASE_URL', false);
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465');
  }
  const allowPrivateWebhookUrls = parseBoolVar(env, 'ALLOW_PRIVATE_WEBHOOK_URLS', false);
  return {
    host,
    port,
    dataDir,
    database,
    publicUrl,
    seedDemo,
    logLevel,
    publicRateLimit,
    secretKey,
    worker,
    providerTimeoutMs,
    allowProviderBaseUrl,
    smtpUrl,
    allowPrivateWebhookUrls,
  };
}

/** `file:PATH` (SQLite; `file::memory:` for a throw-away database) or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (!path) throw new ConfigError('DATABASE_URL "file:" needs a path, e.g. file:./data/returnflow.db');
    return { dialect: 'sqlite', file: path === ':memory:' ? path : resolve(path), url };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      const u = new URL(url);
      const schema = u.searchParams.get('schema') ?? undefined;
      if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
        throw new ConfigError(`DATABASE_URL schema "${schema}" must be a plain lower-case identifier`);
      }
      return schema ? { dialect: 'postgres', url, schema } : { dialect: 'postgres', url };
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL');
    }
  }
  throw new ConfigError(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL), got "${url.replace(/:[^:@/]*@/, ':***@')}"`,
  );
}

function parseIntVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parseBoolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}
