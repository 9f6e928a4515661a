import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An error a test asks the fake vendor to answer with, once the request has passed the vendor's checks. */
export interface InjectedError {
  readonly code: string;
  readonly message: string;
}

/** How a test makes a fake vendor misbehave; each fault applies to the next request only. */
export interface FaultControls {
  /** The next request, once it passes the vendor's checks, answers this vendor error. */
  failNext(code: string, message?: string): void;
  /** The next request answers this HTTP status with a non-JSON body. */
  failNextWithStatus(status: number): void;
  /** The next request never answers (until stop). */
  hangNext(): void;
}

export interface VendorServer extends FaultControls {
  /** e.g. `http://127.0.0.1:PORT`, to use as the vendor's endpoint setting. */
  readonly url: string;
  /** Closes the server and any hung sockets. */
  stop(): Promise<void>;
}

export type VendorHandler = (request: IncomingMessage, response: ServerResponse, body: string, injected: InjectedError | undefined) => void;

type Fault = { kind: "error"; error: InjectedError } | { kind: "status"; status: number } | { kind: "hang" };

/**
 * A loopback HTTP server for a fake vendor. Status and hang faults are answered here, before any check;
 * an injected vendor error is handed to the vendor's handler, which answers it in the vendor's shape.
 */
export async function startVendorServer(handle: VendorHandler): Promise<VendorServer> {
  let nextFault: Fault | undefined;

  const server = createServer((request, response) => {
    const fault = nextFault;
    nextFault = undefined;
    if (fault?.kind === "hang") return;
    if (fault?.kind === "status") {
      response.writeHead(fault.status, { "Content-Type": "text/html" });
      response.end(`<html><body>HTTP ${fault.status}</body></html>`);
      return;
    }
    readBody(request)
      .then((body) => handle(request, response, body, fault?.error))
      .catch(() => {
        response.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    failNext(code, message = `${code} (injected by the fake)`) {
      nextFault = { kind: "error", error: { code, message } };
    },
    failNextWithStatus(status) {
      nextFault = { kind: "status", status };
    },
    hangNext() {
      nextFault = { kind: "hang" };
    },
    async stop() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
