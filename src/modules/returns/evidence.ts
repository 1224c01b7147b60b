import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database, EvidenceTable } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { FileStorage } from '../../platform/storage.ts';

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

export function createEvidenceService(deps: { db: Db; clock: Clock; storage: FileStorage }) {
  const { db, clock, storage } = deps;

  return {
    /** Stores one photo for an order, before (or while) a return is being filed. */
    async upload(
      tenantId: string,
      orderId: string,
      declaredType: string | undefined,
      data: Buffer,
      uploadedBy: string,
      /** A warehouse QC photo belongs to its order line from the start. */
      opts: { orderLineId?: string } = {},
    ) {
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
      const count = await db
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
      const id = newId('evd');
      const storageKey = `evidence/${tenantId}/${id}.${type.slice(6)}`;
      await storage.put(storageKey, data);
      await db
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
      return ex
        .selectFrom('evidence')
        .select(['id', 'orderLineId', 'contentType', 'size', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .orderBy('id')
        .execute();
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
