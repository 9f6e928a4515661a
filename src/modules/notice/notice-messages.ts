import type { EmailMessage, SecurityNoticeEvent } from "../../providers/types";

const EVENT_TEXT: Record<SecurityNoticeEvent, { zh: string; en: string }> = {
  PASSWORD_CHANGED: { zh: "您的账号密码已被修改。", en: "The password of your account was changed." },
  PASSWORD_RESET: { zh: "您的账号密码已通过验证码重置，所有设备均已退出登录。", en: "The password of your account was reset with a verification code; every device was signed out." },
  CONTACT_BOUND: { zh: "您的账号绑定了新的邮箱或手机号。", en: "A new email address or phone number was bound to your account." },
  CONTACT_UNBOUND: { zh: "您的账号解绑了一个邮箱或手机号。", en: "An email address or phone number was removed from your account." },
  CONTACT_REPLACED: { zh: "您的账号更换了绑定的邮箱或手机号。", en: "The email address or phone number bound to your account was replaced." },
  PROVIDER_BOUND: { zh: "您的账号绑定了微信、QQ 或支付宝账号。", en: "A WeChat, QQ or Alipay account was bound to your account." },
  PROVIDER_UNBOUND: { zh: "您的账号解绑了微信、QQ 或支付宝账号。", en: "A WeChat, QQ or Alipay account was removed from your account." },
};

/** A short security notice in Chinese and English, so a hijack does not go unnoticed. */
export function noticeEmail(event: SecurityNoticeEvent, when: Date): EmailMessage {
  const { zh, en } = EVENT_TEXT[event];
  const time = when.toISOString();
  const lines = [
    `${zh}（${time}）如非本人操作，请立即重置密码并联系客服。`,
    `${en} (${time}) If this was not you, reset your password now and contact support.`,
  ];
  return { subject: "账号安全提醒 / Security notice", text: lines.join("\n\n"), html: lines.map((line) => `<p>${line}</p>`).join("") };
}
