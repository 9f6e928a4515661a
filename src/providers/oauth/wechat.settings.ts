import { required, settingsGroup, text } from "../../core/env-settings";

export const wechatSettings = settingsGroup(
  "WeChat",
  {
    WECHAT_APP_ID: text(undefined, { description: "the website app's AppID (WeChat Open Platform, website QR login `snsapi_login`)" }),
    WECHAT_APP_SECRET: text(undefined, { description: "the website app's AppSecret" }),
    WECHAT_OPEN_BASE: text("https://open.weixin.qq.com", { description: "where the QR authorize page is (`/connect/qrconnect`)" }),
    WECHAT_API_BASE: text("https://api.weixin.qq.com", {
      description: "where `sns/oauth2/access_token` and `sns/userinfo` are",
    }),
  },
  "WeChat sign-in and binding are offered while `WECHAT_APP_ID` is set.",
).transform((values, ctx) => {
  if (values.WECHAT_APP_ID === undefined) return undefined;
  return {
    appId: values.WECHAT_APP_ID,
    appSecret: required(ctx.issues, values, "WECHAT_APP_SECRET", "WECHAT_APP_ID is set"),
    /** Where the QR authorize page is: `${openBase}/connect/qrconnect`. */
    openBase: values.WECHAT_OPEN_BASE.replace(/\/+$/, ""),
    /** Where `sns/oauth2/access_token` and `sns/userinfo` are. */
    apiBase: values.WECHAT_API_BASE.replace(/\/+$/, ""),
  };
});
