import { registerUser, REGISTER, uniqueUsername } from "./helpers/accounts";
import { startTestApp, type TestApp } from "./helpers/test-server";

/** Field errors carry a FieldErrorCode and params beside the English message, so clients word them in their own language. */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const UPDATE_PROFILE = /* GraphQL */ `
  mutation ($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      __typename
    }
  }
`;

describe("a field error", () => {
  it("names a built-in constraint's code with the decorator's numbers as params", async () => {
    const user = await registerUser(app.client);
    const error = await user.client.fails(UPDATE_PROFILE, { input: { avatarUrl: `https://example.com/${"a".repeat(3000)}` } });
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(error.extensions?.fieldErrors).toContainEqual({
      field: "avatarUrl",
      code: "TOO_LONG",
      params: { max: 2048 },
      messages: [expect.any(String)],
    });
  });

  it.each([
    ["short", "Ab1!x", "TOO_SHORT", { min: 8 }],
    ["common", "qwertyuiop", "PASSWORD_TOO_COMMON", {}],
  ])("names the password rule's own code for a %s password", async (_case, password, code, params) => {
    const error = await app.client.fails(REGISTER, { input: { username: uniqueUsername("codes"), password } });
    expect(error.extensions?.fieldErrors).toEqual([{ field: "password", code, params, messages: [expect.any(String)] }]);
  });

  it("names a variable of the wrong type WRONG_TYPE with the type expected", async () => {
    const error = await app.client.fails(REGISTER, { input: { username: 42, password: "correct horse battery staple" } });
    expect(error.extensions?.fieldErrors).toEqual([
      { field: "username", code: "WRONG_TYPE", params: { expected: "String" }, messages: ["Expected String."] },
    ]);
  });
});
