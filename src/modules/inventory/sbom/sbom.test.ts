import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSbom, tryParseSbom, SbomRejectedError, type SbomError } from './sbom.ts';
import { jsonNestingBeyond } from './text.ts';
import { isCpe } from './cpe.ts';

function refused(input: string | Uint8Array, options?: Parameters<typeof parseSbom>[1]): { summary: string; errors: SbomError[] } {
  const r = tryParseSbom(input, options);
  if (r.ok) throw new Error('expected the SBOM to be refused');
  return r;
}

const cdxJson = (version: string, components: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: version, version: 1, components, ...extra });

const xmlBom = (version: string, body: string, attrs = 'version="1"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/${version}" ${attrs}>\n${body}\n</bom>`;

describe('CycloneDX JSON', () => {
  for (const version of ['1.4', '1.5', '1.6']) {
    it(`reads ${version} components, nested ones flattened, with the subject apart`, () => {
      const sbom = parseSbom(
        cdxJson(
          version,
          [
            {
              type: 'library',
              'bom-ref': 'a',
              group: 'org.apache.logging.log4j',
              name: 'log4j-core',
              version: '2.14.1',
              purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
              components: [{ type: 'library', name: 'inner', version: '1.0.0', purl: 'pkg:npm/%40Scope/Inner@1.0.0' }],
            },
            { type: 'library', name: 'openssl', version: '3.0.1', cpe: 'cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*' },
          ],
          {
            serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
            metadata: { component: { type: 'application', name: 'billing', version: '7', 'bom-ref': 'root' } },
          },
        ),
      );
      expect(sbom).toEqual({
        format: 'cyclonedx-json',
        specVersion: version,
        serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
        name: 'billing',
        subject: { name: 'billing', version: '7', bomRef: 'root' },
        components: [
          {
            bomRef: 'a',
            group: 'org.apache.logging.log4j',
            name: 'log4j-core',
            version: '2.14.1',
            purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
          },
          { name: 'inner', version: '1.0.0', purl: 'pkg:npm/%40scope/inner@1.0.0' },
          { name: 'openssl', version: '3.0.1', cpe: 'cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*' },
        ],
        warnings: [],
      });
    });
  }

  it('refuses versions it does not support, naming specVersion', () => {
    for (const v of ['1.3', '1.7', '2.0', 1.5]) {
      const r = refused(cdxJson(v as string, []));
      expect(r.errors[0].path).toBe('/specVersion');
    }
  });

  it('refuses schema violations with the failing JSON pointer', () => {
    const r = refused(cdxJson('1.5', [{ type: 'library', name: 'x' }, { type: 'gadget', name: 'y' }]));
    expect(r.errors[0].path).toBe('/components/1/type');
    expect(r.errors[0].message).toMatch(/must be one of/);
  });

  it('refuses an invalid package-url naming its path, or drops it when asked', () => {
    const doc = cdxJson('1.6', [{ type: 'library', name: 'x', components: [{ type: 'library', name: 'y', purl: 'npm/left-pad@1' }] }]);
    const r = refused(doc);
    expect(r.errors).toEqual([{ path: '/components/0/components/0/purl', message: expect.stringMatching(/^Not a valid package-url/) }]);
    const kept = parseSbom(doc, { invalidPurl: 'drop' });
    expect(kept.components[1]).toEqual({ name: 'y' });
    expect(kept.warnings[0]).toMatch(/\/components\/0\/components\/0\/purl: package-url dropped/);
  });

  it('uses the purl normaliser it is given (for matching/purl.ts)', () => {
    const sbom = parseSbom(cdxJson('1.6', [{ type: 'library', name: 'x', purl: 'pkg:npm/x@1' }]), { normalisePurl: (p) => p.toUpperCase() });
    expect(sbom.components[0].purl).toBe('PKG:NPM/X@1');
  });

  it('drops a malformed CPE with a warning and keeps the component', () => {
    const sbom = parseSbom(cdxJson('1.6', [{ type: 'library', name: 'x', cpe: 'openssl 3' }]));
    expect(sbom.components).toEqual([{ name: 'x' }]);
    expect(sbom.warnings[0]).toMatch(/\/components\/0\/cpe/);
  });

  it('refuses duplicate bom-refs, which the schema cannot express', () => {
    const r = refused(cdxJson('1.6', [{ type: 'library', name: 'x', 'bom-ref': 'r' }, { type: 'library', name: 'y', 'bom-ref': 'r' }]));
    expect(r.errors[0].path).toBe('/components/1/bom-ref');
  });

  it('merges exact duplicate components with a warning', () => {
    const c = { type: 'library', name: 'x', version: '1', purl: 'pkg:npm/x@1' };
    const sbom = parseSbom(cdxJson('1.6', [{ ...c, 'bom-ref': 'r1' }, { ...c, 'bom-ref': 'r2' }, { ...c, version: '2', purl: 'pkg:npm/x@2' }]));
    expect(sbom.components.map((x) => [x.version, x.bomRef])).toEqual([['1', 'r1'], ['2', undefined]]);
    expect(sbom.warnings).toEqual(['1 duplicate component merged.']);
  });

  it('applies the schema uniqueItems rule to components by value, whatever the key order', () => {
    const a = { type: 'library', name: 'x', version: '1', purl: 'pkg:npm/x@1', licenses: [{ license: { id: 'MIT' } }] };
    const same = { licenses: [{ license: { id: 'MIT' } }], purl: 'pkg:npm/x@1', version: '1', name: 'x', type: 'library' };
    const r = refused(cdxJson('1.5', [a, { type: 'library', name: 'y' }, same]));
    expect(r.errors).toEqual([{ path: '/components', message: expect.stringMatching(/duplicate items \(items ## 0 and 2 are identical\).*#\/properties\/components\/uniqueItems/) }]);
    // Equal but for one nested value: distinct items.
    expect(tryParseSbom(cdxJson('1.5', [a, { ...same, licenses: [{ license: { id: 'Apache-2.0' } }] }])).ok).toBe(true);
  });

  it('validates a 5,000-component document in linear time (no pairwise comparison)', () => {
    const components = Array.from({ length: 5000 }, (_, i) => ({ type: 'library', name: `p${i}`, version: '1.0.0', purl: `pkg:npm/p${i}@1.0.0` }));
    parseSbom(cdxJson('1.5', components.slice(0, 10)));
    const t = performance.now();
    expect(parseSbom(cdxJson('1.5', components)).components).toHaveLength(5000);
    // Pairwise deep comparison took 0.7–1.5 s here; generous bound for a loaded machine.
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('reads bytes with a UTF-8 byte-order mark and refuses invalid UTF-8', () => {
    const body = Buffer.from(cdxJson('1.6', [{ type: 'library', name: 'naïve' }]), 'utf8');
    expect(parseSbom(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])).components[0].name).toBe('naïve');
    const bad = Buffer.concat([body.subarray(0, 20), Buffer.from([0xff, 0xfe, 0xfd]), body.subarray(20)]);
    expect(refused(bad).summary).toMatch(/not valid utf-8/);
  });

  it('refuses non-JSON and unknown JSON', () => {
    expect(refused('{"bomFormat": "CycloneDX",').summary).toMatch(/not valid JSON/);
    expect(refused('{"hello": 1}').errors[0].message).toMatch(/bomFormat/);
    expect(refused('hello').summary).toMatch(/not an SBOM/);
    expect(refused('').summary).toMatch(/empty/);
  });
});

describe('limits', () => {
  it('refuses a file over maxBytes, naming the limit', () => {
    const doc = cdxJson('1.6', [{ type: 'library', name: 'x'.repeat(2000) }]);
    const r = refused(doc, { limits: { maxBytes: 1024 } });
    expect(r.errors[0].message).toMatch(/limit \(maxBytes\) is 1 KiB/);
    expect(() => parseSbom(doc, { limits: { maxBytes: doc.length } })).not.toThrow();
  });

  it('defaults to 20 MiB, 50,000 components and 32 levels', () => {
    expect(refused('x'.repeat(20 * 1024 * 1024 + 1)).errors[0].message).toMatch(/20 MiB/);
  });

  it('refuses more components than maxComponents, nested ones counted', () => {
    const comps = Array.from({ length: 3 }, (_, i) => ({ type: 'library', name: `c${i}`, components: [{ type: 'library', name: `n${i}` }] }));
    const r = refused(cdxJson('1.6', comps), { limits: { maxComponents: 5 } });
    expect(r.errors[0]).toEqual({ path: '/components/2/components/0', message: 'More than 5 components (limit maxComponents).' });
    expect(parseSbom(cdxJson('1.6', comps), { limits: { maxComponents: 6 } }).components).toHaveLength(6);
  });

  it('refuses components nested deeper than maxDepth, naming the path', () => {
    const nest = (d: number): Record<string, unknown> => ({ type: 'library', name: `d${d}`, ...(d > 1 ? { components: [nest(d - 1)] } : {}) });
    expect(parseSbom(cdxJson('1.6', [nest(4)]), { limits: { maxDepth: 4 } }).components).toHaveLength(4);
    const r = refused(cdxJson('1.6', [nest(5)]), { limits: { maxDepth: 4 } });
    expect(r.errors[0].path).toBe('/components/0/components/0/components/0/components/0/components/0');
    expect(r.errors[0].message).toMatch(/limit maxDepth/);
  });

  it('refuses absurd JSON nesting before parsing it', () => {
    const deep = '{"bomFormat":"CycloneDX","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expect(refused(deep).summary).toMatch(/nests too deeply/);
    expect(refused(xmlBom('1.6', '<a>'.repeat(5000) + '</a>'.repeat(5000))).summary).toMatch(/nests too deeply/);
  });

  it('measures JSON nesting outside strings only', () => {
    expect(jsonNestingBeyond('{"a":"[[[[[[[[{{{{"}', 1)).toBe(-1);
    expect(jsonNestingBeyond('{"a":"\\"[["}', 1)).toBe(-1);
    expect(jsonNestingBeyond('[[1]]', 1)).toBe(1);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v);
        const depth = (x: unknown): number => (x !== null && typeof x === 'object' ? 1 + Math.max(0, ...Object.values(x as object).map(depth)) : 0);
        const d = depth(v);
        return jsonNestingBeyond(text, d) === -1 && (d === 0 || jsonNestingBeyond(text, d - 1) >= 0);
      }),
    );
  });
});

describe('CycloneDX XML', () => {
  for (const version of ['1.4', '1.5', '1.6']) {
    it(`reads ${version} XML, nested components, entities and character references`, () => {
      const sbom = parseSbom(
        xmlBom(
          version,
          `<metadata><timestamp>2026-01-01T00:00:00Z</timestamp><component type="application" bom-ref="app"><name>billing</name><version>7.0</version></component></metadata>
  <components>
    <component type="library" bom-ref="pkg:maven/a/b@1.10">
      <group>org.example</group><name>b&amp;c</name><version>1.10</version>
      <hashes><hash alg="SHA-256">${'a'.repeat(64)}</hash></hashes>
      <purl>pkg:maven/org.example/b@1.10?type=jar&amp;classifier=x</purl>
      <components><component type="library"><name>&#x6E;ested</name><version>0.1</version><cpe>cpe:2.3:a:ex:nested:0.1:*:*:*:*:*:*:*</cpe></component></components>
    </component>
  </components>`,
          'serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1"',
        ),
      );
      expect(sbom).toEqual({
        format: 'cyclonedx-xml',
        specVersion: version,
        serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
        name: 'billing',
        subject: { name: 'billing', version: '7.0', bomRef: 'app' },
        components: [
          { bomRef: 'pkg:maven/a/b@1.10', group: 'org.example', name: 'b&c', version: '1.10', purl: 'pkg:maven/org.example/b@1.10?classifier=x&type=jar' },
          { name: 'nested', version: '0.1', cpe: 'cpe:2.3:a:ex:nested:0.1:*:*:*:*:*:*:*' },
        ],
        warnings: [],
      });
    });
  }

  it('reads a prefixed namespace and ignores elements of other namespaces', () => {
    const sbom = parseSbom(
      `<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.5" xmlns:x="urn:ext" version="1"><c:components><c:component type="library"><c:name>p</c:name><x:name>ignored</x:name><c:version>1</c:version></c:component></c:components></c:bom>`,
    );
    expect(sbom.components).toEqual([{ name: 'p', version: '1' }]);
  });

  it('refuses a DOCTYPE with an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE bom [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`;
    const r = refused(xxe);
    expect(r.summary).toMatch(/DOCTYPE declaration/);
    expect(r.errors[0].message).toMatch(/line 2.*XXE/);
  });

  it('refuses the billion-laughs document', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&lol9;</name></component></components></bom>`;
    expect(refused(lol).summary).toMatch(/DOCTYPE declaration/);
    // An ENTITY declaration without DOCTYPE, or in lower case, is refused too.
    expect(refused('<!entity x "y"><bom/>').summary).toMatch(/ENTITY declaration/);
  });

  it('refuses undeclared entities and stray ampersands', () => {
    expect(refused(xmlBom('1.6', '<components><component type="library"><name>&foo;</name></component></components>')).errors[0].message).toMatch(/Undeclared entity &foo;/);
  });

  it('refuses XML that is not well-formed, with line and column', () => {
    const r = refused(xmlBom('1.6', '<components><component type="library"><name>x</component></components>'));
    expect(r.summary).toMatch(/not well-formed/);
    expect(r.errors[0].message).toMatch(/^Line \d+, column \d+/);
  });

  it('refuses a missing or unsupported namespace and a root that is not bom', () => {
    expect(refused('<bom version="1"/>').errors[0]).toMatchObject({ path: '/bom', message: expect.stringMatching(/namespace \(none\)/) });
    expect(refused('<bom xmlns="http://cyclonedx.org/schema/bom/1.3"/>').errors[0].path).toBe('/bom');
    expect(refused('<sbom xmlns="http://cyclonedx.org/schema/bom/1.6"/>').errors[0].message).toMatch(/root element must be <bom>/);
  });

  const structural: [string, string, string, RegExp][] = [
    ['missing type', '<components><component><name>x</name></component></components>', '/bom/components/component[1]', /required attribute "type"/],
    ['unknown type', '<components><component type="gizmo"><name>x</name></component></components>', '/bom/components/component[1]/type', /must be one of/],
    ['missing name', '<components><component type="library"><version>1</version></component></components>', '/bom/components/component[1]', /required element <name>/],
    ['bad scope', '<components><component type="library"><name>x</name><scope>sometimes</scope></component></components>', '/bom/components/component[1]/scope', /must be one of/],
    ['bad hash', '<components><component type="library"><name>x</name><hashes><hash alg="MD5">zz</hash></hashes></component></components>', '/bom/components/component[1]/hashes/hash[1]/content', /pattern/],
    ['bad hash alg', '<components><component type="library"><name>x</name><hashes><hash alg="CRC32">aa</hash></hashes></component></components>', '/bom/components/component[1]/hashes/hash[1]/alg', /must be one of/],
    ['two names', '<components><component type="library"><name>x</name><name>y</name></component></components>', '/bom/components/component[1]/name', /only once/],
    ['nested missing name', '<components><component type="library"><name>x</name><components><component type="library"/></components></component></components>', '/bom/components/component[1]/components/component[1]', /required element <name>/],
    ['empty dependency ref', '<components><component type="library" bom-ref="a"><name>x</name></component></components><dependencies><dependency ref=""/></dependencies>', '/bom/dependencies/dependency[1]/ref', /fewer than 1/],
    ['duplicate bom-ref', '<components><component type="library" bom-ref="a"><name>x</name></component><component type="library" bom-ref="a"><name>y</name></component></components>', '/bom/components/component[2]/@bom-ref', /unique/],
    ['invalid purl', '<components><component type="library"><name>x</name><purl>pkg:</purl></component></components>', '/bom/components/component[1]/purl', /package-url/],
    ['bad timestamp', '<metadata><timestamp>yesterday</timestamp></metadata>', '/bom/metadata/timestamp', /date-time/],
  ];
  for (const [what, body, path, message] of structural) {
    it(`refuses ${what}, naming ${path}`, () => {
      const r = refused(xmlBom('1.6', body));
      expect(r.errors[0].path).toBe(path);
      expect(r.errors[0].message).toMatch(message);
    });
  }

  it('refuses a bad serialNumber and a non-numeric version', () => {
    expect(refused(xmlBom('1.5', '', 'serialNumber="nope"')).errors[0].path).toBe('/bom/serialNumber');
    expect(refused(xmlBom('1.5', '', 'version="one"')).errors[0].path).toBe('/bom/version');
  });

  it('applies the version of the namespace: machine-learning-model is 1.5+, cryptographic-asset 1.6', () => {
    const c = (t: string) => `<components><component type="${t}"><name>x</name></component></components>`;
    expect(refused(xmlBom('1.4', c('machine-learning-model'))).errors[0].path).toBe('/bom/components/component[1]/type');
    expect(parseSbom(xmlBom('1.5', c('machine-learning-model'))).components).toHaveLength(1);
    expect(refused(xmlBom('1.5', c('cryptographic-asset'))).errors[0].path).toBe('/bom/components/component[1]/type');
    expect(parseSbom(xmlBom('1.6', c('cryptographic-asset'))).components).toHaveLength(1);
  });

  it('enforces maxComponents and maxDepth on XML', () => {
    const many = `<components>${'<component type="library"><name>x</name></component>'.repeat(4)}</components>`;
    expect(refused(xmlBom('1.6', many), { limits: { maxComponents: 3 } }).errors[0]).toEqual({
      path: '/bom/components/component[4]',
      message: 'More than 3 components (limit maxComponents).',
    });
    const nest = (d: number): string => `<component type="library"><name>d${d}</name>${d > 1 ? `<components>${nest(d - 1)}</components>` : ''}</component>`;
    expect(parseSbom(xmlBom('1.6', `<components>${nest(3)}</components>`), { limits: { maxDepth: 3 } }).components).toHaveLength(3);
    expect(refused(xmlBom('1.6', `<components>${nest(4)}</components>`), { limits: { maxDepth: 3 } }).errors[0].message).toMatch(/maxDepth/);
  });

  it('decodes the encoding its declaration names', () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>caf\u00e9</name></component></components></bom>`;
    expect(parseSbom(Buffer.from(text, 'latin1')).components[0].name).toBe('café');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('ISO-8859-1', 'UTF-16'), 'utf16le')]);
    expect(parseSbom(utf16).components[0].name).toBe('café');
  });
});

describe('SPDX 2.3 JSON', () => {
  const spdx = (packages: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'rural-hospital-ehr',
      documentNamespace: 'https://example.org/spdx/ehr-1',
      creationInfo: { created: '2026-01-31T12:00:00Z', creators: ['Tool: syft-1.0'] },
      packages,
      ...extra,
    });
  const pkg = (id: string, name: string, version: string | undefined, refs: unknown[] = []) => ({
    SPDXID: `SPDXRef-${id}`,
    name,
    ...(version ? { versionInfo: version } : {}),
    downloadLocation: 'NOASSERTION',
    externalRefs: refs,
  });

  it('reads packages with purl and cpe external references and the described package', () => {
    const sbom = parseSbom(
      spdx(
        [
          pkg('app', 'ehr', '3.2'),
          pkg('lodash', 'lodash', '4.17.20', [
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.20' },
            { referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/a:lodash:lodash:4.17.20' },
            { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:lodash:lodash:4.17.20:*:*:*:*:*:*:*' },
          ]),
          pkg('openssl', 'openssl', '1.1.1k', [{ referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/a:openssl:openssl:1.1.1k' }]),
          pkg('django', 'Django', '4.2', [{ referenceCategory: 'PACKAGE_MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/Django@4.2' }]),
        ],
        { relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-app' }] },
      ),
    );
    expect(sbom).toEqual({
      format: 'spdx-json',
      specVersion: '2.3',
      serialNumber: 'https://example.org/spdx/ehr-1',
      name: 'rural-hospital-ehr',
      subject: { name: 'ehr', version: '3.2', bomRef: 'SPDXRef-app' },
      components: [
        { name: 'ehr', version: '3.2', bomRef: 'SPDXRef-app' },
        { name: 'lodash', version: '4.17.20', bomRef: 'SPDXRef-lodash', purl: 'pkg:npm/lodash@4.17.20', cpe: 'cpe:2.3:a:lodash:lodash:4.17.20:*:*:*:*:*:*:*' },
        { name: 'openssl', version: '1.1.1k', bomRef: 'SPDXRef-openssl', cpe: 'cpe:/a:openssl:openssl:1.1.1k' },
        { name: 'Django', version: '4.2', bomRef: 'SPDXRef-django', purl: 'pkg:pypi/django@4.2' },
      ],
      warnings: [],
    });
  });

  it('reads documentDescribes too, and a document without packages', () => {
    expect(parseSbom(spdx([pkg('a', 'a', '1')], { documentDescribes: ['SPDXRef-a'] })).subject?.name).toBe('a');
    expect(parseSbom(spdx([])).components).toEqual([]);
  });

  const bad: [string, string, string][] = [
    ['SPDX 2.2', spdx([]).replace('SPDX-2.3', 'SPDX-2.2'), '/spdxVersion'],
    ['wrong data licence', spdx([]).replace('CC0-1.0', 'MIT'), '/dataLicense'],
    ['wrong document id', spdx([]).replace('SPDXRef-DOCUMENT', 'SPDXRef-X'), '/SPDXID'],
    ['namespace with #', spdx([]).replace('ehr-1', 'ehr-1#x'), '/documentNamespace'],
    ['no creators', spdx([]).replace('["Tool: syft-1.0"]', '[]'), '/creationInfo/creators'],
    ['bad created', spdx([]).replace('2026-01-31T12:00:00Z', '31/01/2026'), '/creationInfo/created'],
    ['package without name', spdx([{ SPDXID: 'SPDXRef-a', downloadLocation: 'NONE' }]), '/packages/0/name'],
    ['package without downloadLocation', spdx([{ SPDXID: 'SPDXRef-a', name: 'a' }]), '/packages/0/downloadLocation'],
    ['bad SPDXID', spdx([{ SPDXID: 'a b', name: 'a', downloadLocation: 'NONE' }]), '/packages/0/SPDXID'],
    ['duplicate SPDXID', spdx([pkg('a', 'a', '1'), pkg('a', 'b', '1')]), '/packages/1/SPDXID'],
    ['bad reference category', spdx([pkg('a', 'a', '1', [{ referenceCategory: 'NOPE', referenceType: 'purl', referenceLocator: 'pkg:npm/a@1' }])]), '/packages/0/externalRefs/0/referenceCategory'],
    ['invalid purl', spdx([pkg('a', 'a', '1', [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'lodash@1' }])]), '/packages/0/externalRefs/0/referenceLocator'],
  ];
  for (const [what, doc, path] of bad) {
    it(`refuses ${what}, naming ${path}`, () => {
      expect(refused(doc).errors.map((e) => e.path)).toContain(path);
    });
  }

  it('enforces maxComponents on packages', () => {
    const r = refused(spdx([pkg('a', 'a', '1'), pkg('b', 'b', '1')]), { limits: { maxComponents: 1 } });
    expect(r.errors[0]).toEqual({ path: '/packages', message: '2 packages; the limit (maxComponents) is 1.' });
  });
});

describe('errors', () => {
  it('are a ValidationError carrying the same list for the problem response', () => {
    try {
      parseSbom(cdxJson('1.6', [{ type: 'library' }]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SbomRejectedError);
      const err = e as SbomRejectedError;
      expect(err.status).toBe(400);
      expect(err.errors).toEqual(err.sbomErrors);
      expect(err.sbomErrors[0]).toEqual({ path: '/components/0', message: expect.stringMatching(/required property "name"/) });
    }
  });

  it('never throws anything but SbomRejectedError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.uint8Array()), (input) => {
        const r = tryParseSbom(input);
        return r.ok || r.errors.length > 0;
      }),
      { numRuns: 300 },
    );
  });
});

describe('CPE names', () => {
  it.each([
    ['cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*', true],
    ['cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:x64:*', true],
    ['cpe:2.3:a:vendor:prod\\:uct:1.0:*:*:en-us:*:*:*:*', true],
    ['cpe:/a:openssl:openssl:1.0.2', true],
    ['cpe:2.3:a:openssl:openssl', false],
    ['cpe:2.3:x:openssl:openssl:3.0.1:*:*:*:*:*:*:*', false],
    ['openssl', false],
  ])('%s → %s', (cpe, ok) => expect(isCpe(cpe)).toBe(ok));
});
