import type { SecurityNoticeEvent } from "../types";

/** The `event` variable of the SMS security-notice templates; short, since vendors bill per 70 characters. */
export const NOTICE_LABELS: Record<SecurityNoticeEvent, string> = {
  PASSWORD_CHANGED: "密码已修改",
  PASSWORD_SET: "设置了登录密码",
  PASSWORD_RESET: "密码已重置",
  CONTACT_BOUND: "绑定了新的联系方式",
  CONTACT_UNBOUND: "解绑了联系方式",
  CONTACT_REPLACED: "更换了联系方式",
  PROVIDER_BOUND: "绑定了第三方账号",
  PROVIDER_UNBOUND: "解绑了第三方账号",
  TOTP_ENABLED: "启用了动态令牌",
  TOTP_DISABLED: "停用了动态令牌",
  RECOVERY_CODES_REGENERATED: "重新生成了恢复码",
  TWO_STEP_ENABLED: "开启了两步验证",
  TWO_STEP_DISABLED: "关闭了两步验证",
  API_KEY_CREATED: "创建了 API 密钥",
  API_KEY_REVOKED: "撤销了 API 密钥",
  OTHER_SESSIONS_SIGNED_OUT: "其他设备已退出登录",
  USERNAME_CHANGED: "用户名已修改",
};
