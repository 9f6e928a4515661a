import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { StepUpProvider } from "./actions";
import { App } from "./App";
import { I18nProvider } from "./i18n";
import { SessionProvider } from "./session";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <StepUpProvider>
          <App />
        </StepUpProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
