import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { prepared } from '../../platform/db/prepared.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FileStorage } from '../../platform/storage.ts';
import type { EvidenceTable } from './tables.ts';

type Executor = Kysely<Database>;
type ImageType = EvidenceTable['contentType'];

export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;
export const MAX_EVIDENCE_PER_ORDER = 30;
export const EVIDENCE_TYPES: readonly ImageType[] = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * What the bytes are, whatever the upload claims: JPEG, PNG or WebP by their magic numbers,
 * else null. A file that claims to be an image and is not (a script, an SVG with JavaScript, an
 * HTML page) is refused, and files are only ever served back with the sniffed type.
 */
export function sniffImage(b: Buffer): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * The most pixels a photo may declare (about a 48-megapixel camera's). The header is all it takes
 * to declare 50,000 × 50,000 in a 10 KB file: anything that decodes it later (a thumbnailer, a
 * browser, a PDF of the claim) would need gigabytes.
 */
export const MAX_EVIDENCE_PIXELS = 50_000_000;
export const MAX_EVIDENCE_SIDE = 16_384;

/** Width and height as the image's header declares them, or null when it cannot be read. */
export function declaredSize(b: Buffer): { width: number; height: number } | null {
  try {
    const s = imageSize(b);
    return s.width && s.height ? { width: s.width, height: s.height } : null;
  } catch {
    return null;
  }
}

export function createEvidenceService(deps: {
  db: Db;
  clock: Clock;
  storage: FileStorage;
  /** Holds the order's row for the transaction, so the per-order cap is counted one upload at a time. */
  lockOrder: (ex: Executor, tenantId: string, orderId: string) => Promise<void>;
}) {
  const { db, clock, storage } = deps;

  return {
    /** Stores one photo for an order, before (or while) a return is being filed. */
    async upload(
      tenantId: string,
      orderId: string,
      declaredType: string | undefined,
      data: unknown,
      uploadedBy: string,
      /** A warehouse QC photo belongs to its order line from the start. */
      opts: { orderLineId?: string } = {},
    ) {
      // A JSON or form body on this route is not a photo (the parser gave us no bytes).
      if (!Buffer.isBuffer(data))
        throw new AppError(415, 'unsupported_file_type', 'Upload a JPEG, PNG or WebP photo.');
      if (data.length === 0) throw new AppError(400, 'empty_file', 'The file is empty.');
      if (data.length > MAX_EVIDENCE_BYTES)
        throw new AppError(413, 'file_too_large', 'Photos can be at most 8 MB.');
      const type = sniffImage(data);
      if (!type) throw new AppError(415, 'unsupported_file_type', 'Upload a JPEG, PNG or WebP photo.');
      if (declaredType && declaredType.split(';')[0]!.trim() !== type) {
        throw new AppError(
          415,
          'file_type_mismatch',
          `The file is a ${type.slice(6).toUpperCase()}, not ${declaredType}.`,
        );
      }
      const size = declaredSize(data);
      if (!size) throw new AppError(415, 'unreadable_image', 'The photo is damaged or not a complete image.');
      if (
        size.width > MAX_EVIDENCE_SIDE ||
        size.height > MAX_EVIDENCE_SIDE ||
        size.width * size.height > MAX_EVIDENCE_PIXELS
      ) {
        throw new AppError(
          422,
          'image_too_large',
          `The photo says it is ${size.width} × ${size.height} pixels; send one of at most ${MAX_EVIDENCE_PIXELS / 1_000_000} megapixels.`,
        );
      }
      const id = newId('evd');
      const storageKey = `evidence/${tenantId}/${id}.${type.slice(6)}`;
      // The bytes go to storage before the row, outside the transaction (an S3 put may take seconds
      // and must not hold the order's lock, or SQLite's only writer); a refused or failed row takes
      // its file away again.
      await storage.put(storageKey, data);
      try {
        await db.transaction().execute(async (trx) => {
          // One upload at a time per order, so 60 at once cannot all see room under the cap.
          await deps.lockOrder(trx, tenantId, orderId);
          const count = await trx
            .selectFrom('evidence')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenantId', '=', tenantId)
            .where('orderId', '=', orderId)
            .executeTakeFirstOrThrow();
          if (Number(count.n) >= MAX_EVIDENCE_PER_ORDER) {
            throw new AppError(
              422,
              'too_many_files',
              `An order can have at most ${MAX_EVIDENCE_PER_ORDER} photos.`,
            );
          }
          await trx
            .insertInto('evidence')
            .values({
              tenantId,
              id,
              orderId,
              returnId: null,
              orderLineId: opts.orderLineId ?? null,
              contentType: type,
              size: data.length,
              sha256: createHash('sha256').update(data).digest('hex'),
              storageKey,
              uploadedBy,
              createdAt: clock.now().toISOString(),
            })
            .execute();
        });
      } catch (e) {
        await storage.remove(storageKey).catch(() => {});
        throw e;
      }
      return { id, contentType: type, size: data.length };
    },

    /** Ties uploaded photos to the lines of a new return, in its transaction; foreign or reused ids are refused. */
    async attach(
      trx: Executor,
      tenantId: string,
      orderId: string,
      returnId: string,
      lines: { orderLineId: string; evidenceIds?: string[] }[],
    ) {
      for (const l of lines) {
        const ids = [...new Set(l.evidenceIds ?? [])];
        if (!ids.length) continue;
        const r = await trx
          .updateTable('evidence')
          .set({ returnId, orderLineId: l.orderLineId })
          .where('tenantId', '=', tenantId)
          .where('orderId', '=', orderId)
          .where('returnId', 'is', null)
          .where('id', 'in', ids)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== ids.length) {
          throw new AppError(
            422,
            'invalid_evidence',
            'Some photos were not uploaded for this order, or belong to another return.',
            {
              orderLineId: l.orderLineId,
            },
          );
        }
      }
    },

    async listForReturn(tenantId: string, returnId: string, ex: Executor = db) {
      return evidenceOfReturn.execute(ex, { tenantId, returnId });
    },

    /** How many photos the warehouse took of each of these lines (uploaded to the line, not with a return). */
    async linePhotoCounts(tenantId: string, orderId: string, lineIds: string[], ex: Executor = db) {
      const counts = new Map<string, number>();
      if (!lineIds.length) return counts;
      const rows = await ex
        .selectFrom('evidence')
        .select(['orderLineId', (eb) => eb.fn.countAll<number>().as('n')])
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .where('returnId', 'is', null)
        .where('orderLineId', 'in', lineIds)
        .groupBy('orderLineId')
        .execute();
      for (const r of rows) if (r.orderLineId) counts.set(r.orderLineId, Number(r.n));
      return counts;
    },

    /** The photos behind a seller claim: the warehouse's of the line and the customer's of the return, oldest first. */
    async claimPhotos(tenantId: string, c: { orderId: string; orderLineId: string; returnId: string }) {
      const rows = await db
        .selectFrom('evidence')
        .select(['id', 'contentType', 'size', 'createdAt', 'returnId'])
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', c.orderId)
        .where((eb) => eb.or([eb('orderLineId', '=', c.orderLineId), eb('returnId', '=', c.returnId)]))
        .orderBy('createdAt')
        .execute();
      return rows.map((p) => ({
        id: p.id,
        kind: p.returnId ? ('customer' as const) : ('qc' as const),
        takenAt: p.createdAt,
        contentType: p.contentType,
        size: p.size,
      }));
    },

    async read(tenantId: string, id: string) {
      const row = await db
        .selectFrom('evidence')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw notFound('Photo');
      const data = await storage.get(row.storageKey);
      if (!data) throw notFound('Photo');
      return { contentType: row.contentType, data };
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;

const evidenceOfReturn = prepared((db, p: { tenantId: string; returnId: string }) =>
  db
    .selectFrom('evidence')
    .select(['id', 'orderLineId', 'contentType', 'size', 'createdAt'])
    .where('tenantId', '=', p.tenantId)
    .where('returnId', '=', p.returnId)
    .orderBy('id'),
);
