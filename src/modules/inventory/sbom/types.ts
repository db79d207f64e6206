import type { SbomLimits } from './limits.ts';
import type { PurlNormaliser } from './purl.ts';

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';
export const CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

export interface SbomComponent {
  /** Canonical package-url, as the purl normaliser returned it. */
  purl?: string;
  /** CPE 2.3 formatted string or 2.2 URI, as given. */
  cpe?: string;
  name: string;
  version?: string;
  /** CycloneDX group (Maven groupId, npm scope…); SPDX has none. */
  group?: string;
  /** CycloneDX bom-ref or SPDX SPDXID. */
  bomRef?: string;
}

export interface ParsedSbom {
  format: SbomFormat;
  /** '1.4' | '1.5' | '1.6' for CycloneDX, '2.3' for SPDX. */
  specVersion: string;
  serialNumber?: string;
  /** The subject's name (CycloneDX metadata.component, SPDX document name). */
  name?: string;
  /**
   * What the SBOM describes: CycloneDX metadata.component (not repeated in `components`), or the one
   * package an SPDX document DESCRIBES (which stays in `components`, being one of its packages).
   */
  subject?: SbomComponent;
  components: SbomComponent[];
  /** Things accepted but worth telling the uploader (dropped malformed CPEs, merged duplicates…). */
  warnings: string[];
}

export interface ParseSbomOptions {
  limits?: Partial<SbomLimits>;
  /** Defaults to matching/purl.ts (normalizePurl, lenient). */
  normalisePurl?: PurlNormaliser;
  /**
   * 'reject' (default): a component with an invalid package-url refuses the file, naming it.
   * 'drop': the purl is dropped with a warning and the component kept by name and version.
   */
  invalidPurl?: 'reject' | 'drop';
}
