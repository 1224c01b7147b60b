import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from './config.ts';
import { ConfigError } from './errors.ts';

describe('loadConfig', () => {
  it('has working defaults: 127.0.0.1:3000 and SQLite under ./data', () => {
    const c = loadConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.database.dialect).toBe('sqlite');
    expect(c.database.url).toMatch(/data\/returnflow\.db$/);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('logs JSON unless stdout is a terminal, and LOG_FORMAT overrides either way', () => {
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: ' pretty ' }, false).logFormat).toBe('pretty');
  });

  it('reads a postgres URL with an optional schema', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/rf?schema=shop1' });
    expect(c.database).toMatchObject({ dialect: 'postgres', schema: 'shop1' });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with file:/],
    [{ DATABASE_URL: 'file:' }, /needs a path/],
    [{ DATABASE_URL: 'postgres://h/db?schema=Bad-Name' }, /plain lower-case identifier/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ LOG_FORMAT: 'colour' }, /LOG_FORMAT must be pretty or json/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http/],
  ])('refuses %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('keeps uploaded files under DATA_DIR unless S3_BUCKET is set', () => {
    const c = loadConfig({ DATA_DIR: '/srv/rf' });
    expect(c.storage).toEqual({ kind: 'local', dir: '/srv/rf' });
  });

  it('selects S3 with S3_BUCKET: AWS defaults, the default credential chain, virtual-hosted style', () => {
    const c = loadConfig({ S3_BUCKET: 'shop-evidence' });
    expect(c.storage).toEqual({
      kind: 's3',
      bucket: 'shop-evidence',
      region: 'us-east-1',
      forcePathStyle: false,
    });
  });

  it('reads an S3-compatible endpoint with keys, path style by default, and a prefix', () => {
    const c = loadConfig({
      S3_BUCKET: 'evidence',
      S3_ENDPOINT: 'http://minio:9000/',
      S3_REGION: 'auto',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
      S3_PREFIX: 'returnflow/prod',
    });
    expect(c.storage).toEqual({
      kind: 's3',
      bucket: 'evidence',
      endpoint: 'http://minio:9000',
      region: 'auto',
      forcePathStyle: true,
      accessKeyId: 'minio',
      secretAccessKey: 'minio-secret',
      prefix: 'returnflow/prod/',
    });
  });

  it('lets S3_FORCE_PATH_STYLE override the default either way', () => {
    const r2 = loadConfig({
      S3_BUCKET: 'evidence',
      S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(r2.storage).toMatchObject({ kind: 's3', forcePathStyle: false });
    const aws = loadConfig({ S3_BUCKET: 'evidence', S3_FORCE_PATH_STYLE: 'yes' });
    expect(aws.storage).toMatchObject({ kind: 's3', forcePathStyle: true });
  });

  it.each([
    [{ S3_ENDPOINT: 'http://minio:9000' }, /S3_ENDPOINT is set but S3_BUCKET is not/],
    [{ S3_ACCESS_KEY_ID: 'key' }, /S3_ACCESS_KEY_ID is set but S3_BUCKET is not/],
    [{ S3_BUCKET: 'Shop_Evidence' }, /S3_BUCKET must be 3-63 lower-case/],
    [{ S3_BUCKET: 'ab' }, /S3_BUCKET must be 3-63 lower-case/],
    [{ S3_BUCKET: 'a..b' }, /S3_BUCKET must be 3-63 lower-case/],
    [{ S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT must be an http\(s\) URL/],
    [{ S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'ftp://minio' }, /S3_ENDPOINT must be an http\(s\) URL/],
    [
      { S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'http://minio:9000?x=1' },
      /S3_ENDPOINT must be an http\(s\) URL/,
    ],
    [
      { S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'http://k:s@minio:9000' },
      /S3_ENDPOINT must not carry credentials/,
    ],
    [{ S3_BUCKET: 'ok-bucket', S3_REGION: 'US East' }, /S3_REGION must look like us-east-1/],
    [{ S3_BUCKET: 'ok-bucket', S3_ACCESS_KEY_ID: 'key' }, /must be set together/],
    [{ S3_BUCKET: 'ok-bucket', S3_SECRET_ACCESS_KEY: 'secret' }, /must be set together/],
    [
      { S3_BUCKET: 'ok-bucket', S3_FORCE_PATH_STYLE: 'sometimes' },
      /S3_FORCE_PATH_STYLE must be true or false/,
    ],
    [{ S3_BUCKET: 'ok-bucket', S3_PREFIX: '/abs' }, /S3_PREFIX must be a relative path/],
    [{ S3_BUCKET: 'ok-bucket', S3_PREFIX: 'a/../b' }, /S3_PREFIX must be a relative path/],
    [{ S3_BUCKET: 'ok-bucket', S3_PREFIX: 'a//b' }, /S3_PREFIX must be a relative path/],
  ])('refuses S3 settings %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes an S3 secret back', () => {
    const secrets = [
      { S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'http://key:topsecret@minio:9000' },
      { S3_BUCKET: 'ok-bucket', S3_ENDPOINT: 'nope://key:topsecret@minio' },
      { S3_BUCKET: 'ok-bucket', S3_SECRET_ACCESS_KEY: 'topsecret' },
    ];
    for (const env of secrets) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      try {
        loadConfig(env);
      } catch (e) {
        expect((e as Error).message).not.toContain('topsecret');
      }
    }
  });

  it('never echoes a database password back', () => {
    try {
      parseDatabaseUrl('mysql://user:secret@host/db');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
    expect.assertions(1);
  });
});
