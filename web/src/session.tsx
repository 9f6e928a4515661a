import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { request, sessionToken } from "./api";
import { graphql } from "./gql";
import type { MeQuery } from "./gql/graphql";

/**
 * Everything the account center shows of the account. Every mutation that changes the account selects it
 * on its payload's `account`, with the `id` of each keyed object, so a normalized client cache (Apollo
 * Client, urql graphcache) shows the change without a refetch.
 */
graphql(`
  fragment MeFields on Account {
    id
    username
    createdAt
    avatarUrl
    email {
      id
      masked
      verifiedAt
      usableFrom
    }
    phone {
      id
      masked
      verifiedAt
      usableFrom
    }
    identities {
      nodes {
        id
        provider
        displayName
        avatarUrl
        boundAt
      }
    }
    security {
      id
      hasPassword
      passwordChangedAt
      totpEnabled
      totpUsableFrom
      twoStepEnabled
      twoStepMethods
      stepUpMethods
      stepUpValidUntil
      stepUpRequiredFor
      recoveryCodesRemaining
    }
    realName {
      id
      status
      maskedName
      maskedIdNumber
      verifyUrl
      verifiedAt
      failureReason
      failureCode
    }
    capabilities {
      id
      canPurchase
      canWithdraw
    }
  }
`);

const ME = graphql(`
  query Me {
    me {
      ...MeFields
    }
  }
`);

const LOGOUT = graphql(`
  mutation Logout {
    logout {
      signedOutSessionId
    }
  }
`);

export type Me = NonNullable<MeQuery["me"]>;

interface Session {
  /** The signed-in account; null when signed out. */
  me: Me | null;
  loading: boolean;
  signIn: (token: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Reads the account again after a change (and notices a session that ended). */
  reload: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const reload = useCallback(async () => {
    const sentWith = sessionToken.get();
    if (!sentWith) {
      setMe(null);
      setLoading(false);
      return;
    }
    try {
      const { me: account } = await request(ME);
      // A step-up renewed the token while this was on its way: the answer is the old token's.
      if (sessionToken.get() !== sentWith) return;
      if (!account) sessionToken.set(null);
      setMe(account ?? null);
    } catch {
      // The server is unreachable: keep what is shown; the page's own action reports the error.
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  // When this session's step-up lapses, read the account again, so the pages' step-up hints come back.
  const stepUpValidUntil = me?.security.stepUpValidUntil;
  useEffect(() => {
    if (!stepUpValidUntil) return;
    const timer = setTimeout(() => void reload(), Math.max(0, Date.parse(stepUpValidUntil) - Date.now()) + 1000);
    return () => clearTimeout(timer);
  }, [stepUpValidUntil, reload]);

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      reload,
      async signIn(token) {
        sessionToken.set(token);
        await reload();
      },
      async signOut() {
        await request(LOGOUT).catch(() => undefined);
        sessionToken.set(null);
        setMe(null);
      },
    }),
    [me, loading, reload],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in account, for pages that are only shown when signed in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error("useMe while signed out");
  return me;
}
