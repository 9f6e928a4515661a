import type { ChallengePurpose } from "../../entities";
import type { EmailMessage } from "../../providers/types";

const PURPOSE_TEXT: Record<ChallengePurpose, { zh: string; en: string }> = {
  BIND_CONTACT: { zh: "绑定此地址", en: "bind this address to your account" },
  UNBIND_CONTACT: { zh: "解绑此地址", en: "remove this address from your account" },
  STEP_UP: { zh: "验证身份以修改安全设置", en: "confirm it is you before a security change" },
  PASSWORD_RESET: { zh: "重置密码", en: "reset your password" },
  TWO_STEP: { zh: "完成登录", en: "finish signing in" },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A verification-code email in Chinese and English: plain text plus simple HTML, no tracking. */
export function codeEmail(purpose: ChallengePurpose, code: string, ttlMinutes: number): EmailMessage {
  const { zh, en } = PURPOSE_TEXT[purpose];
  const lines = [
    `您的验证码是 ${code}，用于${zh}，${ttlMinutes} 分钟内有效。如非本人操作，请忽略本邮件。`,
    `Your verification code is ${code}. Use it to ${en}; it expires in ${ttlMinutes} minutes. If you did not ask for it, ignore this email.`,
  ];
  return {
    subject: `验证码 ${code} / Verification code`,
    text: lines.join("\n\n"),
    html: lines.map((line) => `<p>${escapeHtml(line).replace(code, `<strong>${code}</strong>`)}</p>`).join(""),
  };
}
