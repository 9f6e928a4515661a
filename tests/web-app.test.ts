import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestApp, type TestApp } from "./helpers/test-server";

/**
 * The account center as the server serves it (src/web-app.ts), on a stand-in build: hashed assets
 * cached for a year, index.html for every client-side route and never cached, the page's security
 * headers, and the API's own paths left alone.
 */
const INDEX = '<!doctype html><title>账号中心</title><script src="/assets/app-3f2a.js"></script>';
const ASSET = "console.log('account center');";

let app: TestApp;
let origin: string;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "web-app-"));
  fs.mkdirSync(path.join(dir, "assets"));
  fs.writeFileSync(path.join(dir, "index.html"), INDEX);
  fs.writeFileSync(path.join(dir, "assets/app-3f2a.js"), ASSET);
  fs.writeFileSync(path.join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = await startTestApp({ WEB_APP_DIR: dir });
  origin = new URL(app.url).origin;
});
afterAll(async () => {
  await app.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const page = (pathname: string, accept = "text/html,application/xhtml+xml,*/*;q=0.8") =>
  fetch(`${origin}${pathname}`, { headers: { accept } });

describe("the account center", () => {
  it("answers / and every client-side route with index.html, never cached, with the page's security headers", async () => {
    for (const pathname of ["/", "/security", "/oauth/callback?code=abc&state=xyz", "/settings/keys/"]) {
      const response = await page(pathname);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await response.text()).toBe(INDEX);
    }
  });

  it("serves hashed assets as immutable for a year, and other files uncached", async () => {
    const asset = await page("/assets/app-3f2a.js", "*/*");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/max-age=31536000/);
    expect(asset.headers.get("cache-control")).toMatch(/immutable/);
    expect(await asset.text()).toBe(ASSET);
    const icon = await page("/favicon.svg", "image/*");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("cache-control")).toMatch(/max-age=0/);
  });

  it("answers a missing asset with 404 in JSON, not with the page", async () => {
    const response = await page("/assets/gone-0000.js", "*/*");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("answers the assets folder itself as not found in JSON, and serves nothing from outside the build", async () => {
    const folder = await page("/assets/", "*/*");
    expect([403, 404]).toContain(folder.status);
    expect(await folder.json()).toEqual({ errors: [{ message: "Not found.", extensions: { code: "BAD_REQUEST" } }] });
    fs.writeFileSync(path.join(dir, "..", `${path.basename(dir)}-secret.txt`), "outside the build");
    for (const pathname of [
      `/assets/..%2f..%2f${path.basename(dir)}-secret.txt`,
      `/..%2f${path.basename(dir)}-secret.txt`,
      `/../${path.basename(dir)}-secret.txt`,
    ]) {
      expect(await (await page(pathname, "*/*")).text()).not.toContain("outside the build");
    }
    fs.rmSync(path.join(dir, "..", `${path.basename(dir)}-secret.txt`));
  });

  it("gives a request that does not ask for a page no page", async () => {
    const response = await page("/security", "application/json");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(INDEX);
  });

  it("leaves the server's own paths to the server", async () => {
    const health = await page("/healthz", "*/*");
    expect(await health.json()).toEqual({ ok: true });
    expect(health.headers.get("content-security-policy")).toBeNull();
    const unknown = await page("/dev/nothing-here");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain(INDEX);
    const sandbox = await page("/graphql");
    expect(await sandbox.text()).toContain("sandbox");
  });
});
