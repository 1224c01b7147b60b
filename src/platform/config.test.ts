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
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http/],
  ])('refuses %o with one clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
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
