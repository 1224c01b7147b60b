import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import { chooseLogFormat } from './pretty-log-stream.ts';
import { isSafeKey } from './storage.ts';

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; url: string }
  | { dialect: 'postgres'; url: string; schema?: string };

/** Where uploaded files (evidence and QC photos) live: under DATA_DIR, or in an S3-compatible bucket. */
export type StorageConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      /** MinIO, R2 and other S3-compatible stores; unset means AWS. */
      endpoint?: string;
      forcePathStyle: boolean;
      /** Both or neither; neither means the SDK's default chain (env, profile, instance role). */
      accessKeyId?: string;
      secretAccessKey?: string;
      /** Ends with `/` when set. */
      prefix?: string;
    };

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  seedDemo: boolean;
  logLevel: string;
  /** `pretty`: a short line per request for a person at a terminal; `json`: pino's lines, for machines. */
  logFormat: 'pretty' | 'json';
  /** Requests per minute per client IP on public (unauthenticated) endpoints. */
  publicRateLimit: number;
  /** Order lookups (order number + email) per minute per client IP: the portal's guessing surface. */
  lookupRateLimit: number;
  /** How long a claimed Idempotency-Key with no answer and no committed write blocks its retries. */
  idempotencyStaleMs: number;
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
  storage: StorageConfig;
};

type Env = Record<string, string | undefined>;

/**
 * Reads the configuration from the environment; every bad value is a ConfigError naming the variable.
 * `stdoutIsTty` picks the log format when LOG_FORMAT is unset.
 */
export function loadConfig(env: Env = process.env, stdoutIsTty = process.stdout.isTTY === true): Config {
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
  const logFormatSetting = env.LOG_FORMAT?.trim() || undefined;
  if (logFormatSetting !== undefined && logFormatSetting !== 'pretty' && logFormatSetting !== 'json') {
    throw new ConfigError(`LOG_FORMAT must be pretty or json; got "${logFormatSetting}"`);
  }
  const logFormat = chooseLogFormat(logFormatSetting, stdoutIsTty);
  const publicRateLimit = parseIntVar(env, 'PUBLIC_RATE_LIMIT', 300, 1, 10_000_000);
  const lookupRateLimit = parseIntVar(env, 'LOOKUP_RATE_LIMIT', 10, 1, 10_000_000);
  const idempotencyStaleMs = parseIntVar(env, 'IDEMPOTENCY_STALE_MS', 60_000, 1_000, 86_400_000);
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
  const storage = parseStorage(env, dataDir);
  return {
    host,
    port,
    dataDir,
    database,
    publicUrl,
    seedDemo,
    logLevel,
    logFormat,
    publicRateLimit,
    lookupRateLimit,
    idempotencyStaleMs,
    secretKey,
    worker,
    providerTimeoutMs,
    allowProviderBaseUrl,
    smtpUrl,
    allowPrivateWebhookUrls,
    storage,
  };
}

const S3_OPTIONAL_VARS = [
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'S3_PREFIX',
] as const;

/** S3_BUCKET selects S3; without it files stay under DATA_DIR. */
function parseStorage(env: Env, dataDir: string): StorageConfig {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) {
    // A typo in S3_BUCKET would otherwise fall back to local files without a word, and several
    // servers behind a load balancer would each keep their own photos.
    const stray = S3_OPTIONAL_VARS.find((name) => env[name]?.trim());
    if (stray)
      throw new ConfigError(`${stray} is set but S3_BUCKET is not; set S3_BUCKET to store files in S3`);
    return { kind: 'local', dir: dataDir };
  }
  // AWS's rules for new buckets, which MinIO and R2 follow too.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new ConfigError(
      `S3_BUCKET must be 3-63 lower-case letters, digits, dots or hyphens, got "${env.S3_BUCKET}"`,
    );
  }
  const endpoint = parseS3Endpoint(env.S3_ENDPOINT?.trim());
  const region = env.S3_REGION?.trim() || 'us-east-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) {
    throw new ConfigError(`S3_REGION must look like us-east-1 (or auto for R2), got "${env.S3_REGION}"`);
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim() || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither)');
  }
  // MinIO and most self-hosted stores have no wildcard DNS for bucket.host names.
  const forcePathStyle = parseBoolVar(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined);
  const prefix = parseS3Prefix(env.S3_PREFIX?.trim());
  return {
    kind: 's3',
    bucket,
    region,
    forcePathStyle,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId ? { accessKeyId, secretAccessKey } : {}),
    ...(prefix ? { prefix } : {}),
  };
}

function parseS3Endpoint(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const shown = raw.replace(/:[^:@/]*@/, ':***@');
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    throw new ConfigError(`S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "${shown}"`);
  }
  // The SDK would ignore keys written into the URL and sign with the default chain instead.
  if (url.username || url.password) {
    throw new ConfigError(
      'S3_ENDPOINT must not carry credentials; use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY',
    );
  }
  return raw.replace(/\/+$/, '');
}

function parseS3Prefix(raw: string | undefined): string | undefined {
  const trimmed = raw?.replace(/\/+$/, '');
  if (!trimmed) return undefined;
  if (!isSafeKey(trimmed)) {
    throw new ConfigError(
      `S3_PREFIX must be a relative path like returnflow/ without . or .. parts, got "${raw}"`,
    );
  }
  return `${trimmed}/`;
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
