import type { ErrorCode, FieldErrorCode, FieldErrorParams } from "../gql/schema";
import type { Lang } from "./lang";
import { listOf } from "./messages";

/**
 * What the person reads for every `extensions.code` the API can answer (the schema's ErrorCode enum,
 * so a code without a sentence does not compile), plus the client's own NETWORK_ERROR. Plain data, no DOM.
 */
export const ERROR_MESSAGES: Record<ErrorCode | "NETWORK_ERROR", Record<Lang, string>> = {
  BAD_USER_INPUT: {
    "zh-CN": "部分内容填写有误，请按提示修改。",
    en: "Some of what you entered is not valid; see the notes below the fields.",
  },
  UNAUTHENTICATED: { "zh-CN": "登录已失效，请重新登录。", en: "Your session has ended; please sign in again." },
  FORBIDDEN: { "zh-CN": "你没有权限执行此操作。", en: "You are not allowed to do this." },
  NOT_FOUND: { "zh-CN": "找不到该账号。", en: "There is no such account." },
  INVALID_CREDENTIALS: { "zh-CN": "账号或密码不正确。", en: "The sign-in name or password is not correct." },
  USERNAME_TAKEN: { "zh-CN": "该用户名已被使用，请换一个。", en: "That username is already in use; choose another." },
  CODE_INVALID: { "zh-CN": "验证码不正确，或已被使用。", en: "The code is not correct, or it was already used." },
  CODE_EXPIRED: { "zh-CN": "验证码已过期，请重新获取。", en: "The code has expired; request a new one." },
  TOO_MANY_ATTEMPTS: { "zh-CN": "错误次数过多，请重新获取验证码。", en: "Too many wrong attempts; request a new code." },
  RATE_LIMITED: { "zh-CN": "操作过于频繁，请稍后再试。", en: "Too many attempts; please try again later." },
  IDENTITY_TAKEN: { "zh-CN": "该地址或账号已绑定到其他用户。", en: "That address or account is already bound to another user." },
  IDENTITY_NOT_BOUND: {
    "zh-CN": "该第三方账号尚未绑定任何用户：请用其他方式登录后，在账号设置中绑定。",
    en: "No account is bound to this provider account yet: sign in another way and bind it in account settings.",
  },
  IDENTITY_COOLING: {
    "zh-CN": "该第三方账号是在未验证身份的情况下绑定的，冷却期结束前不能用于登录，请先用其他方式登录。",
    en: "This provider account was bound without a verification and cannot sign in until its cool-down ends; sign in another way for now.",
  },
  LAST_SIGN_IN_METHOD: {
    "zh-CN": "这是账号唯一的登录方式，请先添加其他方式再移除。",
    en: "This is the last way to sign in; add another before removing it.",
  },
  STEP_UP_REQUIRED: { "zh-CN": "此操作需要先验证身份。", en: "Verify your identity before this change." },
  PROVIDER_UNAVAILABLE: { "zh-CN": "服务商暂时无法访问，请稍后再试。", en: "The provider could not be reached; try again later." },
  PROVIDER_ERROR: { "zh-CN": "服务商拒绝了请求，请重试。", en: "The provider refused the request; please try again." },
  REAL_NAME_REQUIRED: { "zh-CN": "请先完成实名认证。", en: "Real-name verification is required first." },
  ALREADY_VERIFIED: { "zh-CN": "此账号已通过实名认证。", en: "Real-name verification has already passed on this account." },
  QUERY_TOO_COMPLEX: { "zh-CN": "请求过于复杂，请减少查询的字段。", en: "The request is too deep or too costly." },
  QUERY_TOO_LARGE: { "zh-CN": "请求内容过长。", en: "The request is too long." },
  INTERNAL_SERVER_ERROR: { "zh-CN": "服务出错了，请稍后再试。", en: "Something went wrong on our side; try again later." },
  SERVICE_UNAVAILABLE: { "zh-CN": "所需的服务暂时没有响应，请稍后再试。", en: "A service this needs is not answering; try again shortly." },
  BAD_REQUEST: { "zh-CN": "请求格式不正确。", en: "The request is not valid." },
  GRAPHQL_PARSE_FAILED: {
    "zh-CN": "请求无法解析，请刷新页面后重试。",
    en: "The request could not be read; reload the page and try again.",
  },
  GRAPHQL_VALIDATION_FAILED: {
    "zh-CN": "页面版本与服务不一致，请刷新页面。",
    en: "This page does not match the server's version; reload the page.",
  },
  PERSISTED_QUERY_NOT_FOUND: {
    "zh-CN": "请求已失效，请刷新页面后重试。",
    en: "The request is no longer known; reload the page and try again.",
  },
  OPERATION_RESOLUTION_FAILURE: { "zh-CN": "请求中的操作无法确定。", en: "The request names no operation the server can run." },
  NETWORK_ERROR: { "zh-CN": "无法连接到服务，请检查网络后重试。", en: "Cannot reach the server; check your connection and try again." },
};

/** The message for `code`, falling back to INTERNAL_SERVER_ERROR's for a code this table does not know (a newer server's). */
export function errorMessage(code: string, lang: Lang, retryAfterSeconds?: number): string {
  const message = (ERROR_MESSAGES[code as ErrorCode] ?? ERROR_MESSAGES.INTERNAL_SERVER_ERROR)[lang];
  if (retryAfterSeconds === undefined) return message;
  return lang === "zh-CN" ? `${message}（${retryAfterSeconds} 秒后可重试）` : `${message} (You can try again in ${retryAfterSeconds} s.)`;
}

type Params = FieldErrorParams;
type Say = (params: Params) => string;
const list = (values: readonly string[] | null | undefined, lang: Lang) => listOf(values ?? [], lang);

/**
 * What the person reads under a field for every FieldErrorCode (again checked by the compiler against
 * the schema), worded with the code's params, plus the page's own CONFIRMATION_MISMATCH.
 */
export const FIELD_ERROR_MESSAGES: Record<FieldErrorCode | "CONFIRMATION_MISMATCH", Record<Lang, Say>> = {
  REQUIRED: { "zh-CN": () => "此项必填。", en: () => "This is required." },
  WRONG_TYPE: { "zh-CN": () => "格式不正确。", en: () => "This has the wrong format." },
  UNKNOWN_FIELD: { "zh-CN": () => "包含无法识别的内容。", en: () => "This holds something the server does not know." },
  NOT_ONE_OF: {
    "zh-CN": (p) => (p.allowed?.length ? `只能是以下之一：${list(p.allowed, "zh-CN")}。` : "不是允许的选项。"),
    en: (p) => (p.allowed?.length ? `Must be one of: ${list(p.allowed, "en")}.` : "This is not one of the allowed choices."),
  },
  TOO_SHORT: { "zh-CN": (p) => `至少 ${p.min} 个字符。`, en: (p) => `Use at least ${p.min} characters.` },
  TOO_LONG: { "zh-CN": (p) => `最多 ${p.max} 个字符。`, en: (p) => `Use at most ${p.max} characters.` },
  TOO_SMALL: { "zh-CN": (p) => `不能小于 ${p.min}。`, en: (p) => `Must be at least ${p.min}.` },
  TOO_LARGE: { "zh-CN": (p) => `不能大于 ${p.max}。`, en: (p) => `Must be at most ${p.max}.` },
  TOO_MANY: { "zh-CN": (p) => `最多 ${p.max} 项。`, en: (p) => `Choose at most ${p.max}.` },
  TOO_FEW: { "zh-CN": (p) => `至少 ${p.min} 项。`, en: (p) => `Choose at least ${p.min}.` },
  INVALID_FORMAT: { "zh-CN": () => "格式不正确。", en: () => "This is not in the right format." },
  INVALID_URL: { "zh-CN": () => "请输入有效的网址（https://…）。", en: () => "Enter a valid URL (https://…)." },
  INVALID_ID: { "zh-CN": () => "编号无效。", en: () => "This is not a valid id." },
  INVALID_TEXT: { "zh-CN": () => "包含不允许的字符。", en: () => "This contains characters that are not allowed." },
  INVALID_EMAIL: {
    "zh-CN": () => "请输入有效的邮箱地址，例如 name@example.com。",
    en: () => "Enter an email address, e.g. name@example.com.",
  },
  INVALID_PHONE: {
    "zh-CN": () => "请输入有效的手机号，例如 13812345678。",
    en: () => "Enter a mobile number, e.g. 13812345678 or +86 138 1234 5678.",
  },
  INVALID_USERNAME: {
    "zh-CN": (p) =>
      `用户名须为 ${p.min ?? 3}-${p.max ?? 32} 个字符：字母、数字、_、- 或汉字，且至少包含一个字母或汉字（不能使用全角或兼容字符）。`,
    en: (p) =>
      `A username is ${p.min ?? 3}-${p.max ?? 32} characters: letters, digits, _, - or Chinese characters, with at least one letter (no full-width or compatibility forms).`,
  },
  INVALID_ID_NUMBER: { "zh-CN": () => "身份证号无效，请检查是否输错。", en: () => "This is not a valid ID number; check it for a typo." },
  PASSWORD_TOO_COMMON: {
    "zh-CN": () => "密码太常见，请换一个更难猜的密码。",
    en: () => "This password is too common; choose one that is harder to guess.",
  },
  PASSWORD_CONTAINS_USERNAME: { "zh-CN": () => "密码不能包含用户名。", en: () => "The password must not contain the username." },
  SAME_AS_CURRENT: { "zh-CN": () => "不能与当前的相同。", en: () => "This must differ from the current one." },
  INCORRECT: { "zh-CN": () => "不正确。", en: () => "This is not correct." },
  NOT_IN_FUTURE: { "zh-CN": () => "须为将来的时间。", en: () => "Choose a time in the future." },
  LIMIT_REACHED: {
    "zh-CN": (p) => `最多只能有 ${p.max} 个，请先删除一个。`,
    en: (p) => `You can have at most ${p.max}; remove one first.`,
  },
  REDIRECT_NOT_ALLOWED: { "zh-CN": () => "不允许跳转到该地址。", en: () => "Returning to this address is not allowed." },
  ALREADY_BOUND: { "zh-CN": () => "已绑定到你的账号。", en: () => "This is already bound to your account." },
  NOT_BOUND: { "zh-CN": () => "账号尚未绑定。", en: () => "Nothing of this kind is bound to your account." },
  PROVIDER_NOT_ENABLED: { "zh-CN": () => "本站未启用该服务商。", en: () => "This provider is not enabled here." },
  METHOD_NOT_AVAILABLE: { "zh-CN": () => "此验证方式当前不可用。", en: () => "This verification method cannot be used now." },
  ENROLLMENT_NOT_STARTED: { "zh-CN": () => "请先开始设置。", en: () => "Start the set-up first." },
  SECOND_FACTOR_REQUIRED: {
    "zh-CN": () => "请先绑定邮箱、手机或身份验证器。",
    en: () => "Bind an email, a phone or an authenticator app first.",
  },
  EXACTLY_ONE_OF: {
    "zh-CN": (p) => `请只填写其中一项：${list(p.fields, "zh-CN")}。`,
    en: (p) => `Give exactly one of: ${list(p.fields, "en")}.`,
  },
  TOO_DEEP: { "zh-CN": (p) => `嵌套不能超过 ${p.max} 层。`, en: (p) => `Must not nest deeper than ${p.max} levels.` },
  INVALID_CURSOR: {
    "zh-CN": () => "分页位置无效，请从第一页重新加载。",
    en: () => "This page position is not valid; load the first page again.",
  },
  CONFLICTS_WITH: {
    "zh-CN": (p) => `不能与 ${list(p.fields, "zh-CN")} 同时填写。`,
    en: (p) => `Cannot be given together with ${list(p.fields, "en")}.`,
  },
  NOT_AFTER: { "zh-CN": (p) => `必须晚于 ${list(p.fields, "zh-CN")}。`, en: (p) => `Must be later than ${list(p.fields, "en")}.` },
  CONFIRMATION_MISMATCH: { "zh-CN": () => "两次输入的密码不一致。", en: () => "The two passwords are not the same." },
};

/** A field error in `lang`; a code this table does not know (a newer server's) reads as a format problem. */
export function fieldErrorMessage(code: string, params: Params | undefined, lang: Lang): string {
  const say = FIELD_ERROR_MESSAGES[code as FieldErrorCode] ?? FIELD_ERROR_MESSAGES.INVALID_FORMAT;
  return say[lang](params ?? {});
}
