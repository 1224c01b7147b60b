import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { Actor } from '../returns/service.ts';
import { LineStageView, Str } from './route-schemas.ts';
import type { SourcingService } from './service.ts';
import { LINE_STAGES } from './stages.ts';

const LineParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  lineId: Type.String({ minLength: 1, maxLength: 100 }),
});

/** Line stages: an order's lines with their stages, and a line's move to the next one. */
export function registerStageRoutes(
  app: AppInstance,
  deps: { sourcing: SourcingService; actorOf: (request: Parameters<typeof authOf>[0]) => Actor },
): void {
  const { sourcing, actorOf } = deps;

  app.get(
    '/api/v1/orders/:id/stages',
    {
      config: access.staff,
      schema: {
        tags: ['sourcing'],
        summary: "Each line's stage (paid → … → delivered), its clocks and history, and the moves open to it",
        params: IdParams,
        response: {
          200: Type.Object({ orderId: Str, lines: Type.Array(LineStageView) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => sourcing.orderStages(authOf(request).tenantId, request.params.id),
  );

  app.post(
    '/api/v1/orders/:id/lines/:lineId/stage',
    {
      config: access.warehouse,
      schema: {
        tags: ['sourcing'],
        summary:
          'Record that a line reached a stage; entering the warehouse starts the seller window, QC the customer window; a failed QC files a free return to the seller',
        params: LineParams,
        body: Type.Object(
          {
            stage: Type.Enum(LINE_STAGES),
            at: Type.Optional(
              Type.String({ format: 'date-time', description: 'When it happened (the scan); default now.' }),
            ),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...LineStageView.properties,
            offer: Type.Union([Type.Object({ returnId: Str, rmaNumber: Str }), Type.Null()]),
          }),
          ...errorResponses(404, 409, 422),
        },
      },
    },
    async (request) =>
      sourcing.setStage(
        authOf(request).tenantId,
        request.params.id,
        request.params.lineId,
        request.body,
        actorOf(request),
      ),
  );
}
