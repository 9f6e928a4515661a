import QRCode from "qrcode";
import { useCallback, useEffect, useId, useState, type InputHTMLAttributes, type ReactNode } from "react";
import type { ApiError } from "./api";
import { useI18n } from "./i18n";

/** A titled card is a region named by its title, so each one can be found by what it says. */
export function Card({ title, children }: { title?: string; children?: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={title ? id : undefined}>
      {title && <h2 id={id}>{title}</h2>}
      {children}
    </section>
  );
}

/** The error's code as a sentence, plus the problems of fields that no form field shows. */
export function ErrorNote({ error, fields = [] }: { error: ApiError | null; fields?: string[] }) {
  const { errorText, fieldErrorText } = useI18n();
  if (!error) return null;
  const unplaced = error.fieldErrors.filter((e) => !fields.some((f) => e.field === f || e.field.endsWith(`.${f}`)));
  return (
    <div className="note error" role="alert">
      <p>{errorText(error.code, error.retryAfterSeconds)}</p>
      {[...new Set(unplaced.map(fieldErrorText))].map((message) => (
        <p key={message} className="detail">
          {message}
        </p>
      ))}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="note success" role="status">
      {children}
    </div>
  );
}

type FieldProps = { label: string; name: string; error?: ApiError | null } & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with the problems the server found in its argument (`name`) under it, in the page's language. */
export function Field({ label, name, error, ...input }: FieldProps) {
  const id = useId();
  const { fieldErrorText } = useI18n();
  const messages = [...new Set((error?.problemsFor(name) ?? []).map(fieldErrorText))];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length ? `${id}-error` : undefined}
        {...input}
      />
      {messages.length > 0 && (
        <p className="field-error" id={`${id}-error`}>
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}

/** A new password typed twice. */
export interface NewPassword {
  readonly password: string;
  readonly confirm: string;
}

export const NO_NEW_PASSWORD: NewPassword = { password: "", confirm: "" };

/**
 * The new password and its confirmation, as sign-up, change and reset ask for them: `name` is the API's
 * argument (its errors show under the first field), the second field is `confirm` (useAction's
 * passwordsMatch puts a mismatch there).
 */
export function NewPasswordFields({
  name,
  label,
  confirmLabel,
  value,
  onChange,
  error,
}: {
  name: string;
  label: string;
  confirmLabel: string;
  value: NewPassword;
  onChange: (value: NewPassword) => void;
  error: ApiError | null;
}) {
  return (
    <>
      <Field
        label={label}
        name={name}
        type="password"
        value={value.password}
        onChange={(e) => onChange({ ...value, password: e.target.value })}
        error={error}
        autoComplete="new-password"
        required
      />
      <Field
        label={confirmLabel}
        name="confirm"
        type="password"
        value={value.confirm}
        onChange={(e) => onChange({ ...value, confirm: e.target.value })}
        error={error}
        autoComplete="new-password"
        required
      />
    </>
  );
}

/** A 6-digit (or recovery) code input. */
export function CodeField({
  value,
  onChange,
  error,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  error: ApiError | null;
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <Field
      label={label ?? t("common.code")}
      name="code"
      value={value}
      onChange={(e) => onChange(e.target.value.trim())}
      error={error}
      autoComplete="one-time-code"
      required
    />
  );
}

/** A QR code: the API's PNG when it sent one, else drawn here from `value` (no image leaves the page). */
export function QrCode({ value, dataUrl, label }: { value: string; dataUrl?: string | null; label: string }) {
  const [drawn, setDrawn] = useState<string | null>(null);
  useEffect(() => {
    if (dataUrl) return;
    let current = true;
    void QRCode.toDataURL(value, { margin: 1, width: 200 }).then((url) => current && setDrawn(url));
    return () => {
      current = false;
    };
  }, [value, dataUrl]);
  const src = dataUrl ?? drawn;
  return src ? <img className="qr" src={src} alt={label} width={200} height={200} /> : <div className="qr" />;
}

export function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };
  return (
    <button type="button" className="secondary" onClick={() => void copy()}>
      {copied ? t("common.copied") : t("common.copy")}
    </button>
  );
}

export function Dialog({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={id}>
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function Avatar({ url, name, size = 64 }: { url?: string | null; name: string; size?: number }) {
  return url ? (
    <img className="avatar" src={url} alt={name} width={size} height={size} referrerPolicy="no-referrer" />
  ) : (
    <span className="avatar initial" style={{ width: size, height: size, fontSize: size / 2.4 }} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/**
 * A list as a table: `headers` name the columns ("" for a column of buttons), `children` are its rows.
 * On a phone a wide table scrolls sideways inside its card instead of widening the page.
 */
/** A page of one of the API's connections, as the pages select it. */
interface ListPage<Row> {
  readonly nodes: readonly Row[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null };
}

function nextOf(page: ListPage<unknown>): string | null {
  return page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
}

/**
 * A list read a page at a time: `show` puts a first page in place of what is shown (a query's or a
 * payload's), `append` adds the next; `next` is the cursor to read on from, null at the end.
 */
export function usePagedList<Row>() {
  const [list, setList] = useState<{ shown: readonly Row[]; next: string | null }>({ shown: [], next: null });
  const show = useCallback((page: ListPage<Row>) => setList({ shown: page.nodes, next: nextOf(page) }), []);
  const append = useCallback(
    (page: ListPage<Row>) => setList((list) => ({ shown: [...list.shown, ...page.nodes], next: nextOf(page) })),
    [],
  );
  return { ...list, show, append };
}

/** "Load more" under a paged list while it has more. */
export function MoreButton({ next, busy, onMore }: { next: string | null; busy: boolean; onMore: (after: string) => Promise<void> }) {
  const { t } = useI18n();
  if (!next) return null;
  return (
    <div className="actions">
      <button type="button" className="secondary" disabled={busy} onClick={() => void onMore(next)}>
        {t("common.more")}
      </button>
    </div>
  );
}

export function Table({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            {headers.map((header, index) => (
              <th key={index}>{header}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
