import { defineConfig } from "vite";

// Run from the repository root (npm scripts): the SPA lives in web/ and builds to web/dist, which the
// server serves at /. `npm run dev:web` proxies the API and the dev stand-ins to `npm start`'s server.
export default defineConfig({
  root: "web",
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    proxy: { "/graphql": "http://127.0.0.1:4000", "/dev": "http://127.0.0.1:4000" },
  },
});
