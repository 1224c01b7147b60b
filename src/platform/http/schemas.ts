import { type TSchema, Type } from 'typebox';

/** The documented error shape, for OpenAPI. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable snake_case code to switch on.' }),
      message: Type.String({ description: 'A sentence for people.' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'Error' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** Standard error responses every authenticated route can answer. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries([400, 401, ...statuses].map((s) => [s, ErrorResponse]));

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

/** `T` or `null` (a field that is always there, empty when there is nothing to say). */
export const Nullable = <T extends TSchema>(t: T, options?: { description?: string }) =>
  Type.Union([t, Type.Null()], options);
