// Opportunity dates are stated by the officer as a wall-clock time in an IANA zone ("5:00 PM
// Eastern"); they are stored as instants and shown in both the zone and UTC.

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function offsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant at which the wall clock in `zone` reads `local` (YYYY-MM-DDTHH:mm[:ss]). A time that
 * does not exist (skipped by a DST change) resolves to the later offset; null when unparseable.
 */
export function zonedToInstant(local: string, zone: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m || !isTimeZone(zone)) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d) return null;
  // Two passes settle on the offset in force at the resulting instant.
  let guess = wall - offsetMs(wall, zone);
  guess = wall - offsetMs(guess, zone);
  return new Date(guess);
}

/** The wall-clock reading of `instant` in `zone`, as YYYY-MM-DDTHH:mm. */
export function instantToZoned(instant: Date, zone: string): string {
  const shifted = new Date(instant.getTime() + offsetMs(instant.getTime(), zone));
  return shifted.toISOString().slice(0, 16);
}

/** "2026-12-15 17:00 America/New_York (EST)": what a person reads next to the instant. */
export function describeInZone(instant: Date, zone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${instantToZoned(instant, zone).replace('T', ' ')} ${zone}${name ? ` (${name})` : ''}`;
}
