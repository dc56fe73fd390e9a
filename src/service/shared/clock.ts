/**
 * The services' one clock: every time a service stamps (create and update times, key
 * expiry, audit entries) comes from a ServiceClock, so tests pin time by passing their own.
 */

/** Milliseconds since the epoch; injectable so tests can pin time. */
export interface ServiceClock { now(): number }

/** Wall-clock time, the default of every service. */
export const systemClock: ServiceClock = { now: () => Date.now() };
