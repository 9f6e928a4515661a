// `npm start`'s step for the account center: runs `npm run build:web` unless web/dist/index.html is
// newer than everything the build reads (web/ but its output and generated types, schema.graphql,
// package-lock.json). Modification times only; the server's side is tsc's own (`tsc -b`).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const INPUTS = ["web", "schema.graphql", "package-lock.json"];
/** Written by the build itself (or by codegen in `npm run typecheck`), never read as a source. */
const SKIP = new Set([path.join("web", "dist"), path.join("web", "src", "gql"), path.join("web", "node_modules")]);

function newestChange(root, relative) {
  const stat = fs.statSync(path.join(root, relative), { throwIfNoEntry: false });
  if (!stat || SKIP.has(relative)) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(path.join(root, relative)).map((name) => newestChange(root, path.join(relative, name))));
}

/** True when the account center in `root` must be built again. */
function webIsStale(root) {
  const built = fs.statSync(path.join(root, "web", "dist", "index.html"), { throwIfNoEntry: false });
  return !built || Math.max(...INPUTS.map((input) => newestChange(root, input))) > built.mtimeMs;
}

if (require.main === module) {
  const root = path.join(__dirname, "..");
  if (!webIsStale(root)) {
    console.log("account center up to date (web/dist)");
  } else {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    process.exit(spawnSync(npm, ["run", "build:web"], { cwd: root, stdio: "inherit" }).status ?? 1);
  }
}

module.exports = { webIsStale };
