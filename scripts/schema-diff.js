// `npm run schema:diff` (and .ci/run): the changes from schema.released.graphql, the last announced
// API, to schema.graphql; fails on a breaking one. To break the API on purpose, update
// schema.released.graphql in the same change, with a changelog entry (docs/api-changelog.md).
const fs = require("node:fs");
const path = require("node:path");
const { buildSchema } = require("graphql");
const { diff, CriticalityLevel } = require("@graphql-inspector/core");

const ROOT = path.join(__dirname, "..");

/** Every change from `released` to `current` (schema file paths), each `{ level, message }`. */
async function schemaChanges(released = path.join(ROOT, "schema.released.graphql"), current = path.join(ROOT, "schema.graphql")) {
  const load = (file) => buildSchema(fs.readFileSync(file, "utf8"));
  const changes = await diff(load(released), load(current));
  return changes.map((change) => ({ level: change.criticality.level, message: change.message }));
}

const isBreaking = (change) => change.level === CriticalityLevel.Breaking;

if (require.main === module) {
  void schemaChanges().then((changes) => {
    for (const change of changes) console.log(`${isBreaking(change) ? "BREAKING" : change.level.toLowerCase()}: ${change.message}`);
    const breaking = changes.filter(isBreaking).length;
    if (breaking) {
      console.error(
        `${breaking} breaking change(s) from schema.released.graphql: announce them (docs/api-changelog.md) or keep the API compatible`,
      );
      process.exitCode = 1;
    } else {
      console.log(`schema.graphql is compatible with schema.released.graphql (${changes.length} change(s))`);
    }
  });
}

module.exports = { schemaChanges, isBreaking };
