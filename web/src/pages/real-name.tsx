import { useEffect, useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { RealNameStatus } from "../gql/graphql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, ErrorNote, Field, QrCode } from "../ui";

const START = graphql(`
  mutation StartRealNameVerification($input: StartRealNameVerificationInput!) {
    startRealNameVerification(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);
const REFRESH = graphql(`
  mutation RefreshRealNameVerification {
    refreshRealNameVerification {
      account {
        ...MeFields
      }
    }
  }
`);

const REAL_NAME_STATUS = graphql(`
  query RealNameStatus {
    me {
      id
      realName {
        id
        status
      }
    }
  }
`);

/** How often the page reads the status while PENDING; the server asks the provider at most every REAL_NAME_POLL_INTERVAL_SECONDS. */
const POLL_MS = 5000;

const STATUS_TAG: Record<RealNameStatus, string> = { NOT_STARTED: "tag muted", PENDING: "tag muted", PASSED: "tag", FAILED: "tag bad" };

/**
 * 实名认证: the form, then the provider's page as a QR code (or a link) while PENDING, then the result.
 * While PENDING the page reads the status every few seconds (a read asks the provider, throttled by
 * the server), and shows the result as soon as the check ends.
 */
export function RealName() {
  const { t, dateTime } = useI18n();
  const { realName } = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const [legalName, setLegalName] = useState("");
  const [idNumber, setIdNumber] = useState("");

  const refresh = async () => {
    if (await run(() => request(REFRESH))) await reload();
  };
  const pending = realName.status === "PENDING";
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      void request(REAL_NAME_STATUS)
        .then(async (result) => {
          if (result.me?.realName.status !== "PENDING") await reload();
        })
        // Offline for a moment: the next tick tries again.
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, reload]);
  const start = async () => {
    const input = { legalName: legalName.trim(), idNumber: idNumber.trim(), returnUrl: `${location.origin}/real-name` };
    if (!(await run(() => request(START, { input })))) return;
    setLegalName("");
    setIdNumber("");
    await reload();
  };

  return (
    <>
      <Card title={t("realName.title")}>
        <dl className="facts">
          <dt>{t("realName.status")}</dt>
          <dd>
            <span className={STATUS_TAG[realName.status]}>{t(`realName.${realName.status}`)}</span>
          </dd>
          {realName.maskedName && (
            <>
              <dt>{t("realName.name")}</dt>
              <dd>{realName.maskedName}</dd>
              <dt>{t("realName.idNumber")}</dt>
              <dd className="mono">{realName.maskedIdNumber}</dd>
            </>
          )}
          {realName.verifiedAt && (
            <>
              <dt>{t("realName.verifiedAt")}</dt>
              <dd>{dateTime(realName.verifiedAt)}</dd>
            </>
          )}
        </dl>
        {realName.status === "FAILED" && (realName.failureCode || realName.failureReason) && (
          <div className="note error" role="alert">
            {/* The code in this language; the server's English words only for checks settled before codes existed. */}
            {t("realName.failure", {
              reason: realName.failureCode ? t(`realName.failure.${realName.failureCode}`) : realName.failureReason!,
            })}
          </div>
        )}
      </Card>
      {realName.status === "PENDING" && realName.verifyUrl && (
        <Card>
          <QrCode value={realName.verifyUrl} label={t("realName.title")} />
          <p className="hint">
            {t("realName.scan")}{" "}
            <a href={realName.verifyUrl} target="_blank" rel="noopener noreferrer">
              {t("realName.open")}
            </a>
          </p>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void refresh()}>
              {t("realName.refresh")}
            </button>
          </div>
        </Card>
      )}
      {realName.status !== "PASSED" && (
        <Card>
          <p className="hint">{t("realName.intro")}</p>
          <StepUpHint actions={["START_REAL_NAME"]} />
          <form onSubmit={onSubmit(start)}>
            <Field
              label={t("realName.legalName")}
              name="legalName"
              value={legalName}
              onChange={(e) => setLegalName(e.target.value)}
              error={error}
              autoComplete="name"
              required
            />
            <Field
              label={t("realName.idNumber")}
              name="idNumber"
              value={idNumber}
              onChange={(e) => setIdNumber(e.target.value)}
              error={error}
              maxLength={18}
              required
            />
            {realName.status !== "PENDING" && <ErrorNote error={error} fields={["legalName", "idNumber"]} />}
            <div className="actions">
              <button type="submit" disabled={busy}>
                {t("realName.start")}
              </button>
            </div>
          </form>
        </Card>
      )}
    </>
  );
}
