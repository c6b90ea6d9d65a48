/**
 * Domain code asks a clock for "now" instead of calling Date, so scenario tests can move time.
 * Dates of service are plain `YYYY-MM-DD` strings in the utility's time zone.
 */
export interface Clock {
  now(): Date;
  /** Today's date in the utility's time zone, as YYYY-MM-DD. */
  today(): string;
}

export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

export function systemClock(timeZone: string): Clock {
  return { now: () => new Date(), today: () => localDate(new Date(), timeZone) };
}

/** A clock that only moves when told to. */
export class FixedClock implements Clock {
  #instant: Date;
  constructor(
    instant: Date | string,
    private readonly timeZone = 'America/Los_Angeles',
  ) {
    this.#instant = new Date(instant);
  }
  now(): Date {
    return new Date(this.#instant);
  }
  today(): string {
    return localDate(this.#instant, this.timeZone);
  }
  advanceDays(days: number): void {
    this.#instant = new Date(this.#instant.getTime() + days * 86_400_000);
  }
}
