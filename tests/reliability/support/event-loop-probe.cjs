// Loaded into the real server with `node --require`: on SIGUSR2 it writes the event-loop delay seen
// since the last SIGUSR2 to $EVENT_LOOP_REPORT as JSON, then starts measuring afresh.
const fs = require("node:fs");
const { monitorEventLoopDelay } = require("node:perf_hooks");

let delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
process.on("SIGUSR2", () => {
  delay.disable();
  const report = { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 };
  delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  fs.writeFileSync(process.env.EVENT_LOOP_REPORT, JSON.stringify(report));
});
