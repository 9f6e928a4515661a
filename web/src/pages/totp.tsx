import { useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, CodeField, CopyButton, ErrorNote, Notice, QrCode } from "../ui";

const START = graphql(`
  mutation StartTotpEnrollment {
    startTotpEnrollment {
      enrollment {
        secret
        otpauthUri
        qrCodeDataUrl
      }
    }
  }
`);
const CONFIRM = graphql(`
  mutation ConfirmTotpEnrollment($input: ConfirmTotpEnrollmentInput!) {
    confirmTotpEnrollment(input: $input) {
      recoveryCodes
      account {
        ...MeFields
      }
    }
  }
`);
const REGENERATE = graphql(`
  mutation RegenerateRecoveryCodes {
    regenerateRecoveryCodes {
      recoveryCodes
      account {
        ...MeFields
      }
    }
  }
`);
const DISABLE = graphql(`
  mutation DisableTotp($input: DisableTotpInput!) {
    disableTotp(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);

/** 动态令牌: enrol (QR, confirm with a code), save the recovery codes shown once, new codes, turn off. */
export function Totp() {
  const { t, dateTime } = useI18n();
  const { security } = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const [enrollment, setEnrollment] = useState<{ secret: string; otpauthUri: string; qrCodeDataUrl: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  // Said here, not by DisableTotp, which is gone once the app is.
  const [turnedOff, setTurnedOff] = useState<{ twoStepOff: boolean } | null>(null);

  const start = async () => {
    setTurnedOff(null);
    const result = await run(() => request(START));
    if (result) setEnrollment(result.startTotpEnrollment.enrollment);
  };
  const confirm = async () => {
    const result = await run(() => request(CONFIRM, { input: { code } }));
    if (!result) return;
    setEnrollment(null);
    setCode("");
    setRecoveryCodes(result.confirmTotpEnrollment.recoveryCodes);
    await reload();
  };
  const regenerate = async () => {
    const result = await run(() => request(REGENERATE));
    if (!result) return;
    setRecoveryCodes(result.regenerateRecoveryCodes.recoveryCodes);
    await reload();
  };

  if (recoveryCodes) {
    return (
      <Card title={t("totp.recoveryTitle")}>
        <p>{t("totp.recoveryIntro")}</p>
        <ul className="codes mono" aria-label={t("totp.recoveryTitle")}>
          {recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <div className="actions">
          <CopyButton text={recoveryCodes.join("\n")} />
          <button type="button" onClick={() => setRecoveryCodes(null)}>
            {t("totp.recoverySaved")}
          </button>
        </div>
      </Card>
    );
  }
  return (
    <>
      <Card title={t("totp.title")}>
        <p className="hint">{t("totp.intro")}</p>
        <StepUpHint actions={security.totpEnabled ? ["REGENERATE_RECOVERY_CODES", "DISABLE_TOTP"] : ["ENROLL_TOTP"]} />
        <p>{security.totpEnabled ? t("totp.enabled", { count: security.recoveryCodesRemaining }) : t("totp.disabled")}</p>
        {security.totpUsableFrom && <p className="hint">{t("totp.coolingHint", { date: dateTime(security.totpUsableFrom) })}</p>}
        {turnedOff && <Notice>{t(turnedOff.twoStepOff ? "totp.disabledWithTwoStep" : "totp.disabledDone")}</Notice>}
        {!enrollment && (
          <>
            <ErrorNote error={error} />
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void start()}>
                {security.totpEnabled ? t("totp.restart") : t("totp.start")}
              </button>
              {security.totpEnabled && (
                <button type="button" className="secondary" disabled={busy} onClick={() => void regenerate()}>
                  {t("totp.regenerate")}
                </button>
              )}
            </div>
          </>
        )}
        {enrollment && (
          <form onSubmit={onSubmit(confirm)}>
            <p>{t("totp.scan")}</p>
            <QrCode value={enrollment.otpauthUri} dataUrl={enrollment.qrCodeDataUrl} label={t("totp.title")} />
            <div className="secret">
              <code className="grow" aria-label={t("common.secret")}>
                {enrollment.secret}
              </code>
              <CopyButton text={enrollment.secret} />
            </div>
            <CodeField value={code} onChange={setCode} error={error} label={t("totp.confirmCode")} />
            <ErrorNote error={error} fields={["code"]} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t("totp.confirm")}
              </button>
              <button type="button" className="secondary" onClick={() => setEnrollment(null)}>
                {t("common.cancel")}
              </button>
            </div>
          </form>
        )}
      </Card>
      {security.totpEnabled && !enrollment && <DisableTotp onDisabled={(twoStepOff) => setTurnedOff({ twoStepOff })} />}
    </>
  );
}

function DisableTotp({ onDisabled }: { onDisabled: (twoStepOff: boolean) => void }) {
  const { t } = useI18n();
  const { security } = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const [code, setCode] = useState("");
  const disable = async () => {
    const result = await run(() => request(DISABLE, { input: { code } }));
    if (!result) return;
    // The server turns two-step off with the last second factor; say so rather than leave it to be found.
    onDisabled(security.twoStepEnabled && !result.disableTotp.account.security.twoStepEnabled);
    await reload();
  };
  return (
    <Card title={t("totp.disable")}>
      <form onSubmit={onSubmit(disable)}>
        <CodeField value={code} onChange={setCode} error={error} label={t("totp.disableCode")} />
        <ErrorNote error={error} fields={["code"]} />
        <div className="actions">
          <button type="submit" className="danger" disabled={busy}>
            {t("totp.disable")}
          </button>
        </div>
      </form>
    </Card>
  );
}
