import type { FastifyInstance } from "fastify";

/**
 * On close: stop accepting, close idle kept-alive sockets at once, and answer requests that still
 * arrive on busy ones (with `Connection: close`) rather than refusing them 503: those clients have
 * nowhere else to send them but a retry.
 */
export const DRAIN_OPTIONS = { forceCloseConnections: "idle", return503OnClosing: false } as const;

/**
 * Answers given while draining end their connection: a request in flight when the drain began would
 * otherwise leave its socket kept alive and idle, holding the close open until the client lets go.
 */
export function closeConnectionsWhileDraining(app: FastifyInstance, draining: () => boolean): void {
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (draining()) reply.header("Connection", "close");
    done(null, payload);
  });
}
