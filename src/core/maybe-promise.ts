/** A value that is there now, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `use` of `value` at once when it is there, else once its promise resolves. For field resolvers
 * that read from memory: graphql-js completes an object whose fields all answer at once in one pass,
 * while a single promise among them costs microtask turns and a Promise.all over all its fields.
 */
export function whenReady<T, R>(value: MaybePromise<T>, use: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(use) : use(value);
}
