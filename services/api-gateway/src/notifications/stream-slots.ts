/**
 * How many of something each key (a user) holds at once, up to a limit, in this process's memory.
 * `take` answers the function that gives the slot back (once, however often it is called), or
 * undefined when the key holds the limit already.
 */
export class StreamSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly limit: number) {}

  take(key: string): (() => void) | undefined {
    const count = this.held.get(key) ?? 0;
    if (count >= this.limit) return undefined;
    this.held.set(key, count + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  heldBy(key: string): number {
    return this.held.get(key) ?? 0;
  }
}
