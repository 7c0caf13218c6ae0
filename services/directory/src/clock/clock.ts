/** Where "now" comes from, injectable so rules that depend on the date can be tested at any date. */
export interface Clock {
  now(): Date;
}
export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
