import type { EmailMessage, SecurityNoticeEvent } from "../../providers/types";

/** What each notice says; exported for the tests that look for a notice of one event. */
export const NOTICE_TEXT: Record<SecurityNoticeEvent, { zh: string; en: string }> = {
  PASSWORD_CHANGED: { zh: "您的账号密码已被修改。", en: "The password of your account was changed." },
  PASSWORD_SET: {
    zh: "您的账号设置了登录密码，现在可以用用户名和密码登录。",
    en: "A password was set on your account: it can now sign in with its username and password.",
  },
  PASSWORD_RESET: {
    zh: "您的账号密码已通过验证码重置，所有设备均已退出登录，所有 API 密钥均已撤销。",
    en: "The password of your account was reset with a verification code; every device was signed out and every API key revoked.",
  },
  CONTACT_BOUND: { zh: "您的账号绑定了新的邮箱或手机号。", en: "A new email address or phone number was bound to your account." },
  CONTACT_UNBOUND: { zh: "您的账号解绑了一个邮箱或手机号。", en: "An email address or phone number was removed from your account." },
  CONTACT_REPLACED: {
    zh: "您的账号更换了绑定的邮箱或手机号。",
    en: "The email address or phone number bound to your account was replaced.",
  },
  PROVIDER_BOUND: { zh: "您的账号绑定了微信、QQ 或支付宝账号。", en: "A WeChat, QQ or Alipay account was bound to your account." },
  PROVIDER_UNBOUND: { zh: "您的账号解绑了微信、QQ 或支付宝账号。", en: "A WeChat, QQ or Alipay account was removed from your account." },
  TOTP_ENABLED: { zh: "您的账号启用了新的动态令牌（身份验证器应用）。", en: "An authenticator app was set up on your account." },
  TOTP_DISABLED: { zh: "您的账号停用了动态令牌（身份验证器应用）。", en: "The authenticator app was removed from your account." },
  RECOVERY_CODES_REGENERATED: {
    zh: "您的账号重新生成了恢复码，旧的恢复码已失效。",
    en: "New recovery codes were generated for your account; the old ones no longer work.",
  },
  TWO_STEP_ENABLED: { zh: "您的账号开启了两步验证。", en: "Two-step verification was turned on for your account." },
  TWO_STEP_DISABLED: { zh: "您的账号关闭了两步验证。", en: "Two-step verification was turned off for your account." },
  API_KEY_CREATED: { zh: "您的账号创建了新的 API 密钥。", en: "A new API key was created on your account." },
  API_KEY_REVOKED: { zh: "您的账号撤销了一个 API 密钥。", en: "An API key of your account was revoked." },
  OTHER_SESSIONS_SIGNED_OUT: {
    zh: "您的账号在其他设备上的登录已全部退出。",
    en: "Your account was signed out on every other device.",
  },
  USERNAME_CHANGED: {
    zh: "您的账号用户名已被修改，旧用户名不能再用于登录；您仍可用绑定的邮箱或手机号登录。",
    en: "The username of your account was changed, and the old one no longer signs in; your bound email or phone still does.",
  },
};

/** A short security notice in Chinese and English, so a hijack does not go unnoticed. */
export function noticeEmail(event: SecurityNoticeEvent, when: Date): EmailMessage {
  const { zh, en } = NOTICE_TEXT[event];
  const time = when.toISOString();
  const lines = [
    `${zh}（${time}）如非本人操作，请立即重置密码并联系客服。`,
    `${en} (${time}) If this was not you, reset your password now and contact support.`,
  ];
  return { subject: "账号安全提醒 / Security notice", text: lines.join("\n\n"), html: lines.map((line) => `<p>${line}</p>`).join("") };
}
