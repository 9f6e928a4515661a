import type { Config } from "../../config";
import type { Clock } from "../../core/clock";
import type { OAuthProvider, OAuthProviderKind } from "../types";
import { createAlipayProvider } from "./alipay.provider";
import { createDevOAuthProvider, type DevOAuthProvider } from "./dev.provider";
import { createQqProvider } from "./qq.provider";
import { createWechatProvider } from "./wechat.provider";

export interface OAuthProviders {
  /** The enabled provider of each kind: the vendor when configured, else the dev stand-in when allowed. */
  readonly byKind: ReadonlyMap<OAuthProviderKind, OAuthProvider>;
  /** The dev stand-ins in use, for the local consent route. */
  readonly devStandIns: ReadonlyMap<OAuthProviderKind, DevOAuthProvider>;
}

export function createOAuthProviders(config: Config, clock: Clock): OAuthProviders {
  const { wechat, qq, alipay, timeoutMs } = config.providers;
  const vendors: Record<OAuthProviderKind, OAuthProvider | undefined> = {
    WECHAT: wechat && createWechatProvider(wechat, timeoutMs),
    QQ: qq && createQqProvider(qq, timeoutMs),
    ALIPAY: alipay && createAlipayProvider(alipay, timeoutMs, clock),
  };
  const byKind = new Map<OAuthProviderKind, OAuthProvider>();
  const devStandIns = new Map<OAuthProviderKind, DevOAuthProvider>();
  for (const kind of Object.keys(vendors) as OAuthProviderKind[]) {
    const vendor = vendors[kind];
    if (vendor) {
      byKind.set(kind, vendor);
    } else if (config.providers.devStandIns) {
      const dev = createDevOAuthProvider(kind, config.publicOrigin, clock);
      byKind.set(kind, dev);
      devStandIns.set(kind, dev);
    }
  }
  return { byKind, devStandIns };
}
