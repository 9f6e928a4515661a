import { useState } from "react";
import { onSubmit, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Avatar, Card, ErrorNote, Field, Notice } from "../ui";

const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);

/** 基本信息: user ID, username, sign-up time and avatar, with username and avatar editable. */
export function Profile() {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const [username, setUsername] = useState(me.username);
  const [avatarUrl, setAvatarUrl] = useState(me.avatarUrl ?? "");
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setSaved(false);
    const result = await run(() => request(UPDATE_PROFILE, { input: { username, avatarUrl: avatarUrl.trim() || null } }));
    if (!result) return;
    await reload();
    setSaved(true);
  };
  return (
    <>
      <Card title={t("profile.title")}>
        <div className="profile">
          <Avatar url={me.avatarUrl} name={me.username} size={72} />
          <dl className="facts">
            <dt>{t("profile.userId")}</dt>
            <dd className="mono">{me.id}</dd>
            <dt>{t("profile.username")}</dt>
            <dd>{me.username}</dd>
            <dt>{t("profile.createdAt")}</dt>
            <dd>{dateTime(me.createdAt)}</dd>
          </dl>
        </div>
        <ul className="badges">
          {me.capabilities.canPurchase && <li>{t("profile.canPurchase")}</li>}
          {me.capabilities.canWithdraw && <li>{t("profile.canWithdraw")}</li>}
        </ul>
      </Card>
      <Card>
        <form onSubmit={onSubmit(save)}>
          <Field
            label={t("profile.username")}
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={error}
            required
          />
          <Field
            label={t("profile.avatarUrl")}
            name="avatarUrl"
            type="url"
            value={avatarUrl}
            onChange={(e) => setAvatarUrl(e.target.value)}
            error={error}
            placeholder="https://"
          />
          <ErrorNote error={error} fields={["username", "avatarUrl"]} />
          {saved && <Notice>{t("profile.saved")}</Notice>}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("common.save")}
            </button>
          </div>
        </form>
      </Card>
    </>
  );
}
