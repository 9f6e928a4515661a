import type { Clock } from "../../src/core/clock";

/** A clock the test moves by hand. Starts at the real time so rate-limit stores and tokens agree. */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceSeconds(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
