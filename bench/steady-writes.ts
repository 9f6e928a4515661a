import { gql, ME_QUERY } from "./load";
import { spaDocument } from "./spa-documents";

/** An account the writer may sign in to and write on: its username and a session token of its own. */
export interface MixedAccount {
  readonly username: string;
  readonly token: string;
}

const LOGIN = spaDocument("pages/auth.tsx", "Login");
const LOGOUT = spaDocument("session.tsx", "Logout");
const UPDATE_PROFILE = spaDocument("pages/profile.tsx", "UpdateProfile");
const REQUEST_STEP_UP = spaDocument("actions.tsx", "RequestStepUp");
const COMPLETE_STEP_UP = spaDocument("actions.tsx", "CompleteStepUp");

type Kind = "signIn" | "signOut" | "profile" | "stepUp";

export interface SteadyWriteCounts {
  readonly seconds: number;
  readonly done: Record<Kind, number>;
  readonly failed: Record<Kind, number>;
  /** Writes still unanswered when stopped (not counted as done or failed). */
  readonly unfinished: number;
  readonly firstFailure: string | null;
}

/**
 * Writes at a steady rate on `origin` (another process than the one measured), as the SPA makes
 * them: every 1/rate s a sign-in (with the password, a session row and a security-log row) and one
 * other write, in turn: a sign-out of a session one of these sign-ins made, a profile change (the
 * account's row; the accounts' tokens are among those the measured process has cached), a step-up
 * with the password (the session's row) on another session these sign-ins made, first read once
 * through the measured process at `measured`, so it is cached there and the step-up's write is felt
 * (a step-up renews its session's token, which no measured request then sends).
 */
export function steadyWrites(origin: string, measured: string, accounts: readonly MixedAccount[], password: string, rate: number) {
  const done: Record<Kind, number> = { signIn: 0, signOut: 0, profile: 0, stepUp: 0 };
  const failed: Record<Kind, number> = { signIn: 0, signOut: 0, profile: 0, stepUp: 0 };
  let firstFailure: string | null = null;
  const signedIn: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let tick = 0;

  const call = async (body: string, token?: string, at = origin): Promise<Record<string, unknown>> => {
    const response = await fetch(`${at}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
    const result = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    if (!response.ok || result.errors || !result.data) throw new Error(JSON.stringify(result).slice(0, 300));
    return result.data;
  };
  const run = (kind: Kind, work: () => Promise<void>) => {
    const promise = work().then(
      () => void done[kind]++,
      (error: unknown) => {
        failed[kind]++;
        firstFailure ??= `${kind}: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };

  const others: Array<(account: MixedAccount, n: number) => void> = [
    () => {
      const token = signedIn.shift();
      if (token) run("signOut", async () => void (await call(gql(LOGOUT), token)));
    },
    (account, n) =>
      run("profile", async () => {
        await call(gql(UPDATE_PROFILE, { input: { avatarUrl: `https://cdn.example.com/avatars/mixed-${n}.png` } }), account.token);
      }),
    () => {
      const token = signedIn.pop();
      if (!token) return;
      run("stepUp", async () => {
        await call(gql(ME_QUERY), token, measured);
        const started = await call(gql(REQUEST_STEP_UP, { method: "PASSWORD" }), token);
        const id = (started.requestStepUp as { challenge: { id: string } }).challenge.id;
        await call(gql(COMPLETE_STEP_UP, { id, password }), token);
      });
    },
  ];

  const started = performance.now();
  const timer = setInterval(() => {
    const n = tick++;
    const account = accounts[n % accounts.length];
    run("signIn", async () => {
      const data = await call(gql(LOGIN, { input: { identifier: account.username, password } }));
      const token = (data.login as { result: { token?: string } }).result.token;
      if (!token) throw new Error(`no session: ${JSON.stringify(data)}`);
      signedIn.push(token);
    });
    // The other writes use accounts further along, so a sign-in and a write never share one.
    others[n % others.length](accounts[(n + Math.floor(accounts.length / 2)) % accounts.length], n);
  }, 1000 / rate);

  return {
    /** Stops starting writes and reports what was done while running. */
    stop(): SteadyWriteCounts {
      clearInterval(timer);
      return {
        seconds: Math.round((performance.now() - started) / 100) / 10,
        done: { ...done },
        failed: { ...failed },
        unfinished: inFlight.size,
        firstFailure,
      };
    },
    /** Waits for the writes still under way. */
    settle: () => Promise.all([...inFlight]),
  };
}
