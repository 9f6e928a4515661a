import { createContext, useCallback, useContext, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, request, sessionToken } from "./api";
import { graphql } from "./gql";
import type { SensitiveAction, VerificationMethod } from "./gql/graphql";
import { useI18n } from "./i18n";
import { useSession } from "./session";
import { CodeField, Dialog, ErrorNote, Field, type NewPassword } from "./ui";

const REQUEST_STEP_UP = graphql(`
  mutation RequestStepUp($method: VerificationMethod!) {
    requestStepUp(input: { method: $method }) {
      challenge {
        id
        method
        maskedTarget
      }
    }
  }
`);
const COMPLETE_STEP_UP = graphql(`
  mutation CompleteStepUp($id: ID!, $code: String, $password: String) {
    completeStepUp(input: { challengeId: $id, code: $code, password: $password }) {
      account {
        ...MeFields
      }
      token
    }
  }
`);

type Guard = <T>(action: () => Promise<T>) => Promise<T>;
const StepUpContext = createContext<Guard | null>(null);

/**
 * Runs actions so that a STEP_UP_REQUIRED answer opens the step-up dialog and, once this session is
 * verified, runs the action again. Cancelling the dialog fails the action with STEP_UP_REQUIRED.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const { reload } = useSession();
  const [pending, setPending] = useState<{ done(): void; cancel(): void } | null>(null);
  const guard = useCallback<Guard>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "STEP_UP_REQUIRED")) throw error;
      await new Promise<void>((resolve, reject) => setPending({ done: resolve, cancel: () => reject(error) }));
      return action();
    }
  }, []);
  const close = (how: "done" | "cancel") => {
    pending?.[how]();
    setPending(null);
    // The step-up hints and stepUpValidUntil change with it.
    if (how === "done") void reload();
  };
  return (
    <StepUpContext.Provider value={guard}>
      {children}
      {pending && <StepUpDialog onDone={() => close("done")} onCancel={() => close("cancel")} />}
    </StepUpContext.Provider>
  );
}

/**
 * State for one button or form: runs the action through the step-up guard, keeps `busy` and the
 * ApiError to show, and returns undefined when the action failed.
 */
export function useAction() {
  const guard = useContext(StepUpContext);
  const { reload } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
      if (!guard) throw new Error("useAction outside StepUpProvider");
      setBusy(true);
      setError(null);
      try {
        return await guard(action);
      } catch (caught) {
        const apiError = caught instanceof ApiError ? caught : new ApiError("INTERNAL_SERVER_ERROR");
        setError(apiError);
        if (apiError.code === "UNAUTHENTICATED") void reload();
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [guard, reload],
  );
  /** The page's own check before a new password is sent: a confirmation that differs is shown under its field, as the API's notes are. */
  const passwordsMatch = useCallback(({ password, confirm }: NewPassword) => {
    if (password === confirm) return true;
    setError(new ApiError("BAD_USER_INPUT", [{ field: "confirm", code: "CONFIRMATION_MISMATCH" }]));
    return false;
  }, []);
  return { run, busy, error, passwordsMatch };
}

/** Calls `handler` on submit without the browser's own form navigation. */
export function onSubmit(handler: () => unknown) {
  return (event: FormEvent) => {
    event.preventDefault();
    void handler();
  };
}

/** Picks one of the account's factors; EMAIL/SMS send a code when chosen, TOTP/RECOVERY_CODE/PASSWORD open a challenge for one. */
export function MethodPicker({
  methods,
  method,
  onPick,
}: {
  methods: readonly VerificationMethod[];
  method: VerificationMethod | null;
  onPick: (m: VerificationMethod) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="method-picker" role="group">
      {methods.map((m) => (
        <button
          key={m}
          type="button"
          className={m === method ? "chosen" : "secondary"}
          aria-pressed={m === method}
          onClick={() => onPick(m)}
        >
          {t(`method.${m}`)}
        </button>
      ))}
    </div>
  );
}

function StepUpDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const { run, busy, error } = useAction();
  const [challenge, setChallenge] = useState<{ id: string; method: VerificationMethod; maskedTarget?: string | null } | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const start = async (method: VerificationMethod) => {
    const result = await run(() => request(REQUEST_STEP_UP, { method }));
    if (result) setChallenge(result.requestStepUp.challenge);
  };
  const byPassword = challenge?.method === "PASSWORD";
  const verify = async () => {
    if (!challenge) return;
    const variables: { id: string; code?: string; password?: string } = byPassword
      ? { id: challenge.id, password }
      : { id: challenge.id, code };
    const result = await run(() => request(COMPLETE_STEP_UP, variables));
    if (!result) return;
    // The step-up came with a new token: the one this tab sent has stopped working.
    sessionToken.set(result.completeStepUp.token);
    onDone();
  };
  const hint = challenge?.maskedTarget
    ? t("common.codeSentTo", { target: challenge.maskedTarget })
    : t(byPassword ? "stepUp.enterPassword" : "stepUp.enterCode");
  return (
    <Dialog title={t("stepUp.title")}>
      <p>{t("stepUp.intro")}</p>
      <MethodPicker methods={me?.security.stepUpMethods ?? []} method={challenge?.method ?? null} onPick={(m) => void start(m)} />
      {challenge && (
        <form onSubmit={onSubmit(verify)}>
          <p className="hint">{hint}</p>
          {byPassword ? (
            <Field
              label={t("password.old")}
              name="password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={error}
              autoComplete="current-password"
              required
            />
          ) : (
            <CodeField value={code} onChange={setCode} error={error} />
          )}
          <ErrorNote error={error} fields={["code", "password"]} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("stepUp.verify")}
            </button>
            <button type="button" className="secondary" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
      {!challenge && (
        <>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/**
 * Says before the click that one of these actions will first ask the person to verify it's them:
 * the server's own answer (security.stepUpRequiredFor), gone while a step-up is in force.
 */
export function StepUpHint({ actions }: { actions: readonly SensitiveAction[] }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (!actions.some((action) => me?.security.stepUpRequiredFor.includes(action))) return null;
  return <p className="hint step-up-hint">{t("stepUp.willAsk")}</p>;
}
