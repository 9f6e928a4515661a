import { useState } from "react";
import { onSubmit, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { Card, CodeField, ErrorNote, Field, Notice } from "../ui";

const REQUEST_PASSWORD_RESET = graphql(`
  mutation RequestPasswordReset($identifier: String!) {
    requestPasswordReset(input: { identifier: $identifier }) {
      identifier
    }
  }
`);
const RESET_PASSWORD = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      revokedSessionCount
    }
  }
`);

/**
 * 忘记密码, signed out: a code to the bound email or phone, then the new password. The API answers the
 * request the same whether or not the address belongs to anyone, and so does this page.
 */
export function PasswordReset() {
  const { t } = useI18n();
  const { run, busy, error, passwordsMatch } = useAction();
  const [identifier, setIdentifier] = useState("");
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const send = async () => {
    if (await run(() => request(REQUEST_PASSWORD_RESET, { identifier }))) setSent(true);
  };
  // A mistyped address is corrected here, not by reloading the page.
  const changeAddress = () => {
    setSent(false);
    setCode("");
  };
  const reset = async () => {
    if (!passwordsMatch(newPassword, confirm)) return;
    if (await run(() => request(RESET_PASSWORD, { input: { identifier, code, newPassword } }))) setDone(true);
  };
  if (done) {
    return (
      <Card title={t("reset.title")}>
        <Notice>{t("reset.done")}</Notice>
        <p className="switch">
          <Link to="/signin">{t("auth.signIn")}</Link>
        </p>
      </Card>
    );
  }
  return (
    <Card title={t("reset.title")}>
      <p className="hint">{t("reset.hint")}</p>
      <form onSubmit={onSubmit(sent ? reset : send)}>
        <Field
          label={t("reset.identifier")}
          name="identifier"
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          error={error}
          autoComplete="username"
          readOnly={sent}
          required
        />
        {sent && (
          <>
            <Notice>{t("reset.sent")}</Notice>
            <CodeField value={code} onChange={setCode} error={error} />
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
          </>
        )}
        <ErrorNote error={error} fields={["identifier", "code", "newPassword", "confirm"]} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {sent ? t("reset.submit") : t("common.sendCode")}
          </button>
          {sent && (
            <button type="button" className="secondary" onClick={changeAddress}>
              {t("reset.otherAddress")}
            </button>
          )}
        </div>
      </form>
      <p className="switch">
        <Link to="/signin">{t("auth.signIn")}</Link>
      </p>
    </Card>
  );
}
