/** The languages of the account center; zh-CN first, because it is the default (the seed console is Chinese). */
export const LANGS = ["zh-CN", "en"] as const;
export type Lang = (typeof LANGS)[number];
