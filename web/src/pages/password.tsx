import { useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request, sessionToken } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, ErrorNote, Field, NewPasswordFields, NO_NEW_PASSWORD, Notice } from "../ui";

// Of what the pages show, a new password changes only passwordChangedAt and the lists of sessions and
// keys: the payload selects just those (all of MeFields with both lists would pass the cost limit's room).
const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedSessionCount
      token
      account {
        id
        security {
          id
          passwordChangedAt
        }
        sessions {
          ...SessionList
        }
        apiKeys {
          ...ApiKeyList
        }
      }
    }
  }
`);

/**
 * 修改密码, or 设置密码 on an account made through a provider (no password yet). The API signs out every
 * other session and may ask for a step-up first; a first password always does.
 */
export function Password() {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const { reload } = useSession();
  const { run, busy, error, passwordsMatch } = useAction();
  const [oldPassword, setOldPassword] = useState("");
  const [newPassword, setNewPassword] = useState(NO_NEW_PASSWORD);
  const [revokeApiKeys, setRevokeApiKeys] = useState(true);
  const [done, setDone] = useState<"password.changed" | "password.set" | null>(null);
  const first = !me.security.hasPassword;
  const submit = async () => {
    setDone(null);
    if (!passwordsMatch(newPassword)) return;
    const input = { oldPassword: first ? null : oldPassword, newPassword: newPassword.password, revokeApiKeys };
    const result = await run(() => request(CHANGE_PASSWORD, { input }));
    if (!result) return;
    // This session got a new token: a copy of the old one is signed out with the other sessions.
    sessionToken.set(result.changePassword.token);
    setOldPassword("");
    setNewPassword(NO_NEW_PASSWORD);
    setDone(first ? "password.set" : "password.changed");
    await reload();
  };
  if (first && me.security.stepUpMethods.length === 0) {
    return (
      <Card title={t("password.setTitle")}>
        <p className="hint">{t("password.setNeedsFactor")}</p>
      </Card>
    );
  }
  return (
    <Card title={t(first ? "password.setTitle" : "password.title")}>
      <p className="hint">{t(first ? "password.setHint" : "password.hint")}</p>
      <StepUpHint actions={[first ? "SET_PASSWORD" : "CHANGE_PASSWORD"]} />
      {me.security.passwordChangedAt && (
        <p className="hint">{t("password.lastChanged", { date: dateTime(me.security.passwordChangedAt) })}</p>
      )}
      <form onSubmit={onSubmit(submit)}>
        {!first && (
          <Field
            label={t("password.old")}
            name="oldPassword"
            type="password"
            value={oldPassword}
            onChange={(e) => setOldPassword(e.target.value)}
            error={error}
            autoComplete="current-password"
            required
          />
        )}
        <NewPasswordFields
          name="newPassword"
          label={t("password.new")}
          confirmLabel={t("password.confirm")}
          value={newPassword}
          onChange={setNewPassword}
          error={error}
        />
        <label>
          <input type="checkbox" name="revokeApiKeys" checked={revokeApiKeys} onChange={(e) => setRevokeApiKeys(e.target.checked)} />{" "}
          {t("password.revokeApiKeys")}
        </label>
        <ErrorNote error={error} fields={["oldPassword", "newPassword", "confirm"]} />
        {done && <Notice>{t(done)}</Notice>}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t("common.save")}
          </button>
        </div>
      </form>
    </Card>
  );
}
