import { useEffect, useState } from "react";
import { MethodPicker, onSubmit, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { LoginOutcomeFragment, ProviderKind, VerificationMethod } from "../gql/graphql";
import { useI18n } from "../i18n";
import { callbackUri, rememberFlow } from "../oauth";
import { Link, navigate, usePath } from "../router";
import { useSession } from "../session";
import { Card, CodeField, ErrorNote, Field, NewPasswordFields, NO_NEW_PASSWORD } from "../ui";

// What login and loginWithProvider answer, read by useLoginResult.
graphql(`
  fragment LoginOutcome on LoginResult {
    __typename
    ... on AuthPayload {
      token
    }
    ... on TwoStepChallenge {
      id
      methods
    }
  }
`);
const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      result {
        ...LoginOutcome
      }
    }
  }
`);
const REGISTER = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
    }
  }
`);
const SEND_TWO_STEP_CODE = graphql(`
  mutation SendTwoStepCode($id: ID!, $method: VerificationMethod!) {
    sendTwoStepCode(input: { challengeId: $id, method: $method }) {
      challenge {
        id
        maskedTarget
      }
    }
  }
`);
const COMPLETE_TWO_STEP = graphql(`
  mutation CompleteTwoStep($id: ID!, $method: VerificationMethod!, $code: String!) {
    completeTwoStep(input: { challengeId: $id, method: $method, code: $code }) {
      token
    }
  }
`);
export const PROVIDERS = graphql(`
  query Providers {
    providers {
      id
      kind
      enabled
    }
  }
`);
const START_PROVIDER_LOGIN = graphql(`
  mutation StartProviderLogin($provider: ProviderKind!, $redirectUri: String!) {
    startProviderLogin(input: { provider: $provider, redirectUri: $redirectUri }) {
      authorization {
        authorizeUrl
        state
      }
    }
  }
`);

export interface TwoStepChallenge {
  id: string;
  methods: readonly VerificationMethod[];
}

/** After signing in: the requested page, or the first section when the person came to sign in. */
function useFinishSignIn() {
  const { signIn } = useSession();
  const path = usePath();
  return async (token: string) => {
    await signIn(token);
    if (["/signin", "/signup", "/oauth/callback"].includes(path)) navigate("/", { replace: true });
  };
}

/** Handles what `login` and `loginWithProvider` answer: a session, or the two-step prompt. */
export function useLoginResult() {
  const finish = useFinishSignIn();
  const [challenge, setChallenge] = useState<TwoStepChallenge | null>(null);
  const accept = async (result: LoginOutcomeFragment) => {
    if (result.__typename === "AuthPayload") await finish(result.token);
    else setChallenge({ id: result.id, methods: result.methods });
  };
  return { challenge, accept };
}

export function SignIn() {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const { challenge, accept } = useLoginResult();
  const [identifier, setIdentifier] = useState("");
  const [password, setPassword] = useState("");
  if (challenge) return <TwoStepPrompt challenge={challenge} />;
  const submit = async () => {
    const result = await run(() => request(LOGIN, { input: { identifier, password } }));
    if (result) await accept(result.login.result);
  };
  return (
    <Card title={t("auth.signIn")}>
      <form onSubmit={onSubmit(submit)}>
        <Field
          label={t("auth.identifier")}
          name="identifier"
          value={identifier}
          onChange={(e) => setIdentifier(e.target.value)}
          error={error}
          autoComplete="username"
          required
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error}
          autoComplete="current-password"
          required
        />
        <ErrorNote error={error} fields={["identifier", "password"]} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t("auth.signIn")}
          </button>
        </div>
      </form>
      <ProviderSignIn />
      <p className="switch">
        {t("auth.noAccount")} <Link to="/signup">{t("auth.signUp")}</Link>
      </p>
      <p className="switch">
        <Link to="/reset-password">{t("reset.link")}</Link>
      </p>
    </Card>
  );
}

/** Buttons for the providers this deployment has; each starts a sign-in round trip through /oauth/callback. */
function ProviderSignIn() {
  const { t } = useI18n();
  const { run, error } = useAction();
  const [providers, setProviders] = useState<ProviderKind[]>([]);
  useEffect(() => {
    void request(PROVIDERS).then(
      ({ providers: all }) => setProviders(all.filter((p) => p.enabled).map((p) => p.kind)),
      () => undefined,
    );
  }, []);
  if (providers.length === 0) return null;
  const start = async (provider: ProviderKind) => {
    const result = await run(() => request(START_PROVIDER_LOGIN, { provider, redirectUri: callbackUri() }));
    if (!result) return;
    const { authorization } = result.startProviderLogin;
    rememberFlow({ intent: "login", provider, state: authorization.state, from: "/" });
    location.assign(authorization.authorizeUrl);
  };
  return (
    <div className="providers">
      <p className="hint">{t("auth.orProvider")}</p>
      <div className="actions">
        {providers.map((p) => (
          <button key={p} type="button" className="secondary" onClick={() => void start(p)}>
            {t("auth.signInWith", { provider: t(`provider.${p}`) })}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

/** Second step of a sign-in: pick a method, get a code sent when it is EMAIL/SMS, type it. */
export function TwoStepPrompt({ challenge }: { challenge: TwoStepChallenge }) {
  const { t } = useI18n();
  const finish = useFinishSignIn();
  const { run, busy, error } = useAction();
  const [method, setMethod] = useState<VerificationMethod | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const pick = async (next: VerificationMethod) => {
    setMethod(next);
    setSentTo(null);
    if (next !== "EMAIL" && next !== "SMS") return;
    const result = await run(() => request(SEND_TWO_STEP_CODE, { id: challenge.id, method: next }));
    if (result) setSentTo(result.sendTwoStepCode.challenge.maskedTarget ?? null);
  };
  const verify = async () => {
    if (!method) return;
    const result = await run(() => request(COMPLETE_TWO_STEP, { id: challenge.id, method, code }));
    if (result) await finish(result.completeTwoStep.token);
  };
  return (
    <Card title={t("twoStep.promptTitle")}>
      <p>{t("twoStep.promptIntro")}</p>
      <MethodPicker methods={challenge.methods} method={method} onPick={(m) => void pick(m)} />
      {method && (
        <form onSubmit={onSubmit(verify)}>
          {sentTo && <p className="hint">{t("common.codeSentTo", { target: sentTo })}</p>}
          <CodeField value={code} onChange={setCode} error={error} label={t(`method.${method}`)} />
          <ErrorNote error={error} fields={["code"]} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("twoStep.verify")}
            </button>
          </div>
        </form>
      )}
      {!method && <ErrorNote error={error} />}
    </Card>
  );
}

export function SignUp() {
  const { t } = useI18n();
  const finish = useFinishSignIn();
  const { run, busy, error, passwordsMatch } = useAction();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState(NO_NEW_PASSWORD);
  const submit = async () => {
    if (!passwordsMatch(password)) return;
    const result = await run(() => request(REGISTER, { input: { username, password: password.password } }));
    if (result) await finish(result.register.token);
  };
  return (
    <Card title={t("auth.signUp")}>
      <form onSubmit={onSubmit(submit)}>
        <Field
          label={t("auth.username")}
          name="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={error}
          autoComplete="username"
          required
        />
        <NewPasswordFields
          name="password"
          label={t("auth.password")}
          confirmLabel={t("auth.confirmPassword")}
          value={password}
          onChange={setPassword}
          error={error}
        />
        <ErrorNote error={error} fields={["username", "password", "confirm"]} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t("auth.signUp")}
          </button>
        </div>
      </form>
      <p className="switch">
        {t("auth.haveAccount")} <Link to="/signin">{t("auth.signIn")}</Link>
      </p>
    </Card>
  );
}
