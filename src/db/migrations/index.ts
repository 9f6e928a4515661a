import { Foundation1763900000000 } from "./1763900000000-foundation";
import { ContactsAndChallenges1763990000000 } from "./1763990000000-contacts-and-challenges";
import { SecondFactorsAndApiKeys1764080000000 } from "./1764080000000-second-factors-and-api-keys";
import { OAuthStates1764170000000 } from "./1764170000000-oauth-states";
import { RealNameChecks1764260000000 } from "./1764260000000-real-name-checks";
import { RealNameFailureCode1764350000000 } from "./1764350000000-real-name-failure-code";
import { DevDataKey1764440000000 } from "./1764440000000-dev-data-key";
import { UsernameNfkcKeys1764441600000 } from "./1764441600000-username-nfkc-keys";
import { FactorUsableFrom1764442000000 } from "./1764442000000-factor-usable-from";
import { ChallengeRecords1764443000000 } from "./1764443000000-challenge-records";
import { AuditEventsByTime1764530000000 } from "./1764530000000-audit-events-by-time";
import { RealNamePolledAt1764530000001 } from "./1764530000001-real-name-polled-at";
import { SweeperIndexes1764600000000 } from "./1764600000000-sweeper-indexes";
import { ApiKeyUsableFrom1764700000000 } from "./1764700000000-api-key-usable-from";

/** In order. Each later schema change adds a migration here; none is ever edited after it lands. */
export const MIGRATIONS = [
  Foundation1763900000000,
  ContactsAndChallenges1763990000000,
  SecondFactorsAndApiKeys1764080000000,
  OAuthStates1764170000000,
  RealNameChecks1764260000000,
  RealNameFailureCode1764350000000,
  DevDataKey1764440000000,
  UsernameNfkcKeys1764441600000,
  FactorUsableFrom1764442000000,
  ChallengeRecords1764443000000,
  AuditEventsByTime1764530000000,
  RealNamePolledAt1764530000001,
  SweeperIndexes1764600000000,
  ApiKeyUsableFrom1764700000000,
];
