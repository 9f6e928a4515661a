import { createRequire } from "node:module";
import type { FastifyServerOptions } from "fastify";

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
type ValidatorFactory = NonNullable<CompilersFactory["buildValidator"]>;
type SerializerFactory = NonNullable<CompilersFactory["buildSerializer"]>;

/** Loads what Fastify itself would load, from Fastify's own folder. */
const fromFastify = createRequire(require.resolve("fastify"));
let validator: ValidatorFactory | undefined;
let serializer: SerializerFactory | undefined;

/**
 * Fastify's own JSON-schema compilers (ajv and fast-json-stringify, ~190 modules), loaded only when
 * a route first declares a schema. Fastify loads them as it is created, ~100 ms of CPU at every
 * start, though none of our routes declares one. (Fastify leaves a route's header schema as written
 * for a compiler it did not choose; ours declare none.)
 */
export const SCHEMA_COMPILERS_ON_FIRST_USE: CompilersFactory = {
  buildValidator: (schemas, options) =>
    (validator ??= (fromFastify("@fastify/ajv-compiler") as () => ValidatorFactory)())(schemas, options),
  buildSerializer: (schemas, options) =>
    (serializer ??= (fromFastify("@fastify/fast-json-stringify-compiler") as () => SerializerFactory)())(schemas, options),
};
