import type { FastifyInstance } from "fastify";
import type Redis from "ioredis";
import type { DataSource } from "typeorm";
import { PAST_DEADLINE, withinDeadline } from "../core/deadline";

/** How long /readyz waits for the database (and Redis) before calling it unreachable. */
const CHECK_DEADLINE_MS = 1000;

type Check = "ok" | "down" | "timeout";

async function within(work: () => Promise<unknown>): Promise<Check> {
  const check = await withinDeadline(
    work().then(
      (): Check => "ok",
      (): Check => "down",
    ),
    CHECK_DEADLINE_MS,
  );
  return check === PAST_DEADLINE ? "timeout" : check;
}

export interface HealthDeps {
  readonly dataSource: DataSource;
  /** Absent when REDIS_URL is not set. */
  readonly redis: Redis | undefined;
  /** True once the process is shutting down: a load balancer should send it nothing new. */
  readonly draining: () => boolean;
}

/**
 * /livez (and /healthz, its older name): the process runs; restart it when this fails.
 * /readyz: send it traffic; 503 while the database does not answer within a second, migrations are
 * pending, or the process is draining. Redis down is "degraded", not unready: rate limits and cache
 * clears fall back to this process meanwhile.
 */
export function registerHealth(app: FastifyInstance, { dataSource, redis, draining }: HealthDeps): void {
  const live = () => ({ ok: true });
  app.get("/livez", live);
  app.get("/healthz", live);

  const migrations = async (): Promise<string> => {
    const check = await within(async () => {
      if (await dataSource.showMigrations()) throw new Error("pending");
    });
    return check === "down" ? "pending" : check;
  };

  app.get("/readyz", async (_req, reply) => {
    const database = await within(() => dataSource.query("SELECT 1"));
    const checks = {
      database,
      migrations: database === "ok" ? await migrations() : "unknown",
      redis: redis ? ((await within(() => redis.ping())) === "ok" ? "ok" : "degraded") : "off",
    };
    const isDraining = draining();
    const ready = !isDraining && checks.database === "ok" && checks.migrations === "ok";
    return reply.code(ready ? 200 : 503).send({ status: isDraining ? "draining" : ready ? "ready" : "unready", checks });
  });
}
