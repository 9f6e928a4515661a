import { useState } from "react";
import { onSubmit, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { Card, CodeField, ErrorNote, Field, NewPasswordFields, NO_NEW_PASSWORD, Notice } from "../ui";

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
  const [newPassword, setNewPassword] = useState(NO_NEW_PASSWORD);
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
    if (!passwordsMatch(newPassword)) return;
    if (await run(() => request(RESET_PASSWORD, { input: { identifier, code, newPassword: newPassword.password } }))) setDone(true);
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
            <NewPasswordFields
              name="newPassword"
              label={t("password.new")}
              confirmLabel={t("password.confirm")}
              value={newPassword}
              onChange={setNewPassword}
              error={error}
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
