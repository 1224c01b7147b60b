import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { findPgTool, firstError, pgToolConnection } from './pg-tools.ts';

describe('pgToolConnection', () => {
  it('drops our ?schema= parameter and moves the password out of the URL', () => {
    const c = pgToolConnection('postgres://app:s%40cret@db.local:5433/shop?schema=returns&sslmode=require');
    expect(c.password).toBe('s@cret');
    expect(c.url).toBe('postgres://app@db.local:5433/shop?sslmode=require');
    expect(c.url).not.toContain('cret');
  });

  it('leaves a URL without password or schema as it was', () => {
    expect(pgToolConnection('postgres://postgres@127.0.0.1:5432/test')).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/test',
      password: undefined,
    });
  });
});

describe('findPgTool', () => {
  it('says to install the PostgreSQL client when the tool is not on PATH', () => {
    expect(() => findPgTool('pg_dump', '/nonexistent')).toThrow(ConfigError);
    expect(() => findPgTool('pg_dump', '/nonexistent')).toThrow(/install the PostgreSQL client/);
  });
});

describe('firstError', () => {
  it('keeps the first error line without the tool prefix, and hides a password', () => {
    const stderr = [
      'pg_restore: connecting to database for restore',
      'pg_restore: error: could not execute query: ERROR:  permission denied for schema x',
      'pg_restore: error: connection to postgres://u:pw@h failed',
    ].join('\n');
    expect(firstError(stderr)).toBe('could not execute query: ERROR:  permission denied for schema x');
    expect(firstError('pg_dump: error: postgres://u:pw@h/db refused')).toBe('postgres://u:***@h/db refused');
  });
});
