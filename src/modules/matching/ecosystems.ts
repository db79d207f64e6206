// Which version ordering applies to which ecosystem: OSV ecosystem names
// (ossf.github.io/osv-schema/#affectedpackage-field) and purl types. Pure.
import { alpine } from './versions/alpine.ts';
import { composer } from './versions/composer.ts';
import { debian } from './versions/debian.ts';
import { go } from './versions/go.ts';
import { maven } from './versions/maven.ts';
import { nuget } from './versions/nuget.ts';
import { pypi } from './versions/pypi.ts';
import { rpm } from './versions/rpm.ts';
import { rubygems } from './versions/rubygems.ts';
import { semver } from './versions/semver.ts';
import type { VersionScheme } from './versions/util.ts';

export type { VersionScheme } from './versions/util.ts';

export interface Ecosystem {
  /** The OSV ecosystem name. */
  osv: string;
  /** The purl type of its packages. */
  purlType: string;
  scheme: VersionScheme;
}

export const ECOSYSTEMS: readonly Ecosystem[] = [
  { osv: 'npm', purlType: 'npm', scheme: semver },
  { osv: 'crates.io', purlType: 'cargo', scheme: semver },
  { osv: 'Go', purlType: 'golang', scheme: go },
  { osv: 'PyPI', purlType: 'pypi', scheme: pypi },
  { osv: 'Maven', purlType: 'maven', scheme: maven },
  { osv: 'RubyGems', purlType: 'gem', scheme: rubygems },
  { osv: 'NuGet', purlType: 'nuget', scheme: nuget },
  { osv: 'Packagist', purlType: 'composer', scheme: composer },
  { osv: 'Debian', purlType: 'deb', scheme: debian },
  { osv: 'Ubuntu', purlType: 'deb', scheme: debian },
  { osv: 'Alpine', purlType: 'apk', scheme: alpine },
  { osv: 'Red Hat', purlType: 'rpm', scheme: rpm },
  { osv: 'Rocky Linux', purlType: 'rpm', scheme: rpm },
  { osv: 'AlmaLinux', purlType: 'rpm', scheme: rpm },
  { osv: 'openSUSE', purlType: 'rpm', scheme: rpm },
  { osv: 'SUSE', purlType: 'rpm', scheme: rpm },
  { osv: 'Mageia', purlType: 'rpm', scheme: rpm },
];

const byOsv = new Map(ECOSYSTEMS.map((e) => [e.osv.toLowerCase(), e]));
// A purl type maps to its first (primary) ecosystem.
const byPurl = new Map<string, Ecosystem>();
for (const e of ECOSYSTEMS) if (!byPurl.has(e.purlType)) byPurl.set(e.purlType, e);

/**
 * The ecosystem of an OSV ecosystem name. OSV qualifies distribution ecosystems with a release
 * ("Debian:11", "Alpine:v3.18", "Red Hat:rhel_aus:8.4::appstream"); the ordering is the base's.
 */
export function ecosystemByOsvName(name: string): Ecosystem | null {
  if (typeof name !== 'string') return null;
  const exact = byOsv.get(name.toLowerCase());
  if (exact) return exact;
  const colon = name.indexOf(':');
  return colon > 0 ? (byOsv.get(name.slice(0, colon).toLowerCase()) ?? null) : null;
}

export function ecosystemByPurlType(type: string): Ecosystem | null {
  return byPurl.get(String(type).toLowerCase()) ?? null;
}

/** The version scheme for an OSV ecosystem name or a purl type, or null when unknown. */
export function schemeFor(ecosystemOrPurlType: string): VersionScheme | null {
  return (ecosystemByOsvName(ecosystemOrPurlType) ?? ecosystemByPurlType(ecosystemOrPurlType))?.scheme ?? null;
}

/** The base OSV ecosystem name ("Debian:11" → "Debian"). */
export function baseEcosystem(name: string): string {
  return ecosystemByOsvName(name)?.osv ?? name;
}
