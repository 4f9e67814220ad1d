/** Time is passed in, never read ad hoc, so tests can run on a fake clock. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** A clock the tests move by hand. */
export function fakeClock(start: Date | string): Clock & { advance(ms: number): void; set(d: Date | string): void } {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as Clock & { advance(ms: number): void; set(d: Date | string): void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (d) => {
    now = new Date(d).getTime();
  };
  return clock;
}
