import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { settingGroups } from "../config";
import { settingDocs, settingGroupDocs } from "../core/env-settings";

/** In docs/configuration.md the tables sit between these markers; the rest of the page is written by hand. */
const START = "<!-- settings:start: generated from the definitions by `npm run docs:settings`; do not edit -->";
const END = "<!-- settings:end -->";

const cell = (markdown: string) => markdown.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One table per group of settings, in the order src/config.ts composes them, each row from a setting's definition. */
export function settingsTables(): string {
  return Object.values(settingGroups)
    .map((group) => {
      const object = group instanceof z.ZodPipe ? (group.in as z.ZodObject) : group;
      const meta = settingGroupDocs.get(object);
      if (!meta) throw new Error("a settings group without a title: build it with settingsGroup()");
      const rows = Object.entries(object.shape).map(([name, schema]) => {
        const doc = settingDocs.get(schema as z.ZodType);
        if (!doc) throw new Error(`${name} has no description: define it with the builders of src/core/env-settings.ts`);
        return `| \`${name}\` | ${cell(doc.description)} | ${cell(doc.default ?? "")} |`;
      });
      const intro = meta.description ? `${meta.description}\n\n` : "";
      return `### ${meta.title}\n\n${intro}| name | meaning | default |\n|---|---|---|\n${rows.join("\n")}\n`;
    })
    .join("\n");
}

/** `markdown` with the generated tables between the markers (which must be there). */
export function withSettingsTables(markdown: string): string {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/configuration.md lacks the markers ${START} ... ${END}`);
  return `${markdown.slice(0, start + START.length)}\n\n${settingsTables()}\n${markdown.slice(end)}`;
}

if (require.main === module) {
  // npm runs scripts in the package's folder.
  const file = path.resolve("docs/configuration.md");
  fs.writeFileSync(file, withSettingsTables(fs.readFileSync(file, "utf8")));
  console.log(`wrote ${file}`);
}
