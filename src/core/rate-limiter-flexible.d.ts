// rate-limiter-flexible's index loads all of its ~26 limiters (MongoDB, MySQL, DynamoDB, etcd, ...):
// ~35 ms of CPU at every start. rate-limiter.ts loads the three it uses from their own files; these
// give them the package's own types.
declare module "rate-limiter-flexible/lib/RateLimiterMemory" {
  import { RateLimiterMemory } from "rate-limiter-flexible";
  export = RateLimiterMemory;
}
declare module "rate-limiter-flexible/lib/RateLimiterRedis" {
  import { RateLimiterRedis } from "rate-limiter-flexible";
  export = RateLimiterRedis;
}
declare module "rate-limiter-flexible/lib/RateLimiterRes" {
  import { RateLimiterRes } from "rate-limiter-flexible";
  export = RateLimiterRes;
}
