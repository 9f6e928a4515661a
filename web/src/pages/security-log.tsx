import { useCallback, useEffect, useState } from "react";
import { onSubmit, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { AuditEventsQuery, AuditEventType } from "../gql/graphql";
import { useI18n } from "../i18n";
import { AUDIT_EVENT_TYPES, auditEventLabel } from "../i18n/messages";
import { Card, ErrorNote, Table } from "../ui";
import { DeviceName } from "./device";

const AUDIT_EVENTS = graphql(`
  query AuditEvents($after: String, $types: [AuditEventType!], $since: DateTime, $until: DateTime) {
    me {
      id
      auditEvents(first: 20, after: $after, types: $types, since: $since, until: $until) {
        edges {
          cursor
          node {
            id
            type
            ip
            userAgent
            device {
              ...DeviceFields
            }
            createdAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
        totalCount
      }
    }
  }
`);

type Edge = NonNullable<AuditEventsQuery["me"]>["auditEvents"]["edges"][number];

interface Filter {
  type: AuditEventType | "";
  /** Days as the date inputs give them (YYYY-MM-DD, the reader's time zone); "" for no bound. */
  since: string;
  until: string;
}

/** The API's filter arguments: whole days in the reader's time zone, the until day included. */
function filterVariables({ type, since, until }: Filter) {
  const dayStart = (day: string, plusDays = 0) => {
    const date = new Date(`${day}T00:00:00`);
    date.setDate(date.getDate() + plusDays);
    return date.toISOString();
  };
  return {
    types: type ? [type] : null,
    since: since ? dayStart(since) : null,
    until: until ? dayStart(until, 1) : null,
  };
}

/** 安全日志: newest first, 20 at a time (the API's cursors), filtered by event type and dates. */
export function SecurityLog() {
  const { t, lang, dateTime } = useI18n();
  const { run, busy, error } = useAction();
  const [edges, setEdges] = useState<Edge[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>({ type: "", since: "", until: "" });
  const [applied, setApplied] = useState<Filter>(filter);
  const load = useCallback(
    async (after: string | null) => {
      const result = await run(() => request(AUDIT_EVENTS, { after, ...filterVariables(applied) }));
      const page = result?.me?.auditEvents;
      if (!page) return;
      setEdges((shown) => (after ? [...shown, ...page.edges] : page.edges));
      setNext(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
      setTotal(page.totalCount);
    },
    [run, applied],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  return (
    <Card title={t("log.title")}>
      <form className="log-filter" onSubmit={onSubmit(() => setApplied(filter))}>
        <div className="field">
          <label htmlFor="log-type">{t("log.type")}</label>
          <select id="log-type" value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value as AuditEventType | "" })}>
            <option value="">{t("log.allTypes")}</option>
            {AUDIT_EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {auditEventLabel(lang, type)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-since">{t("log.since")}</label>
          <input id="log-since" type="date" value={filter.since} onChange={(e) => setFilter({ ...filter, since: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="log-until">{t("log.until")}</label>
          <input id="log-until" type="date" value={filter.until} onChange={(e) => setFilter({ ...filter, until: e.target.value })} />
        </div>
        <div className="actions">
          <button type="submit" className="secondary" disabled={busy}>
            {t("log.filter")}
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {total !== null && edges.length > 0 && <p className="hint">{t("log.total", { count: total })}</p>}
      {edges.length === 0 && !busy && <p className="hint">{t("log.empty")}</p>}
      {edges.length > 0 && (
        <Table headers={[t("log.event"), t("log.time"), t("sessions.ip"), t("sessions.device")]}>
          {edges.map(({ node: e }) => (
            <tr key={e.id}>
              <td>{auditEventLabel(lang, e.type)}</td>
              <td className="when">{dateTime(e.createdAt)}</td>
              <td className="mono">{e.ip ?? t("common.none")}</td>
              <td className="ua" title={e.userAgent ?? undefined}>
                <DeviceName device={e.device} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {next && (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => void load(next)}>
            {t("common.more")}
          </button>
        </div>
      )}
    </Card>
  );
}
