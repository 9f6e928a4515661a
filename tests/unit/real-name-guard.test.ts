import { AppError } from "../../src/errors";
import { RealNameGuard } from "../../src/modules/real-name/real-name.guard";

function contextFor(accountId: string | null) {
  return {
    context: { meta: { ip: null, userAgent: null }, auth: accountId ? { account: { id: accountId }, session: null, apiKey: null } : null },
  } as never;
}

describe("RealNameGuard (@RequireRealName)", () => {
  const guard = new RealNameGuard({ hasPassed: (accountId: string) => Promise.resolve(accountId === "verified") });

  it("lets a verified account through", async () => {
    await expect(guard.use(contextFor("verified"), () => Promise.resolve("ran"))).resolves.toBe("ran");
  });

  it("answers REAL_NAME_REQUIRED to anyone else, before the resolver runs", async () => {
    let ran = false;
    const attempt = guard.use(contextFor("someone"), () => {
      ran = true;
      return Promise.resolve();
    });
    await expect(attempt).rejects.toMatchObject({ code: "REAL_NAME_REQUIRED" });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(ran).toBe(false);
  });

  it("answers UNAUTHENTICATED without a session", async () => {
    await expect(guard.use(contextFor(null), () => Promise.resolve("ran"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
