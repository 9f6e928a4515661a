import type { ComponentType, ReactNode } from "react";
import { useI18n } from "./i18n";
import type { MessageKey } from "./i18n/messages";
import { SignIn, SignUp } from "./pages/auth";
import { Profile } from "./pages/profile";
import { Link, navigate, usePath } from "./router";
import { useSession } from "./session";
import { Avatar, Card } from "./ui";

/** The console's sections, in the seed console's order; each is a path of its own. */
const SECTIONS: { path: string; label: MessageKey; Page: ComponentType }[] = [
  { path: "/", label: "nav.profile", Page: Profile },
];

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
      <main className="narrow">{path === "/signup" ? <SignUp /> : <SignIn />}</main>
    </>
  );
}

function Console({ path }: { path: string }) {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  // Signed in at /signin or /signup (a reload, the back button): the first section.
  const section = SECTIONS.find((s) => s.path === path) ?? (["/signin", "/signup"].includes(path) ? SECTIONS[0] : undefined);
  const out = async () => {
    await signOut();
    navigate("/");
  };
  return (
    <>
      <Header>
        {me && (
          <span className="who">
            <Avatar url={me.avatarUrl} name={me.username} size={28} />
            {me.username}
          </span>
        )}
        <button type="button" className="link" onClick={() => void out()}>
          {t("nav.signOut")}
        </button>
      </Header>
      <div className="layout">
        <nav className="sidebar" aria-label={t("app.title")}>
          {SECTIONS.map((s) => (
            <Link key={s.path} to={s.path}>
              {t(s.label)}
            </Link>
          ))}
        </nav>
        <main className="content">{section ? <section.Page /> : <Card title={t("notFound.title")} />}</main>
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
