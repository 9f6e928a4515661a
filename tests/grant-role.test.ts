import { createServer, type Server, type Socket } from "node:net";
import { AccountEntity } from "../src/entities";
import { grantRoleCommand } from "../src/scripts/grant-role";
import { registerUser } from "./helpers/accounts";
import { sameDatabaseAs, startTestApp, type TestApp } from "./helpers/test-server";

/**
 * `npm run account:grant-role` tells the servers through REDIS_URL; a Redis that accepts the
 * connection and then never answers (frozen, or a wrong port of another service) must not keep it
 * waiting for ever.
 */
let app: TestApp;
let hung: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  app = await startTestApp();
  hung = createServer((socket) => void sockets.push(socket)); // reads nothing, answers nothing
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hung.close(resolve));
  await app.stop();
});

it("grants the role, then fails with a clear message when Redis accepts the connection and never answers", async () => {
  const user = await registerUser(app.client);
  const { port } = hung.address() as { port: number };
  const errors: string[] = [];
  const error = jest.spyOn(console, "error").mockImplementation((message: string) => void errors.push(message));
  try {
    const env = { NODE_ENV: "test", ...sameDatabaseAs(app), REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: "200" };
    expect(await grantRoleCommand([user.username], env)).toBe(3);
  } finally {
    error.mockRestore();
  }
  expect(sockets.length).toBeGreaterThan(0); // it did reach the fake
  expect(errors.join("\n")).toMatch(/now has the SUPPORT role, but Redis \(REDIS_URL\) could not be reached or did not answer in time/);
  expect((await app.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: user.id })).roles).toContain("SUPPORT");
});
