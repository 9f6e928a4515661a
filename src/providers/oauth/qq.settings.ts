import { required, settingsGroup, text } from "../../core/env-settings";

export const qqSettings = settingsGroup(
  "QQ",
  {
    QQ_APP_ID: text(undefined, { description: "the QQ Connect (QQ 互联) app's APP ID" }),
    QQ_APP_KEY: text(undefined, { description: "the app's APP Key" }),
    QQ_API_BASE: text("https://graph.qq.com", {
      description: "where `oauth2.0/authorize`, `oauth2.0/token`, `oauth2.0/me` and `user/get_user_info` are",
    }),
  },
  "QQ sign-in and binding are offered while `QQ_APP_ID` is set.",
).transform((values, ctx) => {
  if (values.QQ_APP_ID === undefined) return undefined;
  return {
    appId: values.QQ_APP_ID,
    appKey: required(ctx.issues, values, "QQ_APP_KEY", "QQ_APP_ID is set"),
    /** `oauth2.0/authorize`, `oauth2.0/token`, `oauth2.0/me`, `user/get_user_info` live here. */
    apiBase: values.QQ_API_BASE.replace(/\/+$/, ""),
  };
});
