// `npm run build:server`'s second step: bundles what tsc emitted for the server (dist/src/main.js and
// everything it requires, node_modules included) into one file, dist/server.js, and puts beside it
// dist/main.js (scripts/main-loader.js), which `npm start` runs: it runs the bundle with a V8 code cache.
// Start-up is CPU-bound, and most of it went to finding, reading and compiling about 2000 modules one
// by one. tsc stays the compiler (its decorator metadata is what type-graphql and TypeORM read);
// esbuild only joins and minifies its output, keeping the names type-graphql and TypeORM read from classes.
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

/**
 * Native addons stay in node_modules, required at run time (so do the drivers TypeORM requires by a
 * name it works out, whichever are installed).
 */
const EXTERNAL = ["better-sqlite3", "bcrypt", "pg-native"];

/**
 * esbuild leaves some characters beyond ASCII as they are (in regular expressions); one such character
 * makes V8 keep the whole source as two bytes a character, twice the heap. A \u escape means the same
 * character in a string, a template, a regular expression or an identifier, and nothing in a comment.
 */
function escapeNonAscii(code) {
  return code.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Bundles `<root>/dist/src/main.js` into `<root>/dist/server.js`, with the loader as `<root>/dist/main.js`. */
async function bundleServer(root) {
  const result = await esbuild.build({
    entryPoints: [path.join(root, "dist/src/main.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: EXTERNAL,
    minify: true,
    keepNames: true,
    charset: "ascii",
    write: false,
    logLevel: "error",
  });
  const [output] = result.outputFiles;
  fs.writeFileSync(path.join(root, "dist/server.js"), escapeNonAscii(output.text));
  fs.copyFileSync(path.join(__dirname, "main-loader.js"), path.join(root, "dist/main.js"));
  // Caches of earlier bundles can never match again.
  fs.rmSync(path.join(root, "dist/code-cache"), { recursive: true, force: true });
}

module.exports = { bundleServer, escapeNonAscii };

if (require.main === module) {
  bundleServer(process.argv[2] ?? path.join(__dirname, "..")).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
