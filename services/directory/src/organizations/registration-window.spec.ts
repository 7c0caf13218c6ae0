import { isWindowOpen, parseRegistrationWindow, windowDates } from './registration-window';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('registration window (rule 11)', () => {
  const usual = parseRegistrationWindow('04-01/06-30')!;

  it('is open April 1 through June 30 inclusive, and closed outside', () => {
    expect(isWindowOpen(usual, at('2026-03-31'))).toBe(false);
    expect(isWindowOpen(usual, at('2026-04-01'))).toBe(true);
    expect(isWindowOpen(usual, at('2026-05-15'))).toBe(true);
    expect(isWindowOpen(usual, at('2026-06-30'))).toBe(true);
    expect(isWindowOpen(usual, at('2026-07-01'))).toBe(false);
    expect(isWindowOpen(usual, at('2026-11-23'))).toBe(false);
  });

  it('wraps the new year when it closes before it opens', () => {
    const winter = parseRegistrationWindow('11-15/01-31')!;
    expect(isWindowOpen(winter, at('2026-12-31'))).toBe(true);
    expect(isWindowOpen(winter, at('2027-01-10'))).toBe(true);
    expect(isWindowOpen(winter, at('2027-02-01'))).toBe(false);
    expect(windowDates(winter, at('2027-01-10'))).toEqual({ opens: '2026-11-15', closes: '2027-01-31' });
  });

  it('names the current window, or the next one once it has closed', () => {
    expect(windowDates(usual, at('2026-05-01'))).toEqual({ opens: '2026-04-01', closes: '2026-06-30' });
    expect(windowDates(usual, at('2026-11-23'))).toEqual({ opens: '2027-04-01', closes: '2027-06-30' });
  });

  it('refuses what is not a window of real dates', () => {
    expect(parseRegistrationWindow('4-1/6-30')).toBeNull();
    expect(parseRegistrationWindow('02-30/06-30')).toBeNull();
    expect(parseRegistrationWindow('13-01/06-30')).toBeNull();
  });
});
