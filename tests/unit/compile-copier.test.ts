import { compileCopier } from "../../src/db/compile-copier";

class Entity {
  id = "a";
  createdAt = new Date(0);
  label(): string {
    return `entity ${this.id}`;
  }
}

describe("compileCopier", () => {
  it("copies own properties into a new object with the same prototype", () => {
    const source = new Entity();
    const copy = compileCopier(source)(source);
    expect(copy).not.toBe(source);
    expect(copy).toBeInstanceOf(Entity);
    expect(copy.label()).toBe("entity a");
    expect(Object.keys(copy)).toEqual(["id", "createdAt"]);
    copy.id = "b";
    expect(source.id).toBe("a");
  });

  it("treats keys as data: a key written as code neither runs nor breaks the copy", () => {
    const hostile = { "a\"]; globalThis.injected = 1; //": 1, "b'\n}": 2, "\\": 3, "`${x}`": 4 };
    const copy = compileCopier(hostile)(hostile);
    expect(copy).toEqual(hostile);
    expect((globalThis as Record<string, unknown>).injected).toBeUndefined();
  });

  it("copies objects without a prototype", () => {
    const bare = Object.assign(Object.create(null) as Record<string, number>, { x: 1 });
    const copy = compileCopier(bare)(bare);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(copy.x).toBe(1);
  });
});
