import { useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, ErrorNote, Field, Notice } from "../ui";

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      revokedSessionCount
      account {
        ...MeFields
        sessions {
          ...SessionRow
        }
        apiKeys {
          ...ApiKeyRow
        }
      }
    }
  }
`);

/** 修改密码: the API signs out every other session and may ask for a step-up first. */
export function Password() {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const { reload } = useSession();
  const { run, busy, error, passwordsMatch } = useAction();
  const [oldPassword, setOldPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [revokeApiKeys, setRevokeApiKeys] = useState(true);
  const [changed, setChanged] = useState(false);
  const submit = async () => {
    setChanged(false);
    if (!passwordsMatch(newPassword, confirm)) return;
    if (!(await run(() => request(CHANGE_PASSWORD, { input: { oldPassword, newPassword, revokeApiKeys } })))) return;
    setOldPassword("");
    setNewPassword("");
    setConfirm("");
    setChanged(true);
    await reload();
  };
  return (
    <Card title={t("password.title")}>
      <p className="hint">{t("password.hint")}</p>
      <StepUpHint actions={["CHANGE_PASSWORD"]} />
      {me.security.passwordChangedAt && (
        <p className="hint">{t("password.lastChanged", { date: dateTime(me.security.passwordChangedAt) })}</p>
      )}
      <form onSubmit={onSubmit(submit)}>
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
        <Field
          label={t("password.new")}
          name="newPassword"
          type="password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={error}
          autoComplete="new-password"
          required
        />
        <Field
          label={t("password.confirm")}
          name="confirm"
          type="password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={error}
          autoComplete="new-password"
          required
        />
        <label>
          <input type="checkbox" name="revokeApiKeys" checked={revokeApiKeys} onChange={(e) => setRevokeApiKeys(e.target.checked)} />{" "}
          {t("password.revokeApiKeys")}
        </label>
        <ErrorNote error={error} fields={["oldPassword", "newPassword", "confirm"]} />
        {changed && <Notice>{t("password.changed")}</Notice>}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t("common.save")}
          </button>
        </div>
      </form>
    </Card>
  );
}
