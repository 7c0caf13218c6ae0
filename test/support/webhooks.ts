/** A subscription as answered at creation or rotation, without its one-time `secret`: as every later read shows it. */
export function withoutSecret<T extends { secret?: unknown }>(answered: T): Omit<T, 'secret'> {
  const view: Partial<T> = { ...answered };
  delete view.secret;
  return view as Omit<T, 'secret'>;
}
