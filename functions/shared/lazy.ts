/**
 * A value built on first use and then reused: the periodic evaluator loads an API's SDK client only
 * when a rule of this run needs it, so the other rules' cold starts never initialise it. A build that
 * fails is retried on the next use instead of caching the failure.
 */
export type Lazy<T> = () => Promise<T>;

export function lazy<T>(build: () => Promise<T>): Lazy<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= build().catch((error: unknown) => {
      value = undefined;
      throw error;
    }));
}
