import { Type } from 'typebox';
import { ErrorResponse } from '../../platform/http/schemas.ts';
import type { AppInstance } from '../../platform/http/server.ts';
import { LangQuery, type PortalAccess, type PortalRoutesDeps } from './portal-access.ts';
import { QuoteView, ReturnRequest } from './schemas.ts';
import { localized, type ReturnsService } from './service.ts';

const PortalRequest = Type.Object(
  {
    resolution: ReturnRequest.properties.resolution,
    lines: ReturnRequest.properties.lines,
    customerNote: ReturnRequest.properties.customerNote,
    exchange: ReturnRequest.properties.exchange,
    refundTo: ReturnRequest.properties.refundTo,
  },
  { additionalProperties: false },
);

/** The customer sees their own return: no internal ids beyond what tracking shows. */
function customerView(r: Awaited<ReturnType<ReturnsService['getReturn']>>, lang: string | undefined) {
  return {
    id: r.id,
    rmaNumber: r.rmaNumber,
    status: r.status,
    trackingToken: r.trackingToken,
    trackingUrl: r.trackingUrl,
    decision: {
      outcome: r.decision.outcome,
      explanation: localized(r.decision as never, lang),
      returnless: r.decision.returnless,
    },
    refundQuote: r.refundQuote,
  };
}

/** The customer's return: its quote before confirming, then filing it. */
export function registerPortalReturnRoutes(
  app: AppInstance,
  deps: PortalRoutesDeps,
  { open, customerAccess }: PortalAccess,
): void {
  const { returns } = deps;

  app.post(
    '/api/v1/portal/quote',
    {
      config: open,
      schema: {
        tags: ['portal'],
        summary: 'What the return would get, before confirming (writes nothing)',
        security: [],
        querystring: LangQuery,
        body: PortalRequest,
        response: {
          200: QuoteView,
          400: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request) => {
      const a = await customerAccess(request);
      return returns.quoteReturn(
        a.tenantId,
        { ...request.body, orderId: a.orderId } as never,
        request.query.lang,
      );
    },
  );

  app.post(
    '/api/v1/portal/returns',
    {
      config: {
        ...open,
        replayCommitted: async (request, id) => {
          const a = await customerAccess(request);
          const lang = (request.query as { lang?: string }).lang;
          return { statusCode: 201, body: customerView(await returns.getReturn(a.tenantId, id), lang) };
        },
      },
      schema: {
        tags: ['portal'],
        summary: 'File the return (the decision and the tracking link come back at once)',
        security: [],
        querystring: LangQuery,
        body: PortalRequest,
        response: {
          201: Type.Object({
            id: Type.String(),
            rmaNumber: Type.String(),
            status: Type.String(),
            trackingToken: Type.String(),
            trackingUrl: Type.String(),
            decision: Type.Unknown(),
            refundQuote: Type.Unknown(),
          }),
          400: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const a = await customerAccess(request);
      const r = await returns.requestReturn(
        a.tenantId,
        { ...request.body, orderId: a.orderId } as never,
        { type: 'customer', id: a.customerId },
        request.query.lang,
      );
      return reply.code(201).send(customerView(r, request.query.lang));
    },
  );
}
