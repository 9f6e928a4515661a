import bcrypt from "bcrypt";
import { BackgroundTasks } from "../src/core/background";
import { auditTypes, LOGIN, registerSteppedUp, registerUser, uniqueUsername } from "./helpers/accounts";
import { bindContact, uniqueEmail } from "./helpers/contacts";
import { recordStatements } from "./helpers/statements";
import { eventually, startTestApp, type TestApp } from "./helpers/test-server";

/**
 * No enumeration oracles: an answer about an identifier nobody has must not only read the same as one
 * about an account's, it must take the same work, or its time tells which names exist. Work, not time,
 * is what these tests compare: the SQL statements run and the bcrypt comparisons made before the answer.
 */

let app: TestApp;
let statements: string[];
beforeAll(async () => {
  app = await startTestApp();
  statements = recordStatements(app.dataSource);
  watchBackgroundWork();
});
afterAll(() => app.stop());

/** The work requests left for after their answers (BackgroundTasks): while `gate` is set it waits for it. */
const background = { gate: Promise.resolve(), running: new Set<Promise<void>>() };

function watchBackgroundWork(): void {
  const { run } = Object.getOwnPropertyDescriptors(BackgroundTasks.prototype);
  jest.spyOn(BackgroundTasks.prototype, "run").mockImplementation(function (this: BackgroundTasks, name, task) {
    const { gate } = background;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    background.running.add(finished);
    (run.value as BackgroundTasks["run"]).call(this, name, async () => {
      try {
        await gate;
        await task();
      } finally {
        background.running.delete(finished);
        done();
      }
    });
  });
}

/** Holds the work requests leave for after their answers until the returned function is called, so what runs before an answer is alone. */
function holdBackgroundWork(): () => void {
  let release!: () => void;
  background.gate = new Promise<void>((resolve) => (release = resolve));
  return () => {
    background.gate = Promise.resolve();
    release();
  };
}

/** Resolves when the work requests left for after their answers has finished. */
async function backgroundWorkDone(): Promise<void> {
  while (background.running.size > 0) await Promise.all([...background.running]);
}

describe("login", () => {
  it("does the same work for an unknown name as for a known one's wrong password, and logs the failure after answering", async () => {
    const user = await registerUser(app.client);
    const compare = jest.spyOn(bcrypt, "compare");
    const release = holdBackgroundWork();
    const work = async (identifier: string) => {
      statements.length = 0;
      compare.mockClear();
      const error = await app.client.fails(LOGIN, { input: { identifier, password: "not-the-password" } });
      return { code: error.extensions?.code, statements: [...statements], bcryptCompares: compare.mock.calls.length };
    };
    try {
      const unknown = await work(uniqueUsername("ghost"));
      const known = await work(user.username);
      expect(known).toEqual(unknown);
      expect(known).toMatchObject({ code: "INVALID_CREDENTIALS", bcryptCompares: 1 });
    } finally {
      release();
      compare.mockRestore();
    }
    // The owner still reads the failed try in the security log.
    await eventually(async () => ((await auditTypes(user.client))[0] === "SIGN_IN_FAILED" ? true : undefined));
  });
});

describe("resetPassword", () => {
  const REQUEST = `mutation($identifier: String!) { requestPasswordReset(input: { identifier: $identifier }) { identifier } }`;
  const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { revokedSessionCount } }`;

  it("checks a wrong code for an address nobody has in the same steps as for a bound one", async () => {
    const user = await registerSteppedUp(app.client);
    const bound = uniqueEmail("bound");
    await bindContact(app, user.client, "EMAIL", bound);
    const unknown = uniqueEmail("nobody");
    const seen = app.smtp.mailsTo(bound).length;
    for (const identifier of [bound, unknown]) await app.client.ok(REQUEST, { identifier });
    const code = await app.smtp.codeFor(bound, seen);
    await backgroundWorkDone();

    const release = holdBackgroundWork();
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const work = async (identifier: string) => {
      statements.length = 0;
      const error = await app.client.fails(RESET, { input: { identifier, code: wrong, newPassword: "An0ther-long-passphrase" } });
      return { code: error.extensions?.code, statements: [...statements] };
    };
    try {
      const nobody = await work(unknown);
      const owner = await work(bound);
      expect(owner).toEqual(nobody);
      expect(owner.code).toBe("CODE_INVALID");
    } finally {
      release();
    }
    // The owner still reads the failed code in the security log.
    await eventually(async () => ((await auditTypes(user.client))[0] === "CODE_FAILED" ? true : undefined));
  });
});
