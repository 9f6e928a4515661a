import { performance } from "node:perf_hooks";
import type { Metrics } from "../core/metrics";
import type { IdentityVerifiers } from "./identity/registry";
import type { OAuthProviders } from "./oauth/registry";
import { ProviderError } from "./provider-error";
import type { Providers } from "./registry";

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/** `target` with each call of `methods` counted by outcome and timed under `vendor`; everything else as it was. */
function instrumented<T extends object>(target: T, vendor: string, methods: ReadonlyArray<keyof T>, metrics: Metrics): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (!methods.includes(property as keyof T) || typeof value !== "function") return value;
      return async (...args: never[]) => {
        const started = performance.now();
        let outcome = "ok";
        try {
          return await (value as AsyncMethod).apply(object, args);
        } catch (error) {
          outcome = error instanceof ProviderError ? error.code : "error";
          throw error;
        } finally {
          metrics.observeProviderCall(vendor, outcome, (performance.now() - started) / 1000);
        }
      };
    },
  });
}

/** Every vendor the server calls, wrapped once so that /metrics sees each call (the adapters stay unaware). */
export function instrumentProviders(
  providers: Providers,
  oauth: OAuthProviders,
  identity: IdentityVerifiers,
  metrics: Metrics,
): { providers: Providers; oauth: OAuthProviders; identity: IdentityVerifiers } {
  const byKind = new Map(
    [...oauth.byKind].map(([kind, provider]) => [kind, instrumented(provider, `oauth-${provider.id}`, ["exchangeCode"], metrics)]),
  );
  const { verifier } = identity;
  return {
    providers: {
      email: instrumented(providers.email, `email-${providers.email.id}`, ["send"], metrics),
      sms: instrumented(providers.sms, `sms-${providers.sms.id}`, ["send"], metrics),
    },
    oauth: { ...oauth, byKind },
    identity: { ...identity, verifier: verifier && instrumented(verifier, `identity-${verifier.id}`, ["start", "query"], metrics) },
  };
}
