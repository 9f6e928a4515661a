import { useCallback, useEffect, useState } from "react";
import { onSubmit, StepUpHint, useAction } from "../actions";
import { request } from "../api";
import { graphql } from "../gql";
import type { ApiKeyListFragment, ApiKeyRowFragment, ApiKeyScope } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Card, CopyButton, ErrorNote, Field, MoreButton, Notice, Table, usePagedList } from "../ui";

graphql(`
  fragment ApiKeyRow on ApiKey {
    id
    name
    prefix
    scopes
    createdAt
    lastUsedAt
    expiresAt
    usableFrom
  }
`);
// Every selection of the list is this fragment, so a normalized cache keeps one shape of it.
graphql(`
  fragment ApiKeyList on ApiKeyConnection {
    max
    nodes {
      ...ApiKeyRow
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);
const API_KEYS = graphql(`
  query ApiKeys {
    me {
      id
      apiKeys {
        ...ApiKeyList
      }
    }
  }
`);
const MORE_API_KEYS = graphql(`
  query MoreApiKeys($after: String!) {
    me {
      id
      apiKeys(after: $after) {
        ...ApiKeyList
      }
    }
  }
`);
// Both mutations return the account's keys as they are now (their first page): the list is shown from them, not read again.
const CREATE = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      account {
        id
        apiKeys {
          ...ApiKeyList
        }
      }
    }
  }
`);
const REVOKE = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      revokedApiKeyId
      account {
        id
        apiKeys {
          ...ApiKeyList
        }
      }
    }
  }
`);

type ApiKey = ApiKeyRowFragment;
type KeyPage = ApiKeyListFragment;
const LIFETIMES_DAYS = [30, 90, 365];
const DAY_MS = 86_400_000;

/** API密钥: create (the secret shown once, with a copy button), list, revoke. */
export function ApiKeys() {
  const { t } = useI18n();
  const { shown: keys, next, show: showKeys, append } = usePagedList<ApiKey>();
  // How many keys the account may have: the server's setting, not a number written here.
  const [max, setMax] = useState<number | null>(null);
  const show = useCallback(
    (page: KeyPage) => {
      setMax(page.max);
      showKeys(page);
    },
    [showKeys],
  );
  const [revoked, setRevoked] = useState<string | null>(null);
  const { run, busy, error } = useAction();
  useEffect(() => {
    void run(() => request(API_KEYS)).then((result) => result?.me && show(result.me.apiKeys));
  }, [run, show]);
  const more = async (after: string) => {
    const result = await run(() => request(MORE_API_KEYS, { after }));
    if (result?.me) append(result.me.apiKeys);
  };
  return (
    <>
      <CreateKey max={max} onCreated={show} />
      <Card title={t("apiKeys.title")}>
        {revoked && <Notice>{t("apiKeys.revoked", { name: revoked })}</Notice>}
        <ErrorNote error={error} />
        {keys.length === 0 ? (
          <p className="hint">{t("apiKeys.empty")}</p>
        ) : (
          <KeyTable
            keys={keys}
            onRevoked={(key, left) => {
              setRevoked(key.name);
              show(left);
            }}
          />
        )}
        <MoreButton next={next} busy={busy} onMore={more} />
      </Card>
    </>
  );
}

function CreateKey({ max, onCreated }: { max: number | null; onCreated: (keys: KeyPage) => void }) {
  const { t } = useI18n();
  const { run, busy, error } = useAction();
  const [name, setName] = useState("");
  const [write, setWrite] = useState(false);
  const [days, setDays] = useState(0);
  const [secret, setSecret] = useState<string | null>(null);
  const create = async () => {
    const input = {
      name: name.trim(),
      scopes: (write ? ["ACCOUNT_READ", "ACCOUNT_WRITE"] : ["ACCOUNT_READ"]) satisfies ApiKeyScope[],
      expiresAt: days ? new Date(Date.now() + days * DAY_MS).toISOString() : null,
    };
    const result = await run(() => request(CREATE, { input }));
    if (!result) return;
    setSecret(result.createApiKey.secret);
    setName("");
    onCreated(result.createApiKey.account.apiKeys);
  };
  return (
    <Card title={t("apiKeys.create")}>
      {max !== null && <p className="hint">{t("apiKeys.intro", { max })}</p>}
      <StepUpHint actions={["CREATE_API_KEY"]} />
      {secret ? (
        <div>
          <p>{t("apiKeys.secretOnce")}</p>
          <div className="secret">
            <code className="grow" aria-label={t("common.secret")}>
              {secret}
            </code>
            <CopyButton text={secret} />
          </div>
          <div className="actions">
            <button type="button" onClick={() => setSecret(null)}>
              {t("apiKeys.secretSaved")}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit(create)}>
          <Field
            label={t("apiKeys.name")}
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={error}
            maxLength={64}
            required
          />
          <fieldset>
            <legend>{t("apiKeys.scopes")}</legend>
            <label>
              <input type="checkbox" checked disabled /> {t("apiKeys.scope.ACCOUNT_READ")} <code>ACCOUNT_READ</code>
            </label>
            <label>
              <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} /> {t("apiKeys.scope.ACCOUNT_WRITE")}{" "}
              <code>ACCOUNT_WRITE</code>
            </label>
          </fieldset>
          <div className="field">
            <label>
              {t("apiKeys.expires")}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
                <option value={0}>{t("apiKeys.expires.never")}</option>
                {LIFETIMES_DAYS.map((d) => (
                  <option key={d} value={d}>
                    {t("apiKeys.expires.days", { days: d })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ErrorNote error={error} fields={["name"]} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t("apiKeys.create")}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}

function KeyTable({ keys, onRevoked }: { keys: readonly ApiKey[]; onRevoked: (key: ApiKey, left: KeyPage) => void }) {
  const { t, dateTime, list } = useI18n();
  const { run, busy, error } = useAction();
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = async (key: ApiKey) => {
    const result = await run(() => request(REVOKE, { input: { id: key.id } }));
    if (result) onRevoked(key, result.revokeApiKey.account.apiKeys);
    setConfirming(null);
  };
  return (
    <>
      <ErrorNote error={error} />
      <Table
        headers={[
          t("apiKeys.name"),
          t("apiKeys.prefix"),
          t("apiKeys.scopes"),
          t("apiKeys.createdAt"),
          t("apiKeys.lastUsedAt"),
          t("apiKeys.expiresAt"),
          "",
        ]}
      >
        {keys.map((key) => (
          <tr key={key.id}>
            <td>
              {key.name} {key.usableFrom && <span className="tag muted">{t("common.cooling")}</span>}
              {key.usableFrom && <p className="hint">{t("apiKeys.coolingHint", { date: dateTime(key.usableFrom) })}</p>}
            </td>
            <td className="mono">{key.prefix}…</td>
            <td>{list(key.scopes.map((scope) => t(`apiKeys.scope.${scope}`)))}</td>
            <td className="when">{dateTime(key.createdAt)}</td>
            <td className="when">{dateTime(key.lastUsedAt)}</td>
            <td className="when">{key.expiresAt ? dateTime(key.expiresAt) : t("apiKeys.expires.never")}</td>
            <td>
              {confirming === key.id ? (
                <span className="actions">
                  <span>{t("apiKeys.revokeConfirm", { name: key.name })}</span>
                  <button type="button" className="danger" disabled={busy} onClick={() => void revoke(key)}>
                    {t("common.confirm")}
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                    {t("common.cancel")}
                  </button>
                </span>
              ) : (
                <button type="button" className="danger" onClick={() => setConfirming(key.id)}>
                  {t("apiKeys.revoke")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
