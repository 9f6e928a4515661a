import { z } from "zod";

/**
 * The builders every settings definition uses: one zod schema per environment variable, carrying its
 * description and default for the generated settings table (docs/configuration.md). An issue's message
 * leaves out the variable's name; `settingProblems` puts it in front, from the issue's path.
 */

export interface SettingDoc {
  /** What the setting means, in Markdown: the settings table's "meaning" column. */
  readonly description: string;
  /** The "default" column, in Markdown; builders with a fallback fill it in from that. */
  readonly default?: string;
}

// Settings are parsed once per process: zod's compiled object parsers (built with `new Function` on
// first use) cost more to build than they save, ~15 of the ~26 ms of CPU that loading them takes.
z.config({ jitless: true });

/** Every setting's documentation, keyed by its schema. */
export const settingDocs = z.registry<SettingDoc>();

/** A group of settings: one table, under this title, in the settings documentation. */
export const settingGroupDocs = z.registry<{ readonly title: string; readonly description?: string }>();

/** Where a group's transform records its problems. */
export type Issues = z.core.$RefinementCtx["issues"];

/** What a shape of settings parses to. */
export type SettingValues<S extends z.core.$ZodLooseShape> = z.output<z.ZodObject<S>>;

/** Records a problem with `name`; the message continues the sentence that starts with the name. */
export function problem(issues: Issues, name: string, message: string, input: unknown): void {
  issues.push({ code: "custom", message, input, path: [name] });
}

/** A setting that another setting's choice makes necessary: an empty string (and a problem) when it is missing. */
export function required(issues: Issues, values: Record<string, string | undefined>, name: string, because: string): string {
  const value = values[name];
  if (value === undefined) problem(issues, name, `is required when ${because}`, value);
  return value ?? "";
}

const code = (text: string) => `\`${text}\``;

/**
 * One environment variable (unset and empty both mean "not given"), parsed by `parse`, which calls
 * `report` for each problem: a sentence that follows the variable's name.
 */
export function setting<T>(parse: (raw: string | undefined, report: (message: string) => void) => T, doc: SettingDoc) {
  return z
    .preprocess(
      (raw) => (raw === "" ? undefined : raw),
      z
        .string()
        .optional()
        .transform((raw, ctx) => parse(raw, (message) => ctx.issues.push({ code: "custom", message, input: raw }))),
    )
    .register(settingDocs, doc);
}

/** Free text: `fallback` (perhaps "decided elsewhere": undefined) when not given, else checked by `check` when there is one. */
export function text<F extends string | undefined>(
  fallback: F,
  doc: SettingDoc,
  check?: { readonly test: (raw: string) => boolean; readonly message: (raw: string) => string },
) {
  return setting(
    (raw, report): string | F => {
      if (raw !== undefined && check && !check.test(raw)) report(check.message(raw));
      return raw ?? fallback;
    },
    { default: fallback === undefined ? "unset" : code(fallback), ...doc },
  );
}

export function int(min: number, max: number, fallback: number, doc: SettingDoc) {
  return setting(
    (raw, report) => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || value < min || value > max) report(`must be an integer from ${min} to ${max} (got "${raw}")`);
      return value;
    },
    { default: code(String(fallback)), ...doc },
  );
}

/** `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`; `fallback` (perhaps "decided elsewhere": undefined) when not given. */
export function bool<F extends boolean | undefined>(fallback: F, doc: SettingDoc) {
  return setting(
    (raw, report): boolean | F => {
      if (raw === undefined) return fallback;
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (!/^(0|false|no|off)$/i.test(raw)) report(`must be true or false (got "${raw}")`);
      return false;
    },
    { default: fallback === undefined ? undefined : code(String(fallback)), ...doc },
  );
}

export function oneOf<const T extends string, F extends T | undefined>(allowed: readonly T[], fallback: F, doc: SettingDoc) {
  return setting(
    (raw, report): T | F => {
      if (raw === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(raw)) report(`must be one of ${allowed.join(", ")} (got "${raw}")`);
      return raw as T;
    },
    { default: fallback === undefined ? undefined : code(fallback), ...doc },
  );
}

/** "points per duration": e.g. 10 failures per 900 s. */
export interface RateLimit {
  readonly points: number;
  readonly durationSeconds: number;
}

/** `POINTS/SECONDS`, e.g. `10/900`. */
export function rateLimit(points: number, durationSeconds: number, doc: SettingDoc) {
  return setting(
    (raw, report): RateLimit => {
      if (raw === undefined) return { points, durationSeconds };
      const match = /^(\d+)\/(\d+)$/.exec(raw);
      if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) report(`must look like POINTS/SECONDS, e.g. 10/900 (got "${raw}")`);
      return { points: Number(match?.[1]), durationSeconds: Number(match?.[2]) };
    },
    { default: code(`${points}/${durationSeconds}`), ...doc },
  );
}

/** A group of settings read from the same environment, documented under `title`. */
export function settingsGroup<S extends z.core.$ZodLooseShape>(title: string, shape: S, description?: string) {
  return z.object(shape).register(settingGroupDocs, { title, description });
}

/** One line per problem, each starting with the setting it is about (cross-setting rules say it themselves). */
export function settingProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.at(-1);
    return typeof name === "string" && /^[A-Z0-9_]+$/.test(name) ? `${name} ${issue.message}` : issue.message;
  });
}
