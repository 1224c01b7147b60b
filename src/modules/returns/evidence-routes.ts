import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { ErrorResponse, errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { gateUploads } from '../../platform/http/upload-gate.ts';
import { MAX_EVIDENCE_BYTES } from './evidence.ts';
import type { PortalAccess, PortalRoutesDeps } from './portal-access.ts';

const EvidenceView = Type.Object({ id: Type.String(), contentType: Type.String(), size: Type.Integer() });

/** Photo bodies read at once per process; each is at most MAX_EVIDENCE_BYTES in memory. */
export const MAX_CONCURRENT_UPLOADS = 4;

/** Raw image bodies (no multipart): one photo per request, its type sniffed from the bytes. */
function acceptImages(scope: AppInstance) {
  gateUploads(scope, { max: MAX_CONCURRENT_UPLOADS, waitMs: 30_000 });
  scope.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp'],
    { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES },
    (_req, body, done) => done(null, body),
  );
}

/** Photos: the customer's and staff's uploads, warehouse QC photos, and reading one back. */
export function registerEvidenceRoutes(
  app: AppInstance,
  deps: PortalRoutesDeps,
  { open, customerAccess }: PortalAccess,
): void {
  const { returns, evidence } = deps;

  app.register(async (scope: AppInstance) => {
    acceptImages(scope);
    scope.post(
      '/api/v1/portal/evidence',
      {
        config: open,
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: {
          tags: ['portal'],
          summary: 'Upload one photo (raw JPEG, PNG or WebP body, at most 8 MB); use its id in evidenceIds',
          security: [],
          response: {
            201: EvidenceView,
            400: ErrorResponse,
            404: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const a = await customerAccess(request);
        const saved = await evidence.upload(
          a.tenantId,
          a.orderId,
          request.headers['content-type'],
          request.body as Buffer,
          `customer:${a.customerId}`,
        );
        return reply.code(201).send(saved);
      },
    );
    scope.post(
      '/api/v1/orders/:id/evidence',
      {
        config: access.desk,
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: {
          tags: ['returns'],
          summary: 'Upload one photo for an order (raw JPEG, PNG or WebP body, at most 8 MB)',
          params: IdParams,
          response: { 201: EvidenceView, ...errorResponses(404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const order = await returns.orderForEvidence(auth.tenantId, request.params.id);
        const saved = await evidence.upload(
          auth.tenantId,
          order,
          request.headers['content-type'],
          request.body as Buffer,
          `${auth.actorType}:${auth.actorId}`,
        );
        return reply.code(201).send(saved);
      },
    );
    scope.post(
      '/api/v1/orders/:id/lines/:lineId/qc-photos',
      {
        bodyLimit: MAX_EVIDENCE_BYTES,
        config: access.warehouse,
        schema: {
          tags: ['sourcing'],
          summary: 'Warehouse QC photo of one order line (raw JPEG, PNG or WebP body, at most 8 MB)',
          params: Type.Object({
            id: Type.String({ minLength: 1, maxLength: 100 }),
            lineId: Type.String({ minLength: 1, maxLength: 100 }),
          }),
          response: { 201: EvidenceView, ...errorResponses(404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const order = await returns.orderForEvidence(auth.tenantId, request.params.id);
        const line = await returns.orderLineOf(auth.tenantId, order, request.params.lineId);
        const saved = await evidence.upload(
          auth.tenantId,
          order,
          request.headers['content-type'],
          request.body as Buffer,
          `${auth.actorType}:${auth.actorId}`,
          { orderLineId: line },
        );
        return reply.code(201).send(saved);
      },
    );
  });

  app.get(
    '/api/v1/evidence/:id',
    {
      schema: {
        tags: ['returns'],
        summary: 'A photo, as uploaded',
        params: IdParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const file = await evidence.read(authOf(request).tenantId, request.params.id);
      // Served only with the sniffed type, never interpreted as anything else, never scripted.
      return reply
        .type(file.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('content-disposition', 'inline')
        .header('cache-control', 'private, max-age=3600')
        .send(file.data);
    },
  );
}
