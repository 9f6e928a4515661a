import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Operation names are chosen by clients: past this many distinct ones, the rest count as "(other)". */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_]\w{0,63}$/;

/** pg's Pool counters, as TypeORM's PostgreSQL driver holds them (SQLite has no pool). */
export interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/**
 * The process's Prometheus metrics (prom-client), one registry per server so that several servers in
 * one test process keep apart. Parts of the server report through the small methods below; what is
 * read rather than counted (SMS budget, pool) is read at scrape time through the `watch*` callbacks.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  private readonly requests = new Counter({
    name: "graphql_requests_total",
    help: "GraphQL requests by operation name and outcome (the first error's extensions.code, or OK)",
    labelNames: ["operation", "code"] as const,
    registers: [this.registry],
  });

  private readonly requestSeconds = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL request to its answer, by operation name",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly authCache = new Counter({
    name: "auth_cache_lookups_total",
    help: "Authentication lookups (token to session or API key and account) answered from memory (hit) or the database (miss)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  private readonly accountRowsCache = new Counter({
    name: "account_rows_cache_lookups_total",
    help: "Reads of an account's page rows (identities, second factors, real-name check) answered from memory (hit) or the database (miss)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: "rate_limit_refusals_total",
    help: "Requests refused RATE_LIMITED, by limiter",
    labelNames: ["limiter"] as const,
    registers: [this.registry],
  });

  private readonly providerCalls = new Counter({
    name: "provider_calls_total",
    help: "Calls to email, SMS, OAuth and identity vendors, by vendor and outcome (ok, or the ProviderError code)",
    labelNames: ["vendor", "outcome"] as const,
    registers: [this.registry],
  });

  private readonly providerSeconds = new Histogram({
    name: "provider_call_duration_seconds",
    help: "Time a vendor call took, by vendor",
    labelNames: ["vendor"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The label an operation name is counted under; bounded, since clients choose the names. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return "(anonymous)";
    if (!OPERATION_NAME.test(name)) return "(other)";
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return "(other)";
    this.operations.add(name);
    return name;
  }

  observeRequest(operation: string, code: string, seconds: number): void {
    this.requests.inc({ operation, code });
    this.requestSeconds.observe({ operation }, seconds);
  }

  observeAuthCache(hit: boolean): void {
    this.authCache.inc({ result: hit ? "hit" : "miss" });
  }

  observeAccountRowsCache(hit: boolean): void {
    this.accountRowsCache.inc({ result: hit ? "hit" : "miss" });
  }

  observeRateLimited(limiter: string): void {
    this.rateLimited.inc({ limiter });
  }

  observeProviderCall(vendor: string, outcome: string, seconds: number): void {
    this.providerCalls.inc({ vendor, outcome });
    this.providerSeconds.observe({ vendor }, seconds);
  }

  watchSmsBudget(left: () => Promise<number>): void {
    new Gauge({
      name: "sms_budget_left",
      help: "SMS the deployment may still send today (SMS_DAILY_BUDGET minus today's sends)",
      registers: [this.registry],
      async collect() {
        this.set(await left());
      },
    });
  }

  watchPool(pool: () => PoolCounts | undefined): void {
    new Gauge({
      name: "db_pool_connections",
      help: "PostgreSQL pool connections: total open, idle, and requests waiting for one",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const counts = pool();
        if (!counts) return;
        this.set({ state: "total" }, counts.totalCount);
        this.set({ state: "idle" }, counts.idleCount);
        this.set({ state: "waiting" }, counts.waitingCount);
      },
    });
  }
}
