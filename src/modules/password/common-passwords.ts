/**
 * The most common passwords of 8 or more characters, from public breach-corpus rankings
 * (international and Chinese lists). Compared lower-cased. A small list on purpose: it stops the
 * guesses an attacker tries first without frustrating people.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword",
  "12345678", "123456789", "1234567890", "0123456789", "87654321", "987654321", "9876543210",
  "11111111", "111111111", "1111111111", "00000000", "000000000", "22222222", "66666666", "88888888",
  "99999999", "12341234", "12344321", "11223344", "123123123", "123321123", "147258369", "159753456",
  "741852963", "963852741", "123654789", "147852369", "135792468", "1234567a", "a1234567", "a12345678",
  "aa123456", "aa12345678", "abc12345", "abc123456", "abcd1234", "1234abcd", "12345abc", "123456abc",
  "123456aa", "123456qq", "qq123456", "qwe12345", "qwer1234", "1234qwer", "1q2w3e4r", "1q2w3e4r5t",
  "1q2w3e4r5t6y", "1qaz2wsx", "1qazxsw2", "zaq12wsx", "qazwsxedc", "qwertyui", "qwertyuiop", "qwerty123",
  "qwerty12", "asdfghjk", "asdfghjkl", "zxcvbnm1", "zxcvbnm123", "asdf1234", "zxcv1234", "iloveyou",
  "iloveyou1", "sunshine", "princess", "football", "baseball", "starwars", "superman", "whatever",
  "trustno1", "letmein1", "welcome1", "welcome123", "admin123", "admin1234", "administrator",
  "changeme", "computer", "internet", "michelle", "jennifer", "corvette", "mercedes", "liverpool",
  "chelsea1", "jordan23", "babygirl", "butterfly", "football1", "charlie1", "master123", "dragon123",
  "monkey123", "shadow123", "freedom1", "lovelove", "88888888a", "5201314520", "52013145", "5201314a",
  "13145200", "woaini1314", "woaini520", "woaiwojia", "wangyang", "li123456", "wang1234", "zhang123",
  "caonima123", "qwertyuiop123", "1234567890a", "a123456789", "q1w2e3r4", "q1w2e3r4t5", "google123",
]);
