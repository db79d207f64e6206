// Safe XML reading for SBOMs. fast-xml-parser never fetches external entities, but it does expand
// entities declared in a DOCTYPE; Forewarn refuses any DOCTYPE or ENTITY declaration outright (XXE
// and "billion laughs" defence), decodes only the five predefined entities and character
// references itself, and caps element nesting.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reject } from './errors.ts';

export type XmlNode = Record<string, unknown>;

const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

export function refuseDeclarations(text: string, what = 'document'): void {
  const m = DECLARATION.exec(text);
  if (m) {
    const line = text.slice(0, m.index).split('\n').length;
    reject(`The ${what} contains a ${m[1].toUpperCase()} declaration.`, {
      path: '',
      message: `XML with a DOCTYPE or ENTITY declaration (line ${line}) is refused: Forewarn never resolves external entities or expands declared entities (XXE and entity-expansion defence). Remove the declaration.`,
    });
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
const REF = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*);?/g;

function decodeEntities(s: string, problems: string[]): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (whole, body: string) => {
    if (!whole.endsWith(';')) {
      problems.push(`"&" must start an entity or character reference (near "${whole.slice(0, 20)}").`);
      return whole;
    }
    if (body[0] === '#') {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) {
        problems.push(`Invalid character reference ${whole}.`);
        return whole;
      }
      return String.fromCodePoint(code);
    }
    const v = PREDEFINED[body];
    if (v === undefined) problems.push(`Undeclared entity ${whole}.`);
    return v ?? whole;
  });
}

/**
 * Parse well-formed XML into nodes where every element is an array (so repeated and single
 * elements read the same), attributes are "@_name" and text is "#text" or the string itself.
 */
export function parseXmlSafely(text: string, maxNesting: number, what = 'document'): XmlNode {
  refuseDeclarations(text, what);
  const wellFormed = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    reject(`The ${what} is not well-formed XML.`, { path: '', message: `Line ${line}, column ${col}: ${msg}` });
  }
  const problems: string[] = [];
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxNesting,
    isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
    tagValueProcessor: (_name: string, value: string) => decodeEntities(value, problems),
    attributeValueProcessor: (_name: string, value: string) => decodeEntities(value, problems),
  });
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (e) {
    const message = e instanceof Error ? e.message : 'XML parse error';
    if (/nested/i.test(message)) {
      return reject(`The ${what} nests too deeply.`, { path: '', message: `XML elements nest more than ${maxNesting} levels; nested components are limited by maxDepth.` });
    }
    return reject(`The ${what} could not be read as XML.`, { path: '', message: message.slice(0, 300) });
  }
  if (problems.length > 0) reject(`The ${what} is not well-formed XML.`, problems.slice(0, 20).map((message) => ({ path: '', message })));
  return parsed;
}

/** Text content of an element value ('' for an empty element). */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const t = (v as XmlNode)['#text'];
    if (t === undefined) return '';
    return typeof t === 'string' ? t : String(t);
  }
  return undefined;
}
