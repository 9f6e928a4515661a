import { compileEntityPacker } from "../../src/db/entity-packer";

class Entity {
  id = "a";
  count = 3;
  createdAt = new Date(1_000);
  stepUpAt: Date | null = null;
  label(): string {
    return `entity ${this.id}`;
  }
}

function roundTrip<T extends object>(entity: T, sample: T = entity): { copy: T; packed: unknown[] } {
  const packer = compileEntityPacker(sample);
  const packed: unknown[] = ["before"];
  packer.pack(entity, packed, 1);
  expect(packed).toHaveLength(1 + packer.width);
  return { copy: packer.unpack(packed, 1), packed };
}

describe("compileEntityPacker", () => {
  it("unpacks a new object with the same prototype, properties and values", () => {
    const source = new Entity();
    const { copy, packed } = roundTrip(source);
    expect(packed[0]).toBe("before");
    expect(copy).not.toBe(source);
    expect(copy).toBeInstanceOf(Entity);
    expect(copy.label()).toBe("entity a");
    expect(Object.keys(copy)).toEqual(["id", "count", "createdAt", "stepUpAt"]);
    expect(copy).toEqual(source);
    copy.id = "b";
    expect(source.id).toBe("a");
  });

  it("keeps Dates as their time and gives back new Dates, also where the sample had null", () => {
    const sample = new Entity();
    const later = Object.assign(new Entity(), { count: 5, stepUpAt: new Date(2_000) });
    const { copy, packed } = roundTrip(later, sample);
    expect(packed.some((value) => value instanceof Date)).toBe(false);
    expect(copy.createdAt).toEqual(new Date(1_000));
    expect(copy.createdAt).not.toBe(later.createdAt);
    expect(copy.stepUpAt).toEqual(new Date(2_000));
    expect(copy.count).toBe(5); // a number that was never a Date stays a number
  });

  it("handles more properties than one slot of Date flags holds", () => {
    const wide = Object.fromEntries(Array.from({ length: 70 }, (_unused, i) => [`p${i}`, i % 2 ? new Date(i) : i]));
    expect(roundTrip(wide).copy).toEqual(wide);
  });

  it("treats keys as data: a key written as code neither runs nor breaks the packer", () => {
    const hostile = { 'a"]; globalThis.injected = 1; //': 1, "b'\n}": 2, "\\": 3, "`${x}`": 4, this: 5 };
    expect(roundTrip(hostile).copy).toEqual(hostile);
    expect((globalThis as Record<string, unknown>).injected).toBeUndefined();
  });

  it("unpacks objects without a prototype", () => {
    const bare = Object.assign(Object.create(null) as Record<string, number>, { x: 1 });
    const { copy } = roundTrip(bare);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(copy.x).toBe(1);
  });
});
