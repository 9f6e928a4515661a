import { auditTypes, ME, registerSteppedUp, registerUser, renewing, signInAgain } from "./helpers/accounts";
import { bindContact, uniqueEmail } from "./helpers/contacts";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";
import { NOTICE_TEXT } from "../src/modules/notice/notice-messages";

const SIGN_OUT_OTHERS = /* GraphQL */ `
  mutation SignOutOtherSessions {
    signOutOtherSessions {
      revokedSessionIds
      token
      account {
        id
        sessions {
          nodes {
            id
            current
          }
        }
      }
    }
  }
`;
const SESSIONS = /* GraphQL */ `
  query Sessions {
    me {
      sessions {
        nodes {
          id
          current
          userAgent
          device {
            type
            browser {
              name
              version
            }
            os {
              name
              version
            }
          }
        }
      }
    }
  }
`;

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const IPAD =
  "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
const WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

describe("signOutOtherSessions", () => {
  it("signs out every other session, keeps this one, records it and tells the bound address", async () => {
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    const phone = await signInAgain(app.client, user.username, IPHONE);
    const tablet = await signInAgain(app.client, user.username, IPAD);
    const before = (await user.client.ok(SESSIONS)).me.sessions.nodes as { id: string; current: boolean }[];
    expect(before).toHaveLength(3);

    const copy = app.client.as(user.client.token!); // a copy of this session's own token, held by someone else
    const payload = await renewing(user.client, "signOutOtherSessions", SIGN_OUT_OTHERS);
    const others = before.filter((s) => !s.current).map((s) => s.id);
    expect([...payload.revokedSessionIds].sort()).toEqual([...others].sort());
    expect(payload.account.sessions.nodes).toEqual([{ id: before.find((s) => s.current)!.id, current: true }]);
    expect((await phone.ok(ME)).me).toBeNull();
    expect((await tablet.ok(ME)).me).toBeNull();
    expect((await copy.ok(ME)).me).toBeNull();
    expect((await user.client.ok(ME)).me.id).toBe(user.id);
    expect((await auditTypes(user.client))[0]).toBe("OTHER_SESSIONS_SIGNED_OUT");
    await eventually(() => app.smtp.mailsTo(email).find((m) => m.text.includes(NOTICE_TEXT.OTHER_SESSIONS_SIGNED_OUT.en)));
  });

  it("with no other session, still ends a copy of this session's token, records it and tells the bound address", async () => {
    // A thief holding a copy of the owner's only token must not be able to take it over silently.
    const user = await registerSteppedUp(app.client);
    const email = uniqueEmail();
    await bindContact(app, user.client, "EMAIL", email);
    const copy = app.client.as(user.client.token!);
    const payload = await renewing(user.client, "signOutOtherSessions", SIGN_OUT_OTHERS);
    expect(payload.revokedSessionIds).toEqual([]);
    expect((await copy.ok(ME)).me).toBeNull();
    expect((await auditTypes(user.client))[0]).toBe("OTHER_SESSIONS_SIGNED_OUT");
    await eventually(() => app.smtp.mailsTo(email).find((m) => m.text.includes(NOTICE_TEXT.OTHER_SESSIONS_SIGNED_OUT.en)));
  });

  it("needs no step-up, a session (not an API key), and a signed-in caller", async () => {
    const user = await registerUser(app.client);
    await signInAgain(app.client, user.username);
    // No step-up was made on this session: the mutation goes ahead anyway.
    expect((await user.client.ok(SIGN_OUT_OTHERS)).signOutOtherSessions.revokedSessionIds).toHaveLength(1);
    expect((await app.client.fails(SIGN_OUT_OTHERS)).extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("leaves other accounts' sessions alone", async () => {
    const user = await registerUser(app.client);
    const other = await registerUser(app.client);
    await user.client.ok(SIGN_OUT_OTHERS);
    expect((await other.client.ok(ME)).me.id).toBe(other.id);
  });
});

describe("Session.device", () => {
  it("parses the user agent into browser, OS and device type beside the raw string", async () => {
    const user = await registerUser(app.client.with({ "user-agent": WINDOWS_CHROME }));
    await signInAgain(app.client, user.username, IPHONE);
    await signInAgain(app.client, user.username, IPAD);
    await signInAgain(app.client, user.username, "curl/8.5.0");
    const sessions = (await user.client.ok(SESSIONS)).me.sessions.nodes as { userAgent: string; device: unknown }[];
    const byAgent = Object.fromEntries(sessions.map((s) => [s.userAgent, s.device]));
    expect(byAgent[WINDOWS_CHROME]).toEqual({
      type: "DESKTOP",
      browser: { name: "Chrome", version: "124.0.0.0" },
      os: { name: "Windows", version: "10" },
    });
    expect(byAgent[IPHONE]).toEqual({
      type: "MOBILE",
      browser: { name: "Mobile Safari", version: "17.4" },
      os: { name: "iOS", version: "17.4" },
    });
    expect(byAgent[IPAD]).toMatchObject({ type: "TABLET", os: { name: "iOS", version: "16.6" } });
    expect(byAgent["curl/8.5.0"]).toEqual({ type: "UNKNOWN", browser: null, os: null });
  });

  it("is on security log events too", async () => {
    const user = await registerUser(app.client.with({ "user-agent": IPHONE }));
    const data = await user.client.ok(`{ me { auditEvents(first: 1) { nodes { userAgent device { type os { name } } } } } }`);
    expect(data.me.auditEvents.nodes[0]).toEqual({ userAgent: IPHONE, device: { type: "MOBILE", os: { name: "iOS" } } });
  });
});
