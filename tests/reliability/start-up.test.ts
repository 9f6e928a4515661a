import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIGRATIONS } from "../../src/db/migrations";
import { registerSteppedUp, registerUser } from "../helpers/accounts";
import { freePort } from "../helpers/free-port";
import { GraphQLClient } from "../helpers/graphql-client";
import { CONFIRM_TOTP, START_TOTP } from "../helpers/second-factors";
import { TEST_DATABASE } from "../helpers/databases";
import { totp } from "../helpers/totp";
import { openDb } from "./support/db";
import { startPrivatePostgres, type PrivatePostgres } from "./support/private-services";
import { buildServer, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * How the real server (`node dist/src/main.js`) starts, as an operator starts it: several processes
 * at once on a schema that does not exist yet (one migrates under an advisory lock, all serve), two
 * development processes in different folders sharing the generated data key through the database,
 * and a `.env` file in the working folder. On a PostgreSQL cluster of the test's own; in the
 * PostgreSQL pass only (TEST_DATABASE=postgres), since it does not depend on the pass's database.
 */

const TEST_KEY = "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=";

if (TEST_DATABASE !== "postgres") {
  console.warn("start-up.test.ts: SKIPPED. It runs in the PostgreSQL pass: TEST_DATABASE=postgres npm run test:reliability.");
}

(TEST_DATABASE === "postgres" ? describe : describe.skip)(
  "starting real processes (TEST_DATABASE=postgres only; skipped on SQLite)",
  () => {
    let built: BuiltServer;
    let postgres: PrivatePostgres;
    const running: ServerProcess[] = [];
    const folders: string[] = [];
    let schemaCount = 0;

    /** A working folder of its own, like a second checkout or deployment directory. */
    function folder(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "account-start-up-"));
      folders.push(dir);
      return dir;
    }

    function freshSchema(): string {
      schemaCount += 1;
      return `start_up_${schemaCount}`;
    }

    async function start(env: Record<string, string>, cwd = folder()): Promise<ServerProcess> {
      // Generous: four processes starting at once on a busy 2-core machine.
      const server = await startServerProcess(
        built.mainJs,
        { LOG_LEVEL: "info", BCRYPT_COST: "4", ...env },
        path.join(cwd, "server.log"),
        90_000,
      );
      running.push(server);
      return server;
    }

    beforeAll(async () => {
      [built, postgres] = await Promise.all([Promise.resolve().then(buildServer), startPrivatePostgres()]);
    }, 180_000);

    afterAll(async () => {
      await Promise.all(running.map((server) => server.kill()));
      await postgres?.remove();
      built?.remove();
      for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it("starts four processes at once on a schema that does not exist yet: all serve, each migration applied once", async () => {
      const schema = freshSchema();
      const ports = await Promise.all([1, 2, 3, 4].map(() => freePort()));
      const servers = await Promise.all(
        ports.map((port) =>
          start({
            NODE_ENV: "test",
            PORT: String(port),
            DATABASE_URL: postgres.url,
            DATABASE_SCHEMA: schema,
            DATA_ENCRYPTION_KEY: TEST_KEY,
          }),
        ),
      );
      for (const server of servers) {
        const user = await registerUser(new GraphQLClient(server.url));
        expect(user.id).toBeTruthy();
      }
      const db = await openDb({ DATABASE_URL: postgres.url, DATABASE_SCHEMA: schema });
      try {
        const rows = await db.all<{ name: string }>("SELECT name FROM migrations ORDER BY id");
        expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      } finally {
        await db.close();
      }
      const logs = servers.map((server) => fs.readFileSync(server.logFile, "utf8"));
      // Exactly one of them applied the migrations; the others found none pending.
      expect(logs.filter((log) => /"migrationsApplied":\["/.test(log))).toHaveLength(1);
    });

    it("shares the generated development key between two processes in different folders through the database", async () => {
      const schema = freshSchema();
      // Development, no DATA_ENCRYPTION_KEY: each generates or finds the development key.
      const dev = { NODE_ENV: "development", DATABASE_URL: postgres.url, DATABASE_SCHEMA: schema };
      const first = await start({ ...dev, PORT: String(await freePort()) });
      const second = await start({ ...dev, PORT: String(await freePort()) });
      // The authenticator secret is sealed by the first process and read back by the second.
      const user = await registerSteppedUp(new GraphQLClient(first.url));
      const { startTotpEnrollment } = await user.client.ok(START_TOTP);
      const onSecond = new GraphQLClient(second.url).as(user.token);
      const { confirmTotpEnrollment } = await onSecond.ok(CONFIRM_TOTP, { code: totp(startTotpEnrollment.enrollment.secret, new Date()) });
      expect(confirmTotpEnrollment.recoveryCodes).toHaveLength(10);
    });

    it("reads .env from its working folder, and a variable set in the environment wins over the file", async () => {
      const cwd = folder();
      fs.writeFileSync(
        path.join(cwd, ".env"),
        [
          "NODE_ENV=test",
          `DATA_ENCRYPTION_KEY=${TEST_KEY}`,
          `DATABASE_URL=sqlite:${path.join(cwd, "account.sqlite")}`,
          "GRAPHQL_MAX_DEPTH=2",
          "PORT=1", // the environment's PORT must win, or the server cannot listen
        ].join("\n"),
      );
      const server = await start({ PORT: String(await freePort()) }, cwd);
      const response = await new GraphQLClient(server.url).request("{ me { security { hasPassword } } }");
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(["QUERY_TOO_COMPLEX"]);
      expect(fs.existsSync(path.join(cwd, "account.sqlite"))).toBe(true);
    });
  },
);
