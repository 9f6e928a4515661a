import type { FastifyReply } from "fastify";
import type { AppError } from "../errors";

/** An answer in GraphQL's error shape (as formatError gives it), for requests refused before Apollo sees them. */
export function sendError(reply: FastifyReply, status: number, error: AppError): FastifyReply {
  return reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send({ errors: [{ message: error.message, extensions: error.extensions }] });
}
