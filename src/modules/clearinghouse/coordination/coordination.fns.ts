// Coordinated disclosure, pure parts: the default embargo, embargo times in a named time zone,
// vendor matching by package-url, statement rules and silent-vendor clocks. No I/O.
import { VEX_JUSTIFICATIONS } from '../advisory/model.ts';
import { InvalidPurlError, parsePurl } from '../../matching/purl.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface CoordinationOptions {
  /** The embargo ends this many days before the planned public release of the model that found it. */
  embargoLeadDays: number;
  /** Without a model release ahead (reported from elsewhere, or already public): days from opening (CERT/CC's 90). */
  embargoFallbackDays: number;
  /** The zone a default embargo is stated in when the coordinator names none. */
  defaultTimeZone: string;
  /** A silent vendor is reminded this often. */
  reminderEveryDays: number;
}

export const DEFAULT_COORDINATION_OPTIONS: CoordinationOptions = {
  embargoLeadDays: 14,
  embargoFallbackDays: 90,
  defaultTimeZone: 'America/New_York',
  reminderEveryDays: 7,
};

// ---------------------------------------------------------------------------------------------
// Time zones

/** IANA names only (Region/City, or UTC); offsets such as "+05:00" or abbreviations like "EST" say nothing about DST. */
const IANA_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/;

export function isIanaTimeZone(tz: string): boolean {
  if (tz.length > 64 || !IANA_NAME.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormatters.set(tz, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTimeOf(instant: Date, tz: string): WallTime {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(tz).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** Minutes the zone is ahead of UTC at this instant (New York in winter: -300). */
export function zoneOffsetMinutes(instant: Date, tz: string): number {
  const w = wallTimeOf(instant, tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a wall-clock time names in a zone ("2026-12-21T09:00" in America/New_York). A time
 * skipped by a daylight-saving jump is read with the offset before the jump (so it lands after it);
 * a repeated time takes its first occurrence. Null when the text is not a valid local time.
 */
export function wallTimeToInstant(local: string, tz: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(guess);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const before = zoneOffsetMinutes(new Date(guess - DAY / 2), tz);
  const after = zoneOffsetMinutes(new Date(guess + DAY / 2), tz);
  // Try the larger offset first: for a repeated hour that is the first occurrence.
  const offsets = before === after ? [before] : [Math.max(before, after), Math.min(before, after)];
  for (const off of offsets) {
    const t = new Date(guess - off * 60_000);
    if (zoneOffsetMinutes(t, tz) === off) return t;
  }
  return new Date(guess - before * 60_000);
}

const displayFormatters = new Map<string, Intl.DateTimeFormat>();
function displayFormatter(tz: string): Intl.DateTimeFormat {
  let f = displayFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    displayFormatters.set(tz, f);
  }
  return f;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** The instant as local ISO 8601 with the zone's offset, and a sentence a person reads without doubt. */
export function formatInZone(instant: Date, tz: string): { local: string; display: string } {
  const w = wallTimeOf(instant, tz);
  const off = zoneOffsetMinutes(instant, tz);
  const sign = off < 0 ? '-' : '+';
  const local = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return { local, display: `${displayFormatter(tz).format(instant)} (${tz})` };
}

/** Down to the whole hour of the zone's clock, so that a computed embargo reads "09:00", not "09:37". */
export function floorToZoneHour(instant: Date, tz: string): Date {
  const w = wallTimeOf(instant, tz);
  const back = (w.minute * 60 + w.second) * 1000 + (instant.getTime() % 1000);
  return new Date(instant.getTime() - back);
}

// ---------------------------------------------------------------------------------------------
// Embargo

export type EmbargoBasis = 'model_release' | 'model_release_passed_lead' | 'fallback';

export interface DefaultEmbargo {
  releaseAt: Date;
  basis: EmbargoBasis;
  /** The model whose planned release set it. */
  modelId: string | null;
}

/**
 * The default public release of a case: `leadDays` before the earliest planned release (still ahead)
 * of a model whose review found the vulnerability, so that defenders are patched before the model
 * can find it for anyone. When that moment has already passed the model's release itself is used
 * (the most the embargo can still give); without a release ahead, `fallbackDays` from now.
 */
export function defaultEmbargo(now: Date, releases: readonly { modelId: string; plannedReleaseAt: Date }[], opts: Pick<CoordinationOptions, 'embargoLeadDays' | 'embargoFallbackDays'>, tz: string): DefaultEmbargo {
  const ahead = releases.filter((r) => r.plannedReleaseAt.getTime() > now.getTime()).sort((a, b) => a.plannedReleaseAt.getTime() - b.plannedReleaseAt.getTime());
  const first = ahead[0];
  if (first) {
    const lead = new Date(first.plannedReleaseAt.getTime() - opts.embargoLeadDays * DAY);
    const rounded = floorToZoneHour(lead, tz);
    if (rounded.getTime() > now.getTime()) return { releaseAt: rounded, basis: 'model_release', modelId: first.modelId };
    return { releaseAt: first.plannedReleaseAt, basis: 'model_release_passed_lead', modelId: first.modelId };
  }
  return { releaseAt: floorToZoneHour(new Date(now.getTime() + opts.embargoFallbackDays * DAY), tz), basis: 'fallback', modelId: null };
}

export type EmbargoChangeKind = 'extend' | 'shorten';

/** A new release moment for a case: later extends, earlier shortens; both need a reason; the past is refused. */
export function embargoChange(current: Date, next: Date, now: Date): { ok: true; kind: EmbargoChangeKind } | { ok: false; message: string } {
  if (next.getTime() <= now.getTime()) return { ok: false, message: 'the release time is in the past; end the embargo early instead' };
  if (next.getTime() === current.getTime()) return { ok: false, message: 'the release time is unchanged' };
  return { ok: true, kind: next.getTime() > current.getTime() ? 'extend' : 'shorten' };
}

export interface EmbargoClock {
  releaseAt: string;
  timeZone: string;
  local: string;
  display: string;
  /** True until the release moment: nothing about the case is public before it. */
  active: boolean;
  hoursRemaining: number;
}

export function embargoClock(releaseAt: Date, tz: string, now: Date): EmbargoClock {
  const { local, display } = formatInZone(releaseAt, tz);
  const left = releaseAt.getTime() - now.getTime();
  return { releaseAt: releaseAt.toISOString(), timeZone: tz, local, display, active: left > 0, hoursRemaining: Math.max(0, Math.floor(left / HOUR)) };
}

// ---------------------------------------------------------------------------------------------
// Vendor products and matching

export type ProductMatch = 'package' | 'namespace';

/** What a vendor registers: a package (type, namespace, name) or a whole namespace (name ''). */
export interface ProductKey {
  type: string;
  namespace: string;
  name: string;
}

/**
 * Reads a vendor's registration. For a namespace the purl's last segment is part of the namespace:
 * "pkg:maven/org.openhealth" or "pkg:npm/%40openhealth" name every package under it.
 */
export function registrationKey(purl: string, match: ProductMatch): ProductKey {
  if (/[?#]/.test(purl)) throw new InvalidPurlError('register the package without qualifiers or subpath');
  // A namespace is read as the namespace of a placeholder package, so the type's own rules apply to it.
  const p = parsePurl(match === 'namespace' ? `${purl.replace(/\/+$/, '')}/_` : purl, { lenient: true });
  if (p.version !== null) throw new InvalidPurlError('register the package without a version');
  if (match === 'namespace') {
    if (!p.namespace) throw new InvalidPurlError('a namespace registration names a namespace');
    return { type: p.type, namespace: p.namespace, name: '' };
  }
  return { type: p.type, namespace: p.namespace ?? '', name: p.name };
}

/** The package a purl names (versions and qualifiers dropped), or null when it is not a purl. */
export function packageKey(purl: string): ProductKey | null {
  try {
    const p = parsePurl(purl, { lenient: true });
    return { type: p.type, namespace: p.namespace ?? '', name: p.name };
  } catch (e) {
    if (e instanceof InvalidPurlError) return null;
    throw e;
  }
}

export function displayKey(k: ProductKey): string {
  const ns = k.namespace ? `${k.namespace.split('/').map(encodeURIComponent).join('/')}/` : '';
  return k.name ? `pkg:${k.type}/${ns}${encodeURIComponent(k.name)}` : `pkg:${k.type}/${ns}*`;
}

function covers(reg: ProductKey, pkg: ProductKey): boolean {
  if (reg.type !== pkg.type) return false;
  if (reg.name) return reg.namespace === pkg.namespace && reg.name === pkg.name;
  return pkg.namespace === reg.namespace || pkg.namespace.startsWith(`${reg.namespace}/`);
}

/**
 * A vendor states on a package the vulnerability names as affected, or on one of its own registered
 * products (a product that embeds the affected one): never on another vendor's product.
 */
export function mayStateOn(product: ProductKey, affectedPurls: readonly string[], ownRegistrations: readonly ProductKey[]): boolean {
  const same = (a: ProductKey, b: ProductKey) => a.type === b.type && a.namespace === b.namespace && a.name === b.name;
  return affectedPurls.some((p) => {
    const k = packageKey(p);
    return k !== null && same(k, product);
  }) || ownRegistrations.some((r) => covers(r, product));
}

/** Which vendors' registered products cover which affected purls (each vendor once, its purls in order). */
export function matchVendors(registered: readonly (ProductKey & { vendorOrgId: string })[], affectedPurls: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const purl of affectedPurls) {
    const pkg = packageKey(purl);
    if (!pkg) continue;
    for (const r of registered) {
      if (!covers(r, pkg)) continue;
      const list = out.get(r.vendorOrgId) ?? [];
      if (!list.includes(purl)) list.push(purl);
      out.set(r.vendorOrgId, list);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statements and silence

export const STATEMENT_STATUSES = ['affected', 'not_affected', 'under_investigation', 'fixed'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];
export { VEX_JUSTIFICATIONS };

/** What a statement must carry: not affected → a VEX justification; fixed → the fixed version. */
export function statementProblems(s: { status: StatementStatus; justification?: string | null; fixedVersion?: string | null }): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (s.status === 'not_affected' && !s.justification) out.push({ path: '/justification', message: 'a not-affected statement needs a VEX justification' });
  if (s.status !== 'not_affected' && s.justification) out.push({ path: '/justification', message: 'a justification belongs to a not-affected statement only' });
  if (s.status === 'fixed' && !s.fixedVersion?.trim()) out.push({ path: '/fixedVersion', message: 'a fixed statement names the fixed version' });
  return out;
}

/** What a coordinator should know about an embargo: it must end before the model that found the vulnerability is public. */
export function embargoWarnings(releaseAt: Date, modelReleases: readonly { plannedReleaseAt: Date }[], now: Date): string[] {
  const ahead = modelReleases.filter((m) => m.plannedReleaseAt.getTime() > now.getTime());
  if (releaseAt.getTime() > now.getTime() && ahead.some((m) => m.plannedReleaseAt.getTime() <= releaseAt.getTime())) {
    return ['The embargo ends after the planned public release of a model whose review found this vulnerability: defenders would not be patched first.'];
  }
  return [];
}

/** Whole days a notified vendor has said nothing; null once it answered or before it was notified. */
export function silentDays(notifiedAt: Date | null, respondedAt: Date | null, now: Date): number | null {
  if (!notifiedAt || respondedAt) return null;
  return Math.max(0, Math.floor((now.getTime() - notifiedAt.getTime()) / DAY));
}

/** A silent vendor is reminded every `everyDays` after its notification or last reminder. */
export function reminderDue(v: { notifiedAt: Date | null; respondedAt: Date | null; lastRemindedAt: Date | null }, now: Date, everyDays: number): boolean {
  if (!v.notifiedAt || v.respondedAt) return false;
  const since = v.lastRemindedAt ?? v.notifiedAt;
  return now.getTime() - since.getTime() >= everyDays * DAY;
}
