import fs from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "../..");
const SCANNED = ["src", "tests", "docs", "README.md", "web/src", "scripts", "bench"];
const SKIPPED = new Set(["node_modules", "dist", "gql", "results"]);

/** Files a reader of the repository has: anything they are sent to must be among them. */
function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full)
    .filter((name) => !SKIPPED.has(name))
    .flatMap((name) => files(path.join(entry, name)));
}

/** Notes that live beside the repository, not in it; within docs/, providers.md is docs/providers.md itself. */
function outsideReferences(file: string, text: string): string[] {
  const patterns = [/\.\.\/shared\b/g, /\bdesign\.md\b/g];
  if (!file.startsWith(`docs${path.sep}`)) patterns.push(/(?<!docs\/)\bproviders\.md\b/g);
  return text
    .split("\n")
    .flatMap((line, index) => (patterns.some((pattern) => line.match(pattern)) ? [`${file}:${index + 1}: ${line.trim()}`] : []));
}

describe("the repository refers to nothing outside it", () => {
  it("cites docs/ for vendor facts and design choices, never notes kept beside the repository", () => {
    // This file names the references it looks for.
    const scanned = SCANNED.flatMap(files).filter((file) => file !== path.relative(ROOT, __filename));
    expect(scanned.length).toBeGreaterThan(100);
    expect(scanned.flatMap((file) => outsideReferences(file, fs.readFileSync(path.join(ROOT, file), "utf8")))).toEqual([]);
  });

  it("catches each kind of reference", () => {
    expect(outsideReferences("src/a.ts", "// see providers.md 3.7")).toHaveLength(1);
    expect(outsideReferences("src/a.ts", "// see ../shared/notes")).toHaveLength(1);
    expect(outsideReferences("README.md", "Deviations from design.md")).toHaveLength(1);
    expect(outsideReferences("src/a.ts", "// docs/providers.md §3.7")).toEqual([]);
    expect(outsideReferences(path.join("docs", "api.md"), "[providers](providers.md)")).toEqual([]);
  });
});
