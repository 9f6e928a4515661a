import { useEffect, useRef, type ComponentType, type ReactNode } from "react";
import { useI18n } from "./i18n";
import type { MessageKey } from "./i18n/messages";
import { ApiKeys } from "./pages/api-keys";
import { SignIn, SignUp } from "./pages/auth";
import { Contacts } from "./pages/contacts";
import { Password } from "./pages/password";
import { PasswordReset } from "./pages/password-reset";
import { Profile } from "./pages/profile";
import { Alipay, OAuthCallback, Social } from "./pages/providers";
import { RealName } from "./pages/real-name";
import { SecurityLog } from "./pages/security-log";
import { Sessions } from "./pages/sessions";
import { Totp } from "./pages/totp";
import { TwoStep } from "./pages/two-step";
import { Link, navigate, usePath } from "./router";
import { useMe, useSession } from "./session";
import { Avatar, Card } from "./ui";

/** The console's sections, in the seed console's order; each is a path of its own. */
const SECTIONS: { path: string; label: MessageKey; Page: ComponentType; labelWithoutPassword?: MessageKey }[] = [
  { path: "/", label: "nav.profile", Page: Profile },
  { path: "/password", label: "nav.password", Page: Password, labelWithoutPassword: "nav.setPassword" },
  { path: "/contacts", label: "nav.contacts", Page: Contacts },
  { path: "/social", label: "nav.social", Page: Social },
  { path: "/alipay", label: "nav.alipay", Page: Alipay },
  { path: "/real-name", label: "nav.realName", Page: RealName },
  { path: "/api-keys", label: "nav.apiKeys", Page: ApiKeys },
  { path: "/totp", label: "nav.totp", Page: Totp },
  { path: "/two-step", label: "nav.twoStep", Page: TwoStep },
  { path: "/sessions", label: "nav.sessions", Page: Sessions },
  { path: "/security-log", label: "nav.securityLog", Page: SecurityLog },
];

/** Where providers send the browser back (see oauth.ts); not a section of its own. */
const CALLBACK_PATH = "/oauth/callback";

function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button type="button" className="link" lang={lang === "en" ? "zh-CN" : "en"} onClick={() => setLang(lang === "en" ? "zh-CN" : "en")}>
      {t("lang.switch")}
    </button>
  );
}

function Header({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="top">
      <span className="brand">{t("app.title")}</span>
      <span className="spacer" />
      {children}
      <LanguageSwitch />
    </header>
  );
}

/** Signed out: sign-in, or sign-up at /signup, on their own without the console around them. */
function SignedOut({ path }: { path: string }) {
  return (
    <>
      <Header />
      <main className="narrow">
        {path === CALLBACK_PATH ? (
          <OAuthCallback />
        ) : path === "/signup" ? (
          <SignUp />
        ) : path === "/reset-password" ? (
          <PasswordReset />
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}

function Console({ path }: { path: string }) {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  // Signed in at a signed-out page (a reload, the back button): the first section.
  const section =
    SECTIONS.find((s) => s.path === path) ?? (["/signin", "/signup", "/reset-password"].includes(path) ? SECTIONS[0] : undefined);
  const page = path === CALLBACK_PATH ? <OAuthCallback /> : section ? <section.Page /> : <Card title={t("notFound.title")} />;
  const nav = useRef<HTMLElement>(null);
  // On a phone the sections are one scrolling row: keep the current one in view.
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [path]);
  const out = async () => {
    await signOut();
    navigate("/");
  };
  return (
    <>
      <Header>
        <span className="who">
          <Avatar url={me.avatarUrl} name={me.username} size={28} />
          <span className="name">{me.username}</span>
        </span>
        <button type="button" className="link" onClick={() => void out()}>
          {t("nav.signOut")}
        </button>
      </Header>
      <div className="layout">
        <nav ref={nav} className="sidebar" aria-label={t("app.title")}>
          {SECTIONS.map((s) => (
            <Link key={s.path} to={s.path}>
              {t((!me.security.hasPassword && s.labelWithoutPassword) || s.label)}
            </Link>
          ))}
        </nav>
        <main className="content">{page}</main>
      </div>
    </>
  );
}

export function App() {
  const { t } = useI18n();
  const { me, loading } = useSession();
  const path = usePath();
  if (loading) return <p className="loading">{t("common.loading")}</p>;
  return me ? <Console path={path} /> : <SignedOut path={path} />;
}
