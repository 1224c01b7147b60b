import { describe, expect, it } from 'vitest';
import { loginPath, safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it('keeps a path on this site, with its query and hash', () => {
    expect(safeNext('/admin')).toBe('/admin');
    expect(safeNext('/admin/webhooks?x=1#top')).toBe('/admin/webhooks?x=1#top');
    expect(safeNext('/console/returns/r_123')).toBe('/console/returns/r_123');
  });

  it.each([
    ['//evil.example/admin'],
    ['https://evil.example/'],
    ['http:/evil.example'],
    ['javascript:alert(1)'],
    ['/\\evil.example'],
    ['\\\\evil.example'],
    ['evil.example'],
    ['/\tadmin'],
    ['/console/login'],
    ['/console/login?next=/admin'],
    ['/.//evil.example'],
    ['/console/../..//evil.example'],
    ['/%2e%2e//evil.example'],
    ['/a/./..//evil.example/x?y#z'],
    [''],
  ])('refuses %j and goes to the console', (next) => {
    expect(safeNext(next)).toBe('/console');
  });

  it('gives the default when there is no next', () => {
    expect(safeNext(null)).toBe('/console');
    expect(safeNext(undefined, '/admin')).toBe('/admin');
  });
});

describe('loginPath', () => {
  it('puts the path in ?next= so that it reads back the same', () => {
    const path = '/admin/webhooks?tab=a&b=c';
    const url = new URL(loginPath(path), 'https://shop.example');
    expect(url.pathname).toBe('/console/login');
    expect(url.searchParams.get('next')).toBe(path);
    expect(loginPath('/admin')).toBe('/console/login?next=/admin');
    // The console is where a sign-in goes anyway.
    expect(loginPath('/console')).toBe('/console/login');
  });
});
