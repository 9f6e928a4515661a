// dist/main.js, what `npm start` runs (copied there by scripts/bundle-server.js): runs the bundled
// server, dist/server.js, with a V8 code cache. Compiling is most of what start-up spends: with the
// cache V8 skips parsing the 5 MB bundle and compiling each function start-up calls. Node 20 has no
// module.enableCompileCache (22.1+), so this is its few lines: the cache is written when a process
// ends (it then holds every function that process compiled) if there was none it could use, and is
// read by the next one. Its name hashes the source, Node's version and the flags, which V8 requires
// to match (it would check only the source's length); a cache that cannot be written is skipped.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const file = path.join(__dirname, "server.js");
// The bundle is ASCII: latin1 reads it straight into a one-byte string.
const source = fs.readFileSync(file, "latin1");
const key = crypto
  .createHash("sha256")
  .update(`${process.version}\0${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}\0`)
  .update(source)
  .digest("hex")
  .slice(0, 32);
const cacheFile = path.join(__dirname, "code-cache", `${key}.bin`);
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  // Only while compiling: it takes as much memory as the source.
  cachedData: readCache(cacheFile),
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (script.cachedDataRejected !== false) {
  // Missing (the first start after a build, or with other flags) or rejected: this process writes one.
  process.once("exit", () => {
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile); // whole, even with other processes writing it too
    } catch {
      fs.rmSync(temporary, { force: true }); // a read-only install starts without the cache
    }
  });
}
script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, __dirname);

function readCache(at) {
  try {
    return fs.readFileSync(at);
  } catch {
    return undefined;
  }
}
