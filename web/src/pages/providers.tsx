import { useEffect, useRef, useState } from "react";
import { StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { ProviderKind } from "../gql/graphql";
import { useI18n } from "../i18n";
import { callbackUri, rememberFlow, takeFlow } from "../oauth";
import { Link, usePath } from "../router";
import { useMe, useSession } from "../session";
import { Avatar, Card, ErrorNote, Notice, QrCode } from "../ui";
import { PROVIDERS, TwoStepPrompt, useLoginResult } from "./auth";

const START_BINDING = graphql(`
  mutation StartProviderBinding($input: StartProviderBindingInput!) {
    startProviderBinding(input: $input) {
      authorization {
        authorizeUrl
        qrCodeDataUrl
        state
      }
    }
  }
`);
const COMPLETE_BINDING = graphql(`
  mutation CompleteProviderBinding($input: CompleteProviderBindingInput!) {
    completeProviderBinding(input: $input) {
      account {
        ...MeFields
      }
    }
  }
`);
const UNBIND = graphql(`
  mutation UnbindProvider($input: UnbindProviderInput!) {
    unbindProvider(input: $input) {
      unboundIdentityId
      account {
        ...MeFields
      }
    }
  }
`);
const LOGIN_WITH_PROVIDER = graphql(`
  mutation LoginWithProvider($provider: ProviderKind!, $code: String!, $state: String!) {
    loginWithProvider(input: { provider: $provider, code: $code, state: $state }) {
      result {
        ...LoginOutcome
      }
    }
  }
`);

/** 绑定微信&QQ */
export function Social() {
  const { t } = useI18n();
  return <ProviderSection title={t("social.title")} intro={t("social.intro")} kinds={["WECHAT", "QQ"]} />;
}

/** 绑定支付宝 */
export function Alipay() {
  const { t } = useI18n();
  return <ProviderSection title={t("alipay.title")} intro={t("alipay.intro")} kinds={["ALIPAY"]} />;
}

function ProviderSection({ title, intro, kinds }: { title: string; intro: string; kinds: ProviderKind[] }) {
  const [enabled, setEnabled] = useState<ProviderKind[] | null>(null);
  const { run, error } = useAction();
  useEffect(() => {
    void run(() => request(PROVIDERS)).then((result) => result && setEnabled(result.providers.filter((p) => p.enabled).map((p) => p.kind)));
  }, [run]);
  return (
    <>
      <Card title={title}>
        <p className="hint">{intro}</p>
        <ErrorNote error={error} />
      </Card>
      {enabled && kinds.map((kind) => <ProviderCard key={kind} kind={kind} enabled={enabled.includes(kind)} />)}
    </>
  );
}

/**
 * One provider: bound (with the provider's name and avatar, and unbind), or a bind button. WeChat and
 * QQ send the browser to their page (their page shows the QR); Alipay's is shown here as a QR code.
 */
function ProviderCard({ kind, enabled }: { kind: ProviderKind; enabled: boolean }) {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const path = usePath();
  const { reload } = useSession();
  const { run, busy, error } = useAction();
  const [qr, setQr] = useState<{ authorizeUrl: string; qrCodeDataUrl?: string | null } | null>(null);
  const name = t(`provider.${kind}`);
  const identity = me.identities.nodes.find((i) => i.provider === kind);

  const bind = async () => {
    const result = await run(() => request(START_BINDING, { input: { provider: kind, redirectUri: callbackUri() } }));
    if (!result) return;
    const { authorizeUrl, qrCodeDataUrl, state } = result.startProviderBinding.authorization;
    rememberFlow({ intent: "bind", provider: kind, state, from: path });
    if (kind === "ALIPAY") setQr({ authorizeUrl, qrCodeDataUrl });
    else location.assign(authorizeUrl);
  };
  const unbind = async () => {
    if (await run(() => request(UNBIND, { input: { provider: kind } }))) await reload();
  };

  return (
    <Card title={name}>
      {!enabled && <p className="hint">{t("social.notEnabled", { provider: name })}</p>}
      {enabled && <StepUpHint actions={[identity ? "UNBIND_PROVIDER" : "BIND_PROVIDER"]} />}
      {identity ? (
        <div className="row">
          <Avatar url={identity.avatarUrl} name={identity.displayName ?? name} size={40} />
          <span className="grow">
            <strong>{identity.displayName ?? name}</strong> <span className="tag">{t("common.bound")}</span>
            <br />
            <span className="hint">{t("social.boundAt", { date: dateTime(identity.boundAt) })}</span>
          </span>
          <button type="button" className="danger" disabled={busy} onClick={() => void unbind()}>
            {t("common.unbind")}
          </button>
        </div>
      ) : (
        enabled && (
          <div className="row">
            <span className="grow">
              <span className="tag muted">{t("common.notBound")}</span>
            </span>
            <button type="button" disabled={busy} onClick={() => void bind()}>
              {t("common.bind")}
            </button>
          </div>
        )
      )}
      {qr && !identity && (
        <div>
          <QrCode value={qr.authorizeUrl} dataUrl={qr.qrCodeDataUrl} label={name} />
          <p className="hint">
            {t("social.scan", { provider: name })} <a href={qr.authorizeUrl}>{t("social.openPage")}</a>
          </p>
        </div>
      )}
      <ErrorNote error={error} />
    </Card>
  );
}

/**
 * /oauth/callback: where the provider sends the browser back. Checks the state is the one this tab
 * started, then finishes the binding (back to the page it came from) or the sign-in.
 */
export function OAuthCallback() {
  const { t } = useI18n();
  const { reload } = useSession();
  const { run, error } = useAction();
  const { challenge, accept } = useLoginResult();
  const [outcome, setOutcome] = useState<{ bound?: ProviderKind; from?: string; mismatch?: boolean } | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const params = new URLSearchParams(location.search);
    const code = params.get("code") ?? params.get("auth_code");
    const state = params.get("state");
    // Leave no code in the address bar or the history.
    history.replaceState(null, "", location.pathname);
    const flow = takeFlow();
    if (!flow || !code || state !== flow.state) {
      setOutcome({ mismatch: true });
      return;
    }
    const variables = { provider: flow.provider, code, state };
    void (async () => {
      if (flow.intent === "login") {
        const result = await run(() => request(LOGIN_WITH_PROVIDER, variables));
        if (result) await accept(result.loginWithProvider.result);
        return;
      }
      if (await run(() => request(COMPLETE_BINDING, { input: variables }))) {
        await reload();
        setOutcome({ bound: flow.provider, from: flow.from });
      } else {
        setOutcome({ from: flow.from });
      }
    })();
  }, [run, accept, reload]);

  if (challenge) return <TwoStepPrompt challenge={challenge} />;
  return (
    <Card title={t("callback.title")}>
      {!outcome && !error && <p>{t("callback.working")}</p>}
      {outcome?.mismatch && (
        <div className="note error" role="alert">
          {t("callback.stateMismatch")}
        </div>
      )}
      {outcome?.bound && <Notice>{t("callback.bound", { provider: t(`provider.${outcome.bound}`) })}</Notice>}
      <ErrorNote error={error} />
      {(outcome || error) && (
        <p className="switch">
          <Link to={outcome?.from ?? "/"}>{t("callback.backTo")}</Link>
        </p>
      )}
    </Card>
  );
}
