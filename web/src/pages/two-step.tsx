import { StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { useMe, useSession } from "../session";
import { Card, ErrorNote } from "../ui";

const SET_TWO_STEP = graphql(`
  mutation SetTwoStepVerification($input: SetTwoStepVerificationInput!) {
    setTwoStepVerification(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);

/** 二次验证: one switch; turning it off may ask for a step-up, turning it on needs a second factor. */
export function TwoStep() {
  const { t, list } = useI18n();
  const { security } = useMe();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const toggle = async (enabled: boolean) => {
    if (await run(() => request(SET_TWO_STEP, { input: { enabled } }))) await reload();
  };
  const methods = list(security.twoStepMethods.map((m) => t(`method.${m}`)));
  return (
    <Card title={t("twoStep.title")}>
      <p className="hint">{t("twoStep.intro")}</p>
      <StepUpHint actions={["SET_TWO_STEP"]} />
      <label className="switch-toggle">
        <input
          type="checkbox"
          role="switch"
          checked={security.twoStepEnabled}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        {t("twoStep.toggle")}
      </label>
      <p>{security.twoStepEnabled ? t("twoStep.on") : t("twoStep.off")}</p>
      <p className="hint">{methods ? t("twoStep.methods", { methods }) : t("twoStep.needFactor")}</p>
      <ErrorNote error={error} />
    </Card>
  );
}
