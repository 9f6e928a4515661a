import type { SecurityNoticeEvent } from "../types";

/** The `event` variable of the SMS security-notice templates; short, since vendors bill per 70 characters. */
export const NOTICE_LABELS: Record<SecurityNoticeEvent, string> = {
  PASSWORD_CHANGED: "密码已修改",
  PASSWORD_RESET: "密码已重置",
  CONTACT_BOUND: "绑定了新的联系方式",
  CONTACT_UNBOUND: "解绑了联系方式",
  CONTACT_REPLACED: "更换了联系方式",
  PROVIDER_BOUND: "绑定了第三方账号",
  PROVIDER_UNBOUND: "解绑了第三方账号",
};
