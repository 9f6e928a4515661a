import { perRow } from "../../src/core/per-row";

describe("perRow", () => {
  it("derives once per row object, and afresh for the row a write puts in its place", () => {
    const derive = jest.fn((row: { subject: string }) => row.subject.toUpperCase());
    const masked = perRow(derive);
    const cached = { subject: "a@example.com" };
    expect(masked(cached)).toBe("A@EXAMPLE.COM");
    expect(masked(cached)).toBe("A@EXAMPLE.COM");
    expect(derive).toHaveBeenCalledTimes(1);
    // A write replaces the cached row with one read afresh: its own value, not the old one.
    expect(masked({ subject: "b@example.com" })).toBe("B@EXAMPLE.COM");
    expect(derive).toHaveBeenCalledTimes(2);
  });

  it("keeps a null answer too", () => {
    const derive = jest.fn(() => null);
    const none = perRow(derive);
    const row = {};
    none(row);
    none(row);
    expect(derive).toHaveBeenCalledTimes(1);
  });
});
