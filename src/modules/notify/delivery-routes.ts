import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';

const DeliveryView = Type.Object({
  id: Type.String(),
  event: Type.String({ description: 'The notification, e.g. return_in_transit.' }),
  webhookType: Type.Optional(
    Nullable(
      Type.String({ description: 'Webhooks: the event type the receiver gets, e.g. return.in_transit.' }),
    ),
  ),
  channel: Type.String(),
  recipient: Type.String(),
  returnId: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  status: Type.String({
    description: 'queued, digest_pending, sending, sent, stored, delivered, failed, bounced, dead',
  }),
  attempts: Type.Integer(),
  providerId: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  sendAfter: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** The delivery log: notifications sent or waiting, one with its attempts, and replaying a failed one. */
export function registerDeliveryRoutes(app: AppInstance, deps: Pick<NotifyRouteDeps, 'notify'>): void {
  const { notify } = deps;
  app.get(
    '/api/v1/notifications',
    {
      config: access.leads,
      schema: {
        tags: ['notifications'],
        summary:
          'Notifications sent or waiting, newest first (the stored email outbox when SMTP is not configured)',
        querystring: Type.Object(
          {
            channel: Type.Optional(Type.Enum(['email', 'sms', 'in_app', 'webhook'])),
            status: Type.Optional(Type.String({ maxLength: 20 })),
            returnId: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ data: Type.Array(DeliveryView), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => notify.listDeliveries(authOf(request).tenantId, request.query),
  );
  app.get(
    '/api/v1/notifications/:id',
    {
      config: access.leads,
      schema: {
        tags: ['notifications'],
        summary:
          'One notification: what was sent (subject, text, HTML, SMS body or webhook payload) and every attempt',
        params: IdParams,
        response: {
          200: Type.Object({
            ...DeliveryView.properties,
            content: Type.Unknown(),
            attempts: Type.Array(Type.Unknown()),
            eventKey: Type.String(),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => notify.getDelivery(authOf(request).tenantId, request.params.id),
  );
  app.post(
    '/api/v1/notifications/:id/replay',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Send a dead or failed notification again',
        params: IdParams,
        response: { 200: Type.Unknown(), ...errorResponses(404, 409) },
      },
    },
    async (request) => notify.replayDelivery(authOf(request).tenantId, request.params.id),
  );
}
