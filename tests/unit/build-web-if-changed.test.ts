import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The plain-JS script `npm start` runs before anything is compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JS without types: required with its type
const { webIsStale } = require("../../scripts/build-web-if-changed.js") as { webIsStale: (root: string) => boolean };

describe("npm start's up-to-date check for the account center", () => {
  let root: string;
  /** Writes a file `secondsAgo`; a new entry also changes its folders then, unless they were there (`newEntry` false). */
  const write = (relative: string, secondsAgo: number, newEntry = true) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, relative);
    const at = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, at, at);
    for (let dir = path.dirname(file); newEntry && dir.startsWith(root) && dir !== root; dir = path.dirname(dir))
      fs.utimesSync(dir, at, at);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "web-stale-"));
    write("web/src/main.tsx", 100);
    write("web/index.html", 100);
    write("schema.graphql", 100);
    write("package-lock.json", 100);
    write("web/src/gql/graphql.ts", 100);
    write("web/dist/index.html", 50);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("skips the build when nothing changed since it", () => {
    expect(webIsStale(root)).toBe(false);
  });

  it("builds when a source, the schema or the lockfile is newer, or when there is no build", () => {
    write("web/src/pages/Profile.tsx", 10);
    expect(webIsStale(root)).toBe(true);
    write("web/dist/index.html", 5);
    expect(webIsStale(root)).toBe(false);
    write("schema.graphql", 1);
    expect(webIsStale(root)).toBe(true);
    write("web/dist/index.html", 0);
    write("package-lock.json", -5);
    expect(webIsStale(root)).toBe(true);
    fs.rmSync(path.join(root, "web/dist"), { recursive: true });
    expect(webIsStale(root)).toBe(true);
  });

  it("does not count what the build and codegen write themselves", () => {
    write("web/src/gql/graphql.ts", 1, false);
    write("web/dist/assets/index.js", 1, false);
    expect(webIsStale(root)).toBe(false);
  });
});
