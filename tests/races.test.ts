import { DEFAULT_PASSWORD, REGISTER, registerUser, uniqueUsername } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

function codes(results: { errors?: { extensions?: { code?: string } }[] }[]): string[] {
  return results.map((r) => r.errors?.[0].extensions?.code ?? "OK").sort();
}

it("gives a username raced by 10 sign-ups to exactly one of them, and the rest a clean USERNAME_TAKEN", async () => {
  const username = uniqueUsername("race");
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => app.client.request(REGISTER, { input: { username: i % 2 ? username : username.toUpperCase(), password: DEFAULT_PASSWORD } })),
  );
  expect(codes(results)).toEqual(["OK", ...Array(9).fill("USERNAME_TAKEN")]);
});

it("gives a username raced by 8 renames to exactly one account", async () => {
  const username = uniqueUsername("rename");
  const users = await Promise.all(Array.from({ length: 8 }, () => registerUser(app.client)));
  const results = await Promise.all(
    users.map((user) => user.client.request(`mutation($u: String) { updateProfile(input: { username: $u }) { username } }`, { u: username })),
  );
  expect(codes(results)).toEqual(["OK", ...Array(7).fill("USERNAME_TAKEN")]);
});

it("keeps 20 concurrent sign-ups of different names apart", async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, () => app.client.request(REGISTER, { input: { username: uniqueUsername("many"), password: DEFAULT_PASSWORD } })),
  );
  expect(codes(results)).toEqual(Array(20).fill("OK"));
  const ids = new Set(results.map((r) => r.data.register.account.id));
  expect(ids.size).toBe(20);
});
