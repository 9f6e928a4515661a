/**
 * Packs an entity into slots of a flat array and unpacks a new entity from them, for entities
 * shaped like `sample` (same prototype, same own properties in the same order). Dates are stored as
 * their time (a bit per property, in the first slots, says which were Dates), so a packed session,
 * API key or account (strings, numbers, booleans and Dates only) holds no objects besides its
 * strings: the authentication cache keeps 10 000 rows at about half the memory of keeping the
 * entities themselves, and the garbage collector has less to mark. Every unpack returns new
 * objects, Dates included, so nothing a request does to them reaches another (a property holding
 * any other object would be shared).
 *
 * Hand-written because lru-cache (which holds the entries) keeps a value as it is given: holding the
 * entities would take twice the memory and still need a copy for every hit.
 *
 * Both functions are written out property by property (keys quoted with JSON.stringify, so no key
 * can inject code): V8 runs such code in well under a microsecond, and an unpacked entity is built
 * by a constructor, so it keeps its properties in the object itself.
 */
export interface EntityPacker<T> {
  /** Slots a packed entity takes. */
  readonly width: number;
  pack(entity: T, into: unknown[], offset: number): void;
  unpack(from: readonly unknown[], offset: number): T;
}

/** Bits per slot of the Date flags: kept below 31 so that they stay small integers. */
const FLAGS_PER_SLOT = 30;

export function compileEntityPacker<T extends object>(sample: T): EntityPacker<T> {
  const keys = Object.keys(sample).map((key) => JSON.stringify(key));
  const flagSlots = Math.max(1, Math.ceil(keys.length / FLAGS_PER_SLOT));
  const flagNames = Array.from({ length: flagSlots }, (_unused, k) => `flags${k}`);
  const flags = (i: number) => flagNames[Math.floor(i / FLAGS_PER_SLOT)];
  const bit = (i: number) => 1 << (i % FLAGS_PER_SLOT);
  const slot = (i: number) => `offset + ${flagSlots + i}`;

  const pack = [
    `let ${flagNames.map((name) => `${name} = 0`).join(", ")}, value;`,
    ...keys.map(
      (key, i) =>
        `value = entity[${key}]; if (value instanceof Date) { ${flags(i)} |= ${bit(i)}; value = value.getTime(); } into[${slot(i)}] = value;`,
    ),
    ...flagNames.map((name, k) => `into[offset + ${k}] = ${name};`),
  ].join("\n");
  const unpack = [
    ...flagNames.map((name, k) => `const ${name} = from[offset + ${k}];`),
    ...keys.map((key, i) => `this[${key}] = ${flags(i)} & ${bit(i)} ? new Date(from[${slot(i)}]) : from[${slot(i)}];`),
  ].join("\n");

  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiling the packer is the point (see above); keys are JSON-quoted
  const compile = new Function(
    "prototype",
    `function Unpacked(from, offset) {\n${unpack}\n}\n` +
      `Unpacked.prototype = prototype;\n` +
      `return {\n` +
      `  pack(entity, into, offset) {\n${pack}\n},\n` +
      // `new` gives Object.prototype where the prototype is null.
      `  unpack: prototype === null ? (from, offset) => { const entity = Object.create(null); Unpacked.call(entity, from, offset); return entity; }\n` +
      `    : (from, offset) => new Unpacked(from, offset),\n` +
      `};`,
  ) as (prototype: object | null) => Pick<EntityPacker<T>, "pack" | "unpack">;
  return { width: flagSlots + keys.length, ...compile(Object.getPrototypeOf(sample) as object | null) };
}
