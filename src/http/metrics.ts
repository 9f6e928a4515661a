import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../core/metrics";
import { sha256Hex } from "../core/crypto";

/**
 * /metrics in Prometheus' text format, behind METRICS_TOKEN (`Authorization: Bearer <token>`); not
 * served at all without it. Digests of equal length make the comparison constant-time whatever the
 * length of what was sent.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  if (!token) return;
  const expected = Buffer.from(sha256Hex(`Bearer ${token}`), "hex");
  app.get("/metrics", async (req, reply) => {
    const sent = Buffer.from(sha256Hex(req.headers.authorization ?? ""), "hex");
    if (!timingSafeEqual(sent, expected)) {
      return reply
        .code(401)
        .header("WWW-Authenticate", 'Bearer realm="metrics"')
        .type("text/plain")
        .send("metrics need the METRICS_TOKEN bearer token\n");
    }
    return reply
      .header("Cache-Control", "no-store")
      .type(metrics.registry.contentType)
      .send(await metrics.registry.metrics());
  });
}
