import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, LOCALES, NOTIFY_EVENTS } from '../src/modules/notify/templates.ts';
import { type apiClient, staffClient, startTestApp, type TestApp } from './helpers/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Row = {
  event: string;
  locale: string;
  overridden: boolean;
  override: Record<string, string> | null;
  builtIn: { subject: string; text: string; html: string; sms: string };
};

async function listOf(api: ReturnType<typeof apiClient>): Promise<Row[]> {
  const res = await api.get<{ data: Row[] }>('/api/v1/notification-templates');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

const rowOf = (rows: Row[], event: string, locale: string) =>
  rows.find((r) => r.event === event && r.locale === locale)!;

const staff = (role: 'admin' | 'agent') => staffClient(t, role);

describe('GET /api/v1/notification-templates', () => {
  it('answers every notification × language with its built-in text when the shop has rewritten none', async () => {
    const { api } = await t.otherTenant();
    const rows = await listOf(api);
    expect(rows).toHaveLength(NOTIFY_EVENTS.length * LOCALES.length);
    for (const r of rows) {
      expect(r.overridden).toBe(false);
      expect(r.override).toBeNull();
      expect(r.builtIn).toEqual(DEFAULT_TEMPLATES[r.event as 'digest'][r.locale as 'en']);
    }
    expect(rowOf(rows, 'return_approved', 'es').builtIn.subject).toBe(
      DEFAULT_TEMPLATES.return_approved.es.subject,
    );
  });

  it('answers the override of a rewritten pair beside its built-in text, and the built-in alone elsewhere', async () => {
    const { api } = await t.otherTenant();
    const put = await api.put('/api/v1/notification-templates/return_approved/en', {
      subject: 'Approved: {{rmaNumber}}',
      sms: '{{rmaNumber}} approved',
    });
    expect(put.status).toBe(204);
    const rows = await listOf(api);
    expect(rowOf(rows, 'return_approved', 'en')).toEqual({
      event: 'return_approved',
      locale: 'en',
      overridden: true,
      override: { subject: 'Approved: {{rmaNumber}}', sms: '{{rmaNumber}} approved' },
      builtIn: DEFAULT_TEMPLATES.return_approved.en,
    });
    // Same event, other language: untouched.
    expect(rowOf(rows, 'return_approved', 'es')).toMatchObject({ overridden: false, override: null });

    // Reset: back to the built-in text only.
    expect((await api.delete('/api/v1/notification-templates/return_approved/en')).status).toBe(204);
    expect(rowOf(await listOf(api), 'return_approved', 'en')).toMatchObject({
      overridden: false,
      override: null,
      builtIn: DEFAULT_TEMPLATES.return_approved.en,
    });
  });

  it("never shows one shop's override to another", async () => {
    const a = await t.otherTenant();
    const b = await t.otherTenant();
    const put = await a.api.put('/api/v1/notification-templates/refund_succeeded/zh-CN', {
      subject: 'Shop A only {{rmaNumber}}',
    });
    expect(put.status).toBe(204);
    expect(rowOf(await listOf(a.api), 'refund_succeeded', 'zh-CN').override).toEqual({
      subject: 'Shop A only {{rmaNumber}}',
    });
    const seenByB = await listOf(b.api);
    expect(rowOf(seenByB, 'refund_succeeded', 'zh-CN')).toMatchObject({ overridden: false, override: null });
    expect(JSON.stringify(seenByB)).not.toContain('Shop A only');
  });

  it('sends only the four template fields of a stored override', async () => {
    const { api, tenant } = await t.otherTenant();
    // Written past the API (which refuses unknown fields), as an older version might have.
    await t.handle.db
      .insertInto('notificationTemplates')
      .values({
        tenantId: tenant.tenantId,
        event: 'return_received',
        locale: 'en',
        template: JSON.stringify({ subject: 'Got it {{rmaNumber}}', internalNote: 'do not show' }),
        updatedAt: new Date().toISOString(),
      })
      .execute();
    const row = rowOf(await listOf(api), 'return_received', 'en');
    expect(row.override).toEqual({ subject: 'Got it {{rmaNumber}}' });
  });

  it('is for admins only: read, rewrite and reset (docs/security.md)', async () => {
    const agent = await staff('agent');
    expect((await agent.get('/api/v1/notification-templates')).status).toBe(403);
    const path = '/api/v1/notification-templates/digest/en';
    expect((await agent.put(path, { subject: 'Nope {{rmaNumber}}' })).status).toBe(403);
    expect((await agent.delete(path)).status).toBe(403);

    const admin = await staff('admin');
    const rows = await admin.get<{ data: Row[] }>('/api/v1/notification-templates');
    expect(rows.status).toBe(200);
    expect(rowOf(rows.body.data, 'digest', 'en').builtIn).toEqual(DEFAULT_TEMPLATES.digest.en);
    expect((await admin.put(path, { subject: 'News {{rmaNumber}}' })).status).toBe(204);
    expect(rowOf(await listOf(t.api), 'digest', 'en').override).toEqual({
      subject: 'News {{rmaNumber}}',
    });
    expect((await admin.delete(path)).status).toBe(204);
  });

  it('documents the answer in the OpenAPI description', async () => {
    const doc = (await t.anon.get('/api/openapi.json')).body;
    const ok =
      doc.paths['/api/v1/notification-templates'].get.responses['200'].content['application/json'].schema;
    const row = ok.properties.data.items;
    expect(new Set(Object.keys(row.properties))).toEqual(
      new Set(['event', 'locale', 'overridden', 'override', 'builtIn']),
    );
    expect(new Set(row.properties.builtIn.required)).toEqual(new Set(['subject', 'text', 'html', 'sms']));
  });
});
