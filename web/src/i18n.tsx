import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { FieldProblem } from "./api";
import { errorMessage, fieldErrorMessage } from "./i18n/errors";
import type { Lang } from "./i18n/lang";
import { listOf, translate, type MessageKey } from "./i18n/messages";

const LANG_KEY = "account-center.lang";

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** An error code as a sentence, with the wait when the API gave one. */
  errorText: (code: string, retryAfterSeconds?: number) => string;
  /** A refused field as a sentence, from its code and params. */
  fieldErrorText: (problem: FieldProblem) => string;
  /** An ISO instant in the reader's time zone, or "never" for null. */
  dateTime: (iso: string | null | undefined) => string;
  /** Items as a list in the page's language. */
  list: (values: readonly string[]) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** zh-CN unless English was chosen before (kept in localStorage); keeps `<html lang>` and the title in step. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh-CN"));
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, "app.title");
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      errorText: (code, retryAfterSeconds) => errorMessage(code, lang, retryAfterSeconds),
      fieldErrorText: ({ code, params }) => fieldErrorMessage(code, params, lang),
      dateTime: (iso) => (iso ? format.format(new Date(iso)) : translate(lang, "common.never")),
      list: (values) => listOf(values, lang),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
