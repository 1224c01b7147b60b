import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: under ESM its plugin arrives as `default` (or `default.default`).
const addFormats = ((formatsModule as { default: { default?: unknown } }).default.default ??
  (formatsModule as { default: unknown }).default) as (ajv: Ajv) => Ajv;

function makeAjv(coerce: boolean) {
  // Bodies are not coerced: an integrator who sends "quantity": "2" hears about it instead of
  // having it guessed. Query strings and params are text on the wire, so they are coerced.
  const ajv = new Ajv({
    coerceTypes: coerce,
    removeAdditional: false,
    useDefaults: true,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const body = makeAjv(false);
const text = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? body : text).compile(schema as object);
