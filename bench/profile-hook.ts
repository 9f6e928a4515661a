/**
 * Preloaded into a server under test (`node -r dist/bench/profile-hook.js`): the first SIGUSR2
 * starts V8's CPU profiler, the second stops it and writes the profile to BENCH_PROFILE_FILE. So a
 * profile covers the measured seconds only, not start-up, warm-up and the cache's first misses,
 * which `node --cpu-prof` would mix in.
 */
import fs from "node:fs";
import { Session } from "node:inspector";

const file = process.env.BENCH_PROFILE_FILE;
if (!file) throw new Error("profile-hook: BENCH_PROFILE_FILE is not set");

const session = new Session();
session.connect();
let running = false;

process.on("SIGUSR2", () => {
  if (!running) {
    running = true;
    session.post("Profiler.enable", () => session.post("Profiler.start"));
    return;
  }
  running = false;
  session.post("Profiler.stop", (error, result) => {
    // Written under another name first, so the bench never reads half a file.
    fs.writeFileSync(`${file}.part`, JSON.stringify(error ? { error: error.message } : result.profile));
    fs.renameSync(`${file}.part`, file);
  });
});
