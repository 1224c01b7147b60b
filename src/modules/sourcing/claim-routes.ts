import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { Actor } from '../returns/service.ts';
import { CLAIM_ACTIONS, type ClaimAction } from './claim-flow.ts';
import { Int, LineStageView, Str } from './route-schemas.ts';
import type { SourcingService } from './service.ts';

const ClaimView = Type.Object({
  id: Str,
  returnId: Str,
  orderId: Str,
  orderLineId: Str,
  kind: Type.String({ description: 'cancellation (before the seller ships) or return (from the warehouse)' }),
  seller: Str,
  platformOrderRef: Nullable(Str),
  currency: Str,
  amountExpected: Int,
  amountRecovered: Int,
  deadlineAt: Type.Union([Str, Type.Null()], {
    description: "The seller's window: domestic delivery scan + purchasingAgent.sellerWindowDays.",
  }),
  hoursLeft: Type.Union([Int, Type.Null()]),
  status: Type.String({ description: 'draft, sent, accepted, refused, refunded, expired, cancelled' }),
  allowedActions: Type.Array(Str),
  messages: Type.Object({ 'zh-CN': Str, en: Str }),
  note: Nullable(Str),
  warnedAt: Nullable(Str),
  version: Int,
  createdAt: Str,
  updatedAt: Str,
});

/** Seller claims (listed, read, the evidence pack, moved), the agent's position on a return, claims per seller. */
export function registerClaimRoutes(
  app: AppInstance,
  deps: { sourcing: SourcingService; actorOf: (request: Parameters<typeof authOf>[0]) => Actor },
): void {
  const { sourcing, actorOf } = deps;

  app.get(
    '/api/v1/seller-claims',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'Claims against upstream sellers, newest first; atRisk=true lists open claims near their deadline',
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(
              Type.Enum(['draft', 'sent', 'accepted', 'refused', 'refunded', 'expired', 'cancelled']),
            ),
            seller: Type.Optional(Type.String({ maxLength: 200 })),
            returnId: Type.Optional(Type.String({ maxLength: 100 })),
            atRisk: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(ClaimView), nextCursor: Nullable(Str) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return sourcing.listClaims(authOf(request).tenantId, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get(
    '/api/v1/seller-claims/:id',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary: 'One seller claim',
        params: IdParams,
        response: { 200: ClaimView, ...errorResponses(404) },
      },
    },
    async (request) => sourcing.getClaim(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/seller-claims/:id/evidence-pack',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'What goes to the seller: the claim message in Simplified Chinese and English, QC photos with their times, the order remarks',
        params: IdParams,
        response: {
          200: Type.Object({
            claim: ClaimView,
            line: LineStageView,
            rmaNumber: Str,
            remarks: Type.Array(Str),
            photos: Type.Array(
              Type.Object({ id: Str, kind: Str, takenAt: Str, contentType: Str, size: Int, url: Str }),
            ),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      sourcing.evidencePack(authOf(request).tenantId, request.params.id, (id) => `/api/v1/evidence/${id}`),
  );

  app.post(
    '/api/v1/seller-claims/:id/:action',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'send, accept, refuse, refund (with amountRecovered) or cancel a claim; an accepted cancellation approves the waiting return',
        params: Type.Object({ id: Type.String({ maxLength: 100 }), action: Type.Enum(CLAIM_ACTIONS) }),
        body: Type.Object(
          {
            amountRecovered: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClaimView, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      sourcing.actOnClaim(
        authOf(request).tenantId,
        request.params.id,
        request.params.action as ClaimAction,
        request.body,
        actorOf(request),
      ),
  );

  app.get(
    '/api/v1/returns/:id/position',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary: "The agent's net position on a return: paid out to the customer vs recovered from sellers",
        params: IdParams,
        response: {
          200: Type.Object({
            returnId: Str,
            rmaNumber: Str,
            currency: Str,
            paidOut: Int,
            recovered: Int,
            pendingRecovery: Int,
            net: Int,
            claims: Int,
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => sourcing.returnPosition(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/sellers/claim-stats',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary:
          'Claims per seller: won (accepted or refunded), lost (refused or expired), open, amounts, success rate',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            sellers: Type.Array(
              Type.Object({
                seller: Str,
                claims: Int,
                won: Int,
                lost: Int,
                open: Int,
                expected: Type.Record(Str, Int),
                recovered: Type.Record(Str, Int),
                successRate: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => sourcing.sellerStats(authOf(request).tenantId, request.query),
  );
}
