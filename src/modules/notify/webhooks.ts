import { type Caches, noCaches } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { OutboundRefused, postOutbound } from '../../platform/outbound-http.ts';
import type { Sealer } from '../../platform/secrets.ts';
import { WEBHOOK_EVENTS } from './notify-rules.ts';
import { checkPublicUrl } from './url-guard.ts';
import { newWebhookSecret, signPayload } from './webhook-signing.ts';

/** How long the old secret keeps signing after a rotation, so receivers can switch without gaps. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** How much of an endpoint's answer the delivery log keeps. */
const RESPONSE_KEPT = 500;
/** How much of it a test send shows: enough to recognise the receiver, not a way to read pages. */
export const TEST_EXCERPT_CHARS = 200;

export type WebhookSendResult =
  | { status: 'delivered'; statusCode: number; response: string }
  | { status: 'retry'; code: string; error: string; statusCode: number | null; response: string | null }
  | { status: 'failed'; code: string; error: string; statusCode: number | null; response: string | null };

/**
 * Tenants' webhook endpoints: which events they want, signed deliveries (HMAC-SHA256 over
 * timestamp and body), secret rotation with an overlap, and a test send.
 */
export function createWebhookService(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  allowPrivateUrls: boolean;
  timeoutMs?: number;
  /** Every dispatch asks which endpoints want its event (platform/cache.ts). */
  caches?: Caches;
}) {
  const { db, clock, sealer } = deps;
  /** A tenant's active endpoints and the events each asked for. */
  const activeEndpoints = (deps.caches ?? noCaches).define<{ id: string; events: string[] }[]>(
    'notify.webhook-endpoints',
  );
  const timeoutMs = deps.timeoutMs ?? 10_000;

  function view(r: {
    id: string;
    url: string;
    description: string | null;
    events: unknown;
    active: number;
    createdAt: string;
    updatedAt: string;
    previousSecretExpiresAt: string | null;
  }) {
    return {
      id: r.id,
      url: r.url,
      description: r.description,
      events: parseJson<string[]>(r.events),
      active: r.active === 1,
      rotatingUntil: r.previousSecretExpiresAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  async function load(tenantId: string, id: string) {
    const r = await db
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw notFound('Webhook endpoint');
    return r;
  }

  async function validate(url: string, events: string[]) {
    const problem = await checkPublicUrl(url, deps.allowPrivateUrls);
    if (problem) throw new AppError(422, 'invalid_webhook_url', `The webhook URL ${problem}.`);
    const unknown = events.filter((e) => e !== '*' && !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (unknown.length) {
      throw new AppError(422, 'unknown_webhook_event', `Unknown event "${unknown[0]}".`, {
        known: [...WEBHOOK_EVENTS],
      });
    }
  }

  async function post(
    url: string,
    secrets: string[],
    deliveryId: string,
    type: string,
    body: string,
  ): Promise<WebhookSendResult> {
    const t = Math.floor(clock.now().getTime() / 1000);
    try {
      const res = await postOutbound(url, {
        timeoutMs,
        allowPrivate: deps.allowPrivateUrls,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Returnflow-Webhooks/1',
          'returnflow-signature': signPayload(secrets, body, t),
          'returnflow-event-type': type,
          'returnflow-delivery-id': deliveryId,
        },
        body,
      });
      const text = res.body.slice(0, RESPONSE_KEPT);
      if (res.statusCode >= 200 && res.statusCode < 300)
        return { status: 'delivered', statusCode: res.statusCode, response: text };
      // Any other answer is retried with back-off, as Stripe and GitHub do: receivers
      // misconfigure during deploys. After the last try the delivery is dead until replayed.
      return {
        status: 'retry',
        code: `http_${res.statusCode}`,
        error: `The endpoint answered ${res.statusCode}.`,
        statusCode: res.statusCode,
        response: text,
      };
    } catch (e) {
      const err = e as Error;
      if (err instanceof OutboundRefused) {
        // The address may turn public again (a DNS fix), so it is retried like any other failure.
        return {
          status: 'retry',
          code: 'private_address',
          error: `Not sent: ${err.message}.`,
          statusCode: null,
          response: null,
        };
      }
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      return {
        status: 'retry',
        code: timedOut ? 'timeout' : 'network_error',
        error: timedOut ? `No answer within ${timeoutMs} ms.` : (err.message ?? String(e)),
        statusCode: null,
        response: null,
      };
    }
  }

  function secretsOf(r: {
    sealedSecret: string;
    sealedPreviousSecret: string | null;
    previousSecretExpiresAt: string | null;
  }): string[] {
    const secrets = [sealer.open(r.sealedSecret)];
    if (
      r.sealedPreviousSecret &&
      r.previousSecretExpiresAt &&
      r.previousSecretExpiresAt > clock.now().toISOString()
    ) {
      secrets.push(sealer.open(r.sealedPreviousSecret));
    }
    return secrets;
  }

  return {
    async create(tenantId: string, input: { url: string; events: string[]; description?: string }) {
      await validate(input.url, input.events);
      const now = clock.now().toISOString();
      const secret = newWebhookSecret();
      const id = newId('whk');
      await db
        .insertInto('webhookEndpoints')
        .values({
          tenantId,
          id,
          url: input.url,
          description: input.description ?? null,
          events: JSON.stringify([...new Set(input.events)]),
          sealedSecret: sealer.seal(secret),
          sealedPreviousSecret: null,
          previousSecretExpiresAt: null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      activeEndpoints.invalidate(tenantId);
      // The only time the secret is shown.
      return { ...view(await load(tenantId, id)), secret };
    },

    async list(tenantId: string) {
      const rows = await db
        .selectFrom('webhookEndpoints')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('createdAt')
        .execute();
      return rows.map(view);
    },

    async get(tenantId: string, id: string) {
      return view(await load(tenantId, id));
    },

    async update(
      tenantId: string,
      id: string,
      input: { url?: string; events?: string[]; description?: string | null; active?: boolean },
    ) {
      const r = await load(tenantId, id);
      await validate(input.url ?? r.url, input.events ?? parseJson<string[]>(r.events));
      await db
        .updateTable('webhookEndpoints')
        .set({
          ...(input.url ? { url: input.url } : {}),
          ...(input.events ? { events: JSON.stringify([...new Set(input.events)]) } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
          updatedAt: clock.now().toISOString(),
        })
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .execute();
      activeEndpoints.invalidate(tenantId);
      return view(await load(tenantId, id));
    },

    async remove(tenantId: string, id: string) {
      await load(tenantId, id);
      await db.deleteFrom('webhookEndpoints').where('tenantId', '=', tenantId).where('id', '=', id).execute();
      activeEndpoints.invalidate(tenantId);
    },

    /** A new secret signs from now on; the old one also signs for 24 hours. */
    async rotateSecret(tenantId: string, id: string) {
      const r = await load(tenantId, id);
      const secret = newWebhookSecret();
      const now = clock.now();
      await db
        .updateTable('webhookEndpoints')
        .set({
          sealedSecret: sealer.seal(secret),
          sealedPreviousSecret: r.sealedSecret,
          previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString(),
          updatedAt: now.toISOString(),
        })
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .execute();
      return { ...view(await load(tenantId, id)), secret };
    },

    /** Sends a `ping` now and answers what the endpoint said (nothing is retried). */
    async testSend(tenantId: string, id: string) {
      const r = await load(tenantId, id);
      const deliveryId = newId('dlv');
      const body = JSON.stringify({
        id: `evt_test_${deliveryId}`,
        type: 'ping',
        createdAt: clock.now().toISOString(),
        tenantId,
        data: {},
      });
      const started = Date.now();
      const result = await post(r.url, secretsOf(r), deliveryId, 'ping', body);
      return {
        ok: result.status === 'delivered',
        statusCode: result.statusCode,
        durationMs: Date.now() - started,
        error: result.status === 'delivered' ? null : result.error,
        responseExcerpt: result.response === null ? null : result.response.slice(0, TEST_EXCERPT_CHARS),
      };
    },

    /** Active endpoints that asked for this event type. */
    async endpointsFor(tenantId: string, type: string) {
      const rows = await activeEndpoints.get(tenantId, async () =>
        (
          await db
            .selectFrom('webhookEndpoints')
            .select(['id', 'events'])
            .where('tenantId', '=', tenantId)
            .where('active', '=', 1)
            .execute()
        ).map((r) => ({ id: r.id, events: parseJson<string[]>(r.events) })),
      );
      return (rows ?? [])
        .filter((r) => r.events.includes('*') || r.events.includes(type))
        .map((r) => ({ id: r.id }));
    },

    async send(
      tenantId: string,
      endpointId: string,
      deliveryId: string,
      type: string,
      body: string,
    ): Promise<WebhookSendResult> {
      const r = await db
        .selectFrom('webhookEndpoints')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (r?.active !== 1) {
        return {
          status: 'failed',
          code: 'endpoint_gone',
          error: 'The endpoint was removed or disabled.',
          statusCode: null,
          response: null,
        };
      }
      return post(r.url, secretsOf(r), deliveryId, type, body);
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
