// The human-readable advisory. `advisoryPage` returns structured data holding only plain strings
// (the web app renders it as React text nodes, which escape); `renderAdvisoryText` gives a plain-text
// version (email, CLI); `renderAdvisoryHtml` gives a standalone HTML page where every string is
// escaped and links are emitted only for http(s) URLs. Pure. Text coming from reporters and vendors
// is hostile by assumption: control and bidirectional-override characters are removed everywhere.
import { scoreCvss } from '../../../lib/cvss/cvss.ts';
import { parseAdvisory, versionLabel, type Advisory, type AdvisoryInput, type AdvisoryProduct } from './model.ts';
import type { TlpLabel } from './tlp.ts';

export type PageBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; caption: string; columns: string[]; rows: string[][] }
  | { kind: 'links'; items: { text: string; href: string }[] };

export interface PageSection {
  heading: string;
  blocks: PageBlock[];
}

export interface AdvisoryPage {
  id: string;
  title: string;
  tlp: { label: TlpLabel; meaning: string };
  status: string;
  published: string;
  updated: string;
  version: string;
  summary: string;
  sections: PageSection[];
}

export const TLP_MEANING: Readonly<Record<TlpLabel, string>> = {
  CLEAR: 'TLP:CLEAR — may be shared without limit.',
  GREEN: 'TLP:GREEN — may be shared within the cyber-defence community, not through public channels.',
  AMBER: 'TLP:AMBER — share only inside your organisation and with its clients who need to know.',
  'AMBER+STRICT': 'TLP:AMBER+STRICT — share only inside your organisation.',
  RED: 'TLP:RED — for the named recipients only; do not share.',
};

const STATUS_WORDS: Record<string, string> = {
  known_affected: 'Affected',
  fixed: 'Fixed',
  known_not_affected: 'Not affected',
  under_investigation: 'Under investigation',
};
const JUSTIFICATION_WORDS: Record<string, string> = {
  component_not_present: 'the component is not present',
  vulnerable_code_not_present: 'the vulnerable code is not present',
  vulnerable_code_cannot_be_controlled_by_adversary: 'the vulnerable code cannot be controlled by an attacker',
  vulnerable_code_not_in_execute_path: 'the vulnerable code is not in the execution path',
  inline_mitigations_already_exist: 'built-in mitigations already exist',
};

// C0/C1 controls except tab and newline, and the Unicode bidirectional overrides/isolates.
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Removes characters that can hide or reorder text. */
export function cleanText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARS, '');
}

/** A timestamp as people read it, always in UTC and saying so. */
export function displayTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function productLine(p: AdvisoryProduct): string {
  return `${p.vendor} ${p.name} ${versionLabel(p)}`;
}

function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

function buildPage(a: Advisory): AdvisoryPage {
  const byId = new Map(a.products.map((p) => [p.id, p]));
  const sections: PageSection[] = [];
  for (const v of a.vulnerabilities) {
    const blocks: PageBlock[] = [];
    const facts: string[] = [];
    if (v.cve) facts.push(`CVE: ${v.cve}`);
    if (v.cwe) facts.push(`Weakness: ${v.cwe.id} ${v.cwe.name}`);
    for (const vector of v.cvss) {
      const s = scoreCvss(vector);
      facts.push(`CVSS ${s.version}: ${s.score.toFixed(1)} ${s.scoreSeverity} (${s.vector})`);
    }
    if (facts.length > 0) blocks.push({ kind: 'list', items: facts });
    blocks.push({ kind: 'paragraph', text: v.description });
    blocks.push({
      kind: 'table',
      caption: `Products and their status for ${v.cve ?? v.title}`,
      columns: ['Product', 'Status', 'Detail'],
      rows: v.statuses.map((s) => {
        const p = byId.get(s.productId) as AdvisoryProduct;
        const detail = [s.justification ? `Not affected because ${JUSTIFICATION_WORDS[s.justification]}.` : '', s.impactStatement ?? ''].filter(Boolean).join(' ');
        return [productLine(p), STATUS_WORDS[s.status], detail];
      }),
    });
    if (v.remediations.length > 0) {
      blocks.push({
        kind: 'list',
        items: v.remediations.map((r) => `${r.category.replace(/_/g, ' ')}: ${r.details}${r.fixedVersion ? ` (fixed in ${r.fixedVersion})` : ''}`),
      });
    }
    const links = [...v.remediations.flatMap((r) => (r.url ? [{ text: `Fix: ${r.url}`, href: r.url }] : [])), ...v.references.map((r) => ({ text: r.summary, href: r.url }))];
    const safe = links.flatMap((l) => {
      const href = safeHref(l.href);
      return href ? [{ text: l.text, href }] : [];
    });
    if (safe.length > 0) blocks.push({ kind: 'links', items: safe });
    const credits = v.acknowledgments.map((ack) => [...(ack.names ?? []), ack.organization].filter(Boolean).join(', ') + (ack.summary ? ` — ${ack.summary}` : ''));
    if (credits.length > 0) blocks.push({ kind: 'list', items: credits.map((c) => `Credit: ${c}`) });
    sections.push({ heading: v.cve ? `${v.cve}: ${v.title}` : v.title, blocks });
  }
  for (const n of a.notes) sections.push({ heading: n.title, blocks: [{ kind: 'paragraph', text: n.text }] });
  const refs = a.references.flatMap((r) => {
    const href = safeHref(r.url);
    return href ? [{ text: r.summary, href }] : [];
  });
  if (refs.length > 0) sections.push({ heading: 'References', blocks: [{ kind: 'links', items: refs }] });
  sections.push({
    heading: 'Revision history',
    blocks: [{ kind: 'table', caption: 'Revisions of this advisory', columns: ['Revision', 'Date', 'Summary'], rows: a.revisions.map((r) => [String(r.number), displayTime(r.date), r.summary]) }],
  });
  return {
    id: a.id,
    title: a.title,
    tlp: { label: a.tlp, meaning: TLP_MEANING[a.tlp] },
    status: a.status,
    published: displayTime(a.revisions[0].date),
    updated: displayTime(a.revisions[a.revisions.length - 1].date),
    version: String(a.revisions[a.revisions.length - 1].number),
    summary: a.summary,
    sections,
  };
}

function deepClean<T>(x: T): T {
  if (typeof x === 'string') return cleanText(x) as T;
  if (Array.isArray(x)) return x.map(deepClean) as T;
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, deepClean(v)])) as T;
  return x;
}

/** Structured, HTML-free page data; every string is plain text. */
export function advisoryPage(input: AdvisoryInput): AdvisoryPage {
  return deepClean(buildPage(parseAdvisory(input)));
}

export function renderAdvisoryText(page: AdvisoryPage): string {
  const out: string[] = [`${page.id}: ${page.title}`, page.tlp.meaning, `Status: ${page.status}, version ${page.version}. Published ${page.published}; updated ${page.updated}.`, '', page.summary];
  for (const s of page.sections) {
    out.push('', s.heading, '-'.repeat(Math.min(s.heading.length, 80)));
    for (const b of s.blocks) {
      if (b.kind === 'paragraph') out.push(b.text);
      else if (b.kind === 'list') out.push(...b.items.map((i) => `* ${i}`));
      else if (b.kind === 'links') out.push(...b.items.map((i) => `* ${i.text} <${i.href}>`));
      else out.push(b.caption, b.columns.join(' | '), ...b.rows.map((r) => r.join(' | ')));
    }
  }
  return out.join('\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A standalone HTML page; nothing from the advisory reaches the markup unescaped. */
export function renderAdvisoryHtml(page: AdvisoryPage): string {
  const e = escapeHtml;
  const block = (b: PageBlock): string => {
    switch (b.kind) {
      case 'paragraph':
        return b.text.split(/\n{2,}/).map((p) => `<p>${e(p)}</p>`).join('');
      case 'list':
        return `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
      case 'links':
        return `<ul>${b.items.map((i) => {
          const href = safeHref(i.href);
          return href ? `<li><a href="${e(href)}" rel="noopener noreferrer">${e(i.text)}</a></li>` : `<li>${e(i.text)}</li>`;
        }).join('')}</ul>`;
      case 'table':
        return `<table class="usa-table"><caption>${e(b.caption)}</caption><thead><tr>${b.columns.map((c) => `<th scope="col">${e(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
          .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td>${e(c)}</td>`)).join('')}</tr>`)
          .join('')}</tbody></table>`;
    }
  };
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'">`,
    `<title>${e(page.id)}: ${e(page.title)}</title></head><body><main>`,
    `<h1>${e(page.id)}: ${e(page.title)}</h1>`,
    `<p><strong>${e(page.tlp.meaning)}</strong></p>`,
    `<p>Status: ${e(page.status)}, version ${e(page.version)}. Published ${e(page.published)}; updated ${e(page.updated)}.</p>`,
    `<h2>Summary</h2><p>${e(page.summary)}</p>`,
    ...page.sections.map((s) => `<section><h2>${e(s.heading)}</h2>${s.blocks.map(block).join('')}</section>`),
    '</main></body></html>',
  ].join('\n');
}
