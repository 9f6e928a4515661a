import { useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { ContactKind } from "../gql/graphql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, CodeField, ErrorNote, Field, Notice } from "../ui";

const START_BINDING = graphql(`
  mutation StartContactBinding($input: StartContactBindingInput!) {
    startContactBinding(input: $input) {
      challenge {
        id
        maskedTarget
      }
    }
  }
`);
const CONFIRM_BINDING = graphql(`
  mutation ConfirmContactBinding($input: ConfirmContactBindingInput!) {
    confirmContactBinding(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);
const START_UNBINDING = graphql(`
  mutation StartContactUnbinding($input: StartContactUnbindingInput!) {
    startContactUnbinding(input: $input) {
      challenge {
        id
        maskedTarget
      }
    }
  }
`);
const CONFIRM_UNBINDING = graphql(`
  mutation ConfirmContactUnbinding($input: ConfirmContactUnbindingInput!) {
    confirmContactUnbinding(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);

/** 绑定邮箱&手机号 */
export function Contacts() {
  return (
    <>
      <ContactCard kind="EMAIL" />
      <ContactCard kind="PHONE" />
    </>
  );
}

type Step = { does: "bind" | "unbind"; challengeId: string; maskedTarget: string };

/** One contact: bind (or replace) with a code sent to the new address, unbind with a code sent to the bound one. */
function ContactCard({ kind }: { kind: ContactKind }) {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const bound = kind === "EMAIL" ? me.email : me.phone;
  const [address, setAddress] = useState("");
  const [step, setStep] = useState<Step | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const kindName = t(`contacts.${kind}`);

  const startBinding = async () => {
    setDone(null);
    const result = await run(() => request(START_BINDING, { input: { kind, address } }));
    if (result)
      setStep({
        does: "bind",
        challengeId: result.startContactBinding.challenge.id,
        maskedTarget: result.startContactBinding.challenge.maskedTarget ?? address,
      });
  };
  const startUnbinding = async () => {
    setDone(null);
    const result = await run(() => request(START_UNBINDING, { input: { kind } }));
    if (result)
      setStep({
        does: "unbind",
        challengeId: result.startContactUnbinding.challenge.id,
        maskedTarget: result.startContactUnbinding.challenge.maskedTarget ?? "",
      });
  };
  const confirm = async () => {
    if (!step) return;
    const variables = { input: { challengeId: step.challengeId, code } };
    if (step.does === "bind") {
      if (!(await run(() => request(CONFIRM_BINDING, variables)))) return;
      setDone(t("contacts.boundDone", { kind: kindName }));
    } else {
      const result = await run(() => request(CONFIRM_UNBINDING, variables));
      if (!result) return;
      // The server turns two-step off with the last second factor; say so rather than leave it to be found.
      const twoStepOff = me.security.twoStepEnabled && !result.confirmContactUnbinding.account.security.twoStepEnabled;
      setDone(t(twoStepOff ? "contacts.unboundWithTwoStep" : "contacts.unboundDone", { kind: kindName }));
    }
    setStep(null);
    setCode("");
    setAddress("");
    await reload();
  };

  return (
    <Card title={kindName}>
      <div className="row">
        <span className="grow">
          {bound ? (
            <>
              {bound.masked} <span className="tag">{t("common.bound")}</span>
              {bound.usableFrom && <span className="tag muted">{t("common.cooling")}</span>}
            </>
          ) : (
            <span className="tag muted">{t("common.notBound")}</span>
          )}
        </span>
        {bound && !step && (
          <button type="button" className="danger" disabled={busy} onClick={() => void startUnbinding()}>
            {t("common.unbind")}
          </button>
        )}
      </div>
      <StepUpHint actions={[bound ? "UNBIND_CONTACT" : "BIND_CONTACT"]} />
      {bound?.usableFrom && <p className="hint">{t("contacts.coolingHint", { kind: kindName, date: dateTime(bound.usableFrom) })}</p>}
      {step ? (
        <form onSubmit={onSubmit(confirm)}>
          <p className="hint">
            {step.does === "bind"
              ? t("common.codeSentTo", { target: step.maskedTarget })
              : t("contacts.unbindIntro", { kind: kindName, target: step.maskedTarget })}
          </p>
          <CodeField value={code} onChange={setCode} error={error} />
          <ErrorNote error={error} fields={["code"]} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("common.confirm")}
            </button>
            <button type="button" className="secondary" onClick={() => setStep(null)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={onSubmit(startBinding)}>
          <Field
            label={t(`contacts.newAddress.${kind}`)}
            name="address"
            type={kind === "EMAIL" ? "email" : "tel"}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            error={error}
            autoComplete={kind === "EMAIL" ? "email" : "tel"}
            required
          />
          <ErrorNote error={error} fields={["address"]} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {bound ? t("contacts.replace") : t("common.sendCode")}
            </button>
          </div>
        </form>
      )}
      {done && <Notice>{done}</Notice>}
    </Card>
  );
}
