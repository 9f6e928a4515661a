import type { Logger } from "./logger";

/**
 * Work that must not delay or shape a response (a password-reset mail, a security notice), tracked so
 * shutdown waits for it. Failures are logged, never thrown at a client.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<void>): void {
    const promise = (async () => {
      try {
        await task();
      } catch (error) {
        this.logger.error({ err: error, task: name }, "background task failed");
      }
    })();
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Resolves when every task started so far has finished. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
