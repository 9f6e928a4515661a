import bcrypt from "bcrypt";
import { BackgroundTasks } from "../src/core/background";
import { auditTypes, LOGIN, registerUser, uniqueUsername } from "./helpers/accounts";
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
});
afterAll(() => app.stop());

/** Holds the work a request leaves for after its answer (BackgroundTasks) until released, so what runs before the answer is alone. */
function holdBackgroundWork(): { release(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const { run } = Object.getOwnPropertyDescriptors(BackgroundTasks.prototype);
  const spy = jest.spyOn(BackgroundTasks.prototype, "run").mockImplementation(function (this: BackgroundTasks, name, task) {
    (run.value as BackgroundTasks["run"]).call(this, name, () => gate.then(task));
  });
  return {
    release() {
      spy.mockRestore();
      open();
    },
  };
}

describe("login", () => {
  it("does the same work for an unknown name as for a known one's wrong password, and logs the failure after answering", async () => {
    const user = await registerUser(app.client);
    const compare = jest.spyOn(bcrypt, "compare");
    const held = holdBackgroundWork();
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
      held.release();
      compare.mockRestore();
    }
    // The owner still reads the failed try in the security log.
    await eventually(async () => ((await auditTypes(user.client))[0] === "SIGN_IN_FAILED" ? true : undefined));
  });
});
