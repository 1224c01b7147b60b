import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { WEBHOOK_EVENTS } from './notify-rules.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';

const WebhookView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  rotatingUntil: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  secret: Type.Optional(Type.String({ description: 'Shown only when created or rotated.' })),
});

/** Webhook endpoints: register, list, change, remove, rotate the secret, send a test ping. */
export function registerWebhookRoutes(app: AppInstance, deps: Pick<NotifyRouteDeps, 'webhooks'>): void {
  const { webhooks } = deps;
  const WebhookBody = Type.Object(
    {
      url: Type.String({ maxLength: 2000 }),
      events: Type.Array(Type.String({ maxLength: 64 }), {
        minItems: 1,
        maxItems: 50,
        description: `"*" or any of: ${WEBHOOK_EVENTS.join(', ')}`,
      }),
      description: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint (the signing secret is shown once)',
        body: WebhookBody,
        response: { 201: WebhookView, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await webhooks.create(authOf(request).tenantId, request.body)),
  );
  app.get(
    '/api/v1/webhooks',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook endpoints',
        response: { 200: Type.Object({ data: Type.Array(WebhookView) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await webhooks.list(authOf(request).tenantId) }),
  );
  app.get(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'One webhook endpoint',
        params: IdParams,
        response: { 200: WebhookView, ...errorResponses(404) },
      },
    },
    async (request) => webhooks.get(authOf(request).tenantId, request.params.id),
  );
  app.put(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook endpoint',
        params: IdParams,
        body: Type.Object(
          {
            url: Type.Optional(Type.String({ maxLength: 2000 })),
            events: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 50 })),
            description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookView, ...errorResponses(404, 422) },
      },
    },
    async (request) => webhooks.update(authOf(request).tenantId, request.params.id, request.body),
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook endpoint',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Rotate the signing secret (the old one keeps signing for 24 hours)',
        params: IdParams,
        response: { 200: WebhookView, ...errorResponses(404) },
      },
    },
    async (request) => webhooks.rotateSecret(authOf(request).tenantId, request.params.id),
  );
  app.post(
    '/api/v1/webhooks/:id/test',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Send a signed `ping` now and show what the endpoint answered',
        params: IdParams,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            statusCode: Nullable(Type.Integer()),
            durationMs: Type.Integer(),
            error: Nullable(Type.String()),
            responseExcerpt: Nullable(
              Type.String({
                description: "The first 200 characters of the endpoint's answer, to recognise the receiver",
              }),
            ),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => webhooks.testSend(authOf(request).tenantId, request.params.id),
  );
}
