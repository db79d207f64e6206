// The CSAF 2.0 trusted-provider directory layout (CSAF 2.0 section 7.1, requirements 1–20) for
// TLP:CLEAR advisories. Pure: file names, index.txt, changes.csv, hash files, provider-metadata.json.
//
//   /.well-known/csaf/provider-metadata.json
//   /.well-known/csaf/clear/index.txt                every document, relative to the folder
//   /.well-known/csaf/clear/changes.csv              "<path>","<current_release_date>", newest first
//   /.well-known/csaf/clear/<year>/<id>.json         year of the initial release (requirement 11)
//   /.well-known/csaf/clear/<year>/<id>.json.sha256  "<hex>  <file name>" (requirement 18)
//   /.well-known/csaf/clear/<year>/<id>.json.sha512
//   /.well-known/csaf/clear/<year>/<id>.json.asc     detached OpenPGP signature (requirement 19)
//   /.well-known/csaf/openpgp/<fingerprint>.asc      the public key (requirement 20)
import type { Publisher } from '../advisory/model.ts';

export const WELL_KNOWN = '/.well-known/csaf';
export const CLEAR_FOLDER = 'clear';
export const CSAF_SCHEMA_URL = 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json';

/** Requirement 5: the tracking id in lower case, every character outside [+\-a-z0-9] replaced by "_". */
export function csafFileName(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

export interface DistributedDocument {
  trackingId: string;
  initialReleaseAt: Date;
  currentReleaseAt: Date;
}

/** The path of a document relative to the TLP folder: "<year>/<file>". */
export function relativePath(d: Pick<DistributedDocument, 'trackingId' | 'initialReleaseAt'>): string {
  return `${d.initialReleaseAt.getUTCFullYear()}/${csafFileName(d.trackingId)}`;
}

const byNewest = (a: DistributedDocument, b: DistributedDocument) => b.currentReleaseAt.getTime() - a.currentReleaseAt.getTime() || a.trackingId.localeCompare(b.trackingId);

/** Requirement 13: one relative path per line. */
export function indexTxt(docs: readonly DistributedDocument[]): string {
  return docs
    .slice()
    .sort(byNewest)
    .map((d) => `${relativePath(d)}\n`)
    .join('');
}

/** Requirement 14: CSV of path and current release date (RFC 3339, UTC), most recent change first. */
export function changesCsv(docs: readonly DistributedDocument[]): string {
  return docs
    .slice()
    .sort(byNewest)
    .map((d) => `"${relativePath(d)}","${d.currentReleaseAt.toISOString()}"\n`)
    .join('');
}

/** The content of a .sha256 / .sha512 file: the digest, two spaces, the file name (sha256sum format). */
export function hashFile(hex: string, fileName: string): string {
  return `${hex}  ${fileName}\n`;
}

export interface ProviderMetadataInput {
  /** Origin the files are served from, without trailing slash (https://clearinghouse.example). */
  baseUrl: string;
  publisher: Publisher;
  lastUpdated: Date;
  key: { fingerprint: string } | null;
  /** The authenticated feed of restricted advisories, announced as a ROLIE feed. */
  restrictedFeedUrl?: string;
}

/** provider-metadata.json for a trusted provider whose TLP:CLEAR documents are in the directory layout. */
export function providerMetadata(i: ProviderMetadataInput): Record<string, unknown> {
  const base = i.baseUrl.replace(/\/+$/, '');
  return {
    canonical_url: `${base}${WELL_KNOWN}/provider-metadata.json`,
    distributions: [{ directory_url: `${base}${WELL_KNOWN}/${CLEAR_FOLDER}/` }],
    last_updated: i.lastUpdated.toISOString(),
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    public_openpgp_keys: i.key ? [{ fingerprint: i.key.fingerprint, url: `${base}${publicKeyPath(i.key.fingerprint)}` }] : [],
    publisher: {
      category: 'coordinator',
      name: i.publisher.name,
      namespace: i.publisher.namespace,
      ...(i.publisher.contactDetails ? { contact_details: i.publisher.contactDetails } : {}),
      ...(i.publisher.issuingAuthority ? { issuing_authority: i.publisher.issuingAuthority } : {}),
    },
    role: 'csaf_trusted_provider',
  };
}

export function publicKeyPath(fingerprint: string): string {
  return `${WELL_KNOWN}/openpgp/${fingerprint}.asc`;
}
