import type { Circus } from "@jest/types";
import { TestEnvironment } from "jest-environment-node";

/**
 * Node's test environment, failing a test during which a library warned that something it did is
 * deprecated (pg's "a query sent on a connection still running one", an error in pg 9, was such a
 * warning, seen only in a log nobody read). Here because only the environment sees the real process:
 * the one a test file gets is a copy that warnings are not emitted on. Node warns once per process
 * for each deprecation, so the first test to trigger one fails.
 */
export default class NoDeprecationsEnvironment extends TestEnvironment {
  private readonly deprecations: string[] = [];
  private readonly onWarning = (warning: Error) => {
    if (warning.name === "DeprecationWarning") this.deprecations.push(warning.message);
  };

  override async setup(): Promise<void> {
    await super.setup();
    process.on("warning", this.onWarning);
  }

  override async teardown(): Promise<void> {
    process.off("warning", this.onWarning);
    await super.teardown();
  }

  handleTestEvent(event: Circus.Event): void {
    if (event.name !== "test_done" || this.deprecations.length === 0) return;
    event.test.errors.push(new Error(`deprecated use while this test ran: ${this.deprecations.splice(0).join("; ")}`));
  }
}
