import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { createTestDatabase, TEST_DATABASE, type TestDatabase } from "../helpers/databases";
import { buildServer, realServerEnv, startServerProcess, type BuiltServer, type ServerProcess } from "./support/real-server";

/**
 * SIGTERM drains: the process stops accepting, answers what is in flight (also requests that arrive on
 * connections kept alive), closes idle sockets and exits 0. Two real processes (`node dist/src/main.js`)
 * behind a small round-robin proxy, restarted one after the other under load, lose no request.
 *
 * The proxy does what a load balancer does and no more: it sends requests only to processes whose
 * `/readyz` answered 200 when it last looked (every 50 ms), a connection refused goes to the other
 * process, and so does a request whose kept-alive socket the server closed before reading it (Node's
 * `request.reusedSocket` rule; nothing of the request reached the server). Any other failure, and any
 * 5xx, counts as lost: also a new connection reset because it was still in the kernel's queue when
 * the listener closed, which SHUTDOWN_DELAY_SECONDS is there to prevent. SQLite: a database file per
 * process (the load needs no shared rows); PostgreSQL: one fresh schema shared by both.
 */

/** Sign-ups and sign-ins of the load all come from 127.0.0.1; unready for a second before the listener closes. */
const BACKEND_SETTINGS = { RATE_LIMIT_REGISTER_IP: "100000/3600", RATE_LIMIT_LOGIN_IP: "100000/900", SHUTDOWN_DELAY_SECONDS: "1" };

const LOAD = JSON.stringify({ query: "query Load { me { id } }" });
const WORKERS = 8;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Backend {
  readonly env: Record<string, string>;
  readonly logFile: string;
  process?: ServerProcess;
}

/** Forwards each request to the next ready backend, over kept-alive connections; a retry goes to the other one. */
async function startProxy(ports: number[]): Promise<{ url: string; retries: number; stop(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let next = 0;
  const state = { retries: 0 };
  const ready = ports.map(() => true);
  const checks = setInterval(() => {
    ports.forEach((port, i) => {
      fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
        (answer) => (ready[i] = answer.status === 200),
        () => (ready[i] = false),
      );
    });
  }, 50);
  const forward = (body: Buffer, req: http.IncomingMessage, res: http.ServerResponse, index: number, attempt: number) => {
    // The next ready one, or the next one when none looks ready (a refusal sends the request on).
    const pick = ports.map((_, step) => (index + step) % ports.length).find((i) => ready[i]) ?? index % ports.length;
    const port = ports[pick];
    const upstream = http.request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      const neverReached = error.code === "ECONNREFUSED" || (upstream.reusedSocket && error.code === "ECONNRESET");
      if (neverReached && attempt < 6 && !res.headersSent) {
        state.retries++;
        setTimeout(() => forward(body, req, res, pick + 1, attempt + 1), 20);
      } else if (!res.headersSent) {
        res.writeHead(502).end(`proxy: ${error.code}`);
      } else {
        res.destroy();
      }
    });
    upstream.end(body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => forward(Buffer.concat(chunks), req, res, next++, 0));
  });
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get retries() {
      return state.retries;
    },
    stop: async () => {
      clearInterval(checks);
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("graceful drain", () => {
  let build: BuiltServer;
  const databases: TestDatabase[] = [];
  const backends: Backend[] = [];

  beforeAll(async () => {
    build = buildServer();
    const shared = TEST_DATABASE === "postgres" ? await createTestDatabase() : undefined;
    if (shared) databases.push(shared);
    for (let i = 0; i < 2; i++) {
      const database = shared ?? (await createTestDatabase());
      if (!shared) databases.push(database);
      backends.push({ env: await realServerEnv(database.env, BACKEND_SETTINGS), logFile: path.join(build.dir, `server-${i}.log`) });
    }
  }, 150_000);

  afterAll(async () => {
    for (const backend of backends) await backend.process?.kill();
    for (const database of databases) await database.drop();
    build?.remove();
  });

  it("loses no request while two processes behind a proxy are restarted one after the other under load", async () => {
    // One at a time: both migrating one empty schema at once is issue 17's start-up race, not this test's.
    for (const backend of backends) backend.process = await startServerProcess(build.mainJs, backend.env, backend.logFile);
    const proxy = await startProxy(backends.map((backend) => Number(backend.env.PORT)));
    const lost: string[] = [];
    let answered = 0;
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const response = await fetch(proxy.url, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: "Bearer ses_nobody" },
            body: LOAD,
          });
          const body = (await response.json()) as { data?: { me: null } };
          if (response.status === 200 && body.data?.me === null) answered++;
          else lost.push(`HTTP ${response.status} ${JSON.stringify(body)}`);
        } catch (error) {
          lost.push(String(error));
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    const exits: string[] = [];
    try {
      await sleep(1000);
      for (const backend of backends) {
        const before = answered;
        exits.push(await backend.process!.stop(30_000));
        await sleep(500); // the other one carries the load alone
        backend.process = await startServerProcess(build.mainJs, backend.env, backend.logFile);
        await sleep(1000);
        expect(answered).toBeGreaterThan(before);
      }
    } finally {
      running = false;
      await load;
      await proxy.stop();
    }
    expect(lost).toEqual([]);
    expect(exits).toEqual(["0", "0"]);
    expect(answered).toBeGreaterThan(100);
  });

  it("goes on answering, unready and closing each connection, for SHUTDOWN_DELAY_SECONDS after SIGTERM, then exits 0", async () => {
    const backend = backends[1];
    await backend.process?.stop();
    const env: Record<string, string> = { ...backend.env, SHUTDOWN_DELAY_SECONDS: "2" };
    backend.process = await startServerProcess(build.mainJs, env, backend.logFile);
    const origin = `http://127.0.0.1:${env.PORT}`;
    const signalled = Date.now();
    const exited = backend.process.stop(60_000);
    await sleep(300);
    const readyz = await fetch(`${origin}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ status: "draining" });
    const answer = await fetch(`${origin}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: LOAD });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("connection")).toBe("close");
    expect(await answer.json()).toEqual({ data: { me: null } });
    expect(await exited).toBe("0");
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
  });

  it("answers a slow request in flight at SIGTERM, refuses new connections meanwhile, and exits 0", async () => {
    const backend = backends[0];
    await backend.process?.stop();
    // bcrypt at cost 14 takes a second or more: long enough to send SIGTERM while the login runs.
    const env: Record<string, string> = { ...backend.env, BCRYPT_COST: "14", SHUTDOWN_DELAY_SECONDS: "0" };
    backend.process = await startServerProcess(build.mainJs, env, backend.logFile);
    const origin = `http://127.0.0.1:${env.PORT}`;
    const call = (query: string, variables: Record<string, unknown>) =>
      fetch(`${origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
    const credentials = { username: `drain_${Date.now()}`, password: "correct horse battery staple" };
    expect((await call("mutation($input: RegisterInput!) { register(input: $input) { token } }", { input: credentials })).status).toBe(200);

    const login = call("mutation($input: LoginInput!) { login(input: $input) { result { __typename ... on AuthPayload { token } } } }", {
      input: { identifier: credentials.username, password: credentials.password },
    });
    await sleep(300);
    const exited = backend.process.stop(60_000);
    await sleep(100);
    await expect(fetch(`${origin}/livez`)).rejects.toThrow();
    const answer = await login;
    const answeredAt = Date.now();
    expect(answer.status).toBe(200);
    // Its connection ends with the answer: nothing kept alive holds the drain open until the grace.
    expect(answer.headers.get("connection")).toBe("close");
    const body = (await answer.json()) as { data?: { login: { result: { __typename: string; token?: string } } } };
    expect(body.data?.login.result.token).toMatch(/^ses_/);
    expect(await exited).toBe("0");
    expect(Date.now() - answeredAt).toBeLessThan(5000);
  });
});
