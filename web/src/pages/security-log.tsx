import { useCallback, useEffect, useState } from "react";
import { useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { AuditEventsQuery } from "../gql/graphql";
import { useI18n } from "../i18n";
import { auditEventLabel } from "../i18n/messages";
import { Card, ErrorNote, Table } from "../ui";

const AUDIT_EVENTS = graphql(`
  query AuditEvents($after: String) {
    me {
      auditEvents(first: 20, after: $after) {
        nodes {
          id
          type
          ip
          userAgent
          createdAt
        }
        endCursor
        hasNextPage
      }
    }
  }
`);

type Page = NonNullable<AuditEventsQuery["me"]>["auditEvents"];

/** 安全日志: newest first, 20 at a time. */
export function SecurityLog() {
  const { t, lang, dateTime } = useI18n();
  const { run, busy, error } = useAction();
  const [events, setEvents] = useState<Page["nodes"]>([]);
  const [next, setNext] = useState<string | null>(null);
  const load = useCallback(
    async (after: string | null) => {
      const result = await run(() => request(AUDIT_EVENTS, { after }));
      const page = result?.me?.auditEvents;
      if (!page) return;
      setEvents((shown) => (after ? [...shown, ...page.nodes] : page.nodes));
      setNext(page.hasNextPage ? (page.endCursor ?? null) : null);
    },
    [run],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  return (
    <Card title={t("log.title")}>
      <ErrorNote error={error} />
      {events.length === 0 && !busy && <p className="hint">{t("log.empty")}</p>}
      {events.length > 0 && (
        <Table headers={[t("log.event"), t("log.time"), t("sessions.ip"), t("sessions.device")]}>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{auditEventLabel(lang, e.type)}</td>
              <td className="when">{dateTime(e.createdAt)}</td>
              <td className="mono">{e.ip ?? t("common.none")}</td>
              <td className="ua">{e.userAgent ?? t("common.none")}</td>
            </tr>
          ))}
        </Table>
      )}
      {next && (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => void load(next)}>
            {t("log.more")}
          </button>
        </div>
      )}
    </Card>
  );
}
