import { AppError } from '../platform/errors.ts';

/**
 * Sign-in attempts per client address, counted in memory over a sliding window. It slows down
 * guessing across many usernames; the per-user lockout (service.ts) stops guessing at one.
 */
export class LoginRateLimit {
  readonly #attempts = new Map<string, number[]>();
  constructor(
    private readonly maxAttempts = 30,
    private readonly windowMs = 10 * 60_000,
  ) {}

  check(address: string, now: number): void {
    const recent = (this.#attempts.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.maxAttempts) {
      const retryAfterSeconds = Math.ceil((recent[0]! + this.windowMs - now) / 1000);
      throw new AppError('rate_limited', `Too many sign-in attempts from ${address}; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    }
    recent.push(now);
    this.#attempts.set(address, recent);
    if (this.#attempts.size > 10_000) this.#attempts.delete(this.#attempts.keys().next().value!);
  }
}
