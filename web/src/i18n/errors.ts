import type { Lang } from "./lang";

/**
 * What the person reads for every `extensions.code` the API can answer (README "Error codes", the
 * server's ERROR_CODES and Apollo's request codes), plus the client's own NETWORK_ERROR.
 * Plain data, no DOM: tests/unit/web-error-messages.test.ts checks it covers the server's table.
 */
export const ERROR_MESSAGES: Record<string, Record<Lang, string>> = {
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
  LAST_SIGN_IN_METHOD: {
    "zh-CN": "这是账号唯一的登录方式，请先添加其他方式再移除。",
    en: "This is the last way to sign in; add another before removing it.",
  },
  STEP_UP_REQUIRED: { "zh-CN": "此操作需要先验证身份。", en: "Verify your identity before this change." },
  TWO_STEP_REQUIRED: { "zh-CN": "需要完成二次验证才能登录。", en: "Two-step verification is required to finish signing in." },
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
  PERSISTED_QUERY_NOT_SUPPORTED: { "zh-CN": "服务不支持此类请求。", en: "The server does not support this kind of request." },
  OPERATION_RESOLUTION_FAILURE: { "zh-CN": "请求中的操作无法确定。", en: "The request names no operation the server can run." },
  NETWORK_ERROR: { "zh-CN": "无法连接到服务，请检查网络后重试。", en: "Cannot reach the server; check your connection and try again." },
};

/** The message for `code`, falling back to INTERNAL_SERVER_ERROR's for a code this table does not know. */
export function errorMessage(code: string, lang: Lang, retryAfterSeconds?: number): string {
  const message = (ERROR_MESSAGES[code] ?? ERROR_MESSAGES.INTERNAL_SERVER_ERROR)[lang];
  if (retryAfterSeconds === undefined) return message;
  return lang === "zh-CN" ? `${message}（${retryAfterSeconds} 秒后可重试）` : `${message} (You can try again in ${retryAfterSeconds} s.)`;
}
