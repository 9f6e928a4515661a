import { useCallback, useEffect, useState } from "react";
import { useAction } from "../actions";
import { request, sessionToken } from "../api";
import { graphql } from "../gql";
import type { SessionRowFragment } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Card, ErrorNote, MoreButton, Notice, Table, usePagedList } from "../ui";
import { DeviceName } from "./device";

graphql(`
  fragment SessionRow on Session {
    id
    current
    ip
    userAgent
    device {
      ...DeviceFields
    }
    createdAt
    lastSeenAt
  }
`);
// Every selection of the list is this fragment, so a normalized cache keeps one shape of it.
graphql(`
  fragment SessionList on SessionConnection {
    nodes {
      ...SessionRow
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);
const SESSIONS = graphql(`
  query Sessions {
    me {
      id
      sessions {
        ...SessionList
      }
    }
  }
`);
const MORE_SESSIONS = graphql(`
  query MoreSessions($after: String!) {
    me {
      id
      sessions(after: $after) {
        ...SessionList
      }
    }
  }
`);
// The payloads' account lists the sessions left (their first page), so the table needs no second query.
const REVOKE = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(input: { id: $id }) {
      account {
        id
        sessions {
          ...SessionList
        }
      }
    }
  }
`);
const SIGN_OUT_OTHERS = graphql(`
  mutation SignOutOtherSessions {
    signOutOtherSessions {
      revokedSessionIds
      token
      account {
        id
        sessions {
          ...SessionList
        }
      }
    }
  }
`);

/** 登录设备: the signed-in sessions, this one marked; any other can be signed out, or all of them at once. */
export function Sessions() {
  const { t, dateTime } = useI18n();
  const { run, busy, error } = useAction();
  const { shown: sessions, next, show, append } = usePagedList<SessionRowFragment>();
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(async () => {
    const result = await run(() => request(SESSIONS));
    if (result?.me) show(result.me.sessions);
  }, [run, show]);
  useEffect(() => {
    void load();
  }, [load]);
  const more = async (after: string) => {
    const result = await run(() => request(MORE_SESSIONS, { after }));
    if (result?.me) append(result.me.sessions);
  };
  const revoke = async (id: string) => {
    const result = await run(() => request(REVOKE, { id }));
    if (!result) return;
    show(result.revokeSession.account.sessions);
    setNotice(t("sessions.revoked"));
  };
  const signOutOthers = async () => {
    const result = await run(() => request(SIGN_OUT_OTHERS));
    if (!result) return;
    // This session got a new token, so a copy of the old one is signed out with the others.
    sessionToken.set(result.signOutOtherSessions.token);
    show(result.signOutOtherSessions.account.sessions);
    setNotice(t("sessions.signedOutOthers", { count: result.signOutOtherSessions.revokedSessionIds.length }));
  };
  return (
    <Card title={t("sessions.title")}>
      {notice && <Notice>{notice}</Notice>}
      <ErrorNote error={error} />
      <Table headers={[t("sessions.device"), t("sessions.ip"), t("sessions.createdAt"), t("sessions.lastSeenAt"), ""]}>
        {sessions.map((s) => (
          <tr key={s.id}>
            <td className="ua" title={s.userAgent ?? undefined}>
              {s.current && <span className="tag">{t("sessions.current")}</span>} <DeviceName device={s.device} />
            </td>
            <td className="mono">{s.ip ?? t("common.none")}</td>
            <td className="when">{dateTime(s.createdAt)}</td>
            <td className="when">{dateTime(s.lastSeenAt)}</td>
            <td>
              {!s.current && (
                <button type="button" className="danger" disabled={busy} onClick={() => void revoke(s.id)}>
                  {t("sessions.revoke")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <MoreButton next={next} busy={busy} onMore={more} />
      {sessions.some((s) => !s.current) && (
        <div className="actions">
          <button type="button" className="danger" disabled={busy} onClick={() => void signOutOthers()}>
            {t("sessions.signOutOthers")}
          </button>
        </div>
      )}
    </Card>
  );
}
