import { useCallback, useEffect, useState } from "react";
import { useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { SessionsQuery } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Card, ErrorNote, Notice, Table } from "../ui";
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
const SESSIONS = graphql(`
  query Sessions {
    me {
      id
      sessions {
        ...SessionRow
      }
    }
  }
`);
// The payloads' account lists the sessions left, so the table needs no second query.
const REVOKE = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(input: { id: $id }) {
      account {
        id
        sessions {
          ...SessionRow
        }
      }
    }
  }
`);
const SIGN_OUT_OTHERS = graphql(`
  mutation SignOutOtherSessions {
    signOutOtherSessions {
      revokedSessionIds
      account {
        id
        sessions {
          ...SessionRow
        }
      }
    }
  }
`);

type Session = NonNullable<SessionsQuery["me"]>["sessions"][number];

/** 登录设备: the signed-in sessions, this one marked; any other can be signed out, or all of them at once. */
export function Sessions() {
  const { t, dateTime } = useI18n();
  const { run, busy, error } = useAction();
  const [sessions, setSessions] = useState<Session[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(async () => {
    const result = await run(() => request(SESSIONS));
    if (result) setSessions(result.me?.sessions ?? []);
  }, [run]);
  useEffect(() => {
    void load();
  }, [load]);
  const revoke = async (id: string) => {
    const result = await run(() => request(REVOKE, { id }));
    if (!result) return;
    setSessions(result.revokeSession.account.sessions);
    setNotice(t("sessions.revoked"));
  };
  const signOutOthers = async () => {
    const result = await run(() => request(SIGN_OUT_OTHERS));
    if (!result) return;
    setSessions(result.signOutOtherSessions.account.sessions);
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
