import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MULTI_VENDOR, PROMPT_INJECTION } from './advisory.fixtures.ts';
import { advisoryPage, cleanText, displayTime, escapeHtml, renderAdvisoryHtml, renderAdvisoryText } from './advisory-page.ts';
import type { AdvisoryInput } from './model.ts';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '&lt;script&gt; already escaped?',
  '</table></section><iframe src=//evil>',
  '{{constructor.constructor("alert(1)")()}}',
  'right-to-left \u202Egnp.exe\u202C override',
  'null\u0000byte and bell\u0007',
];

function hostile(text: string): AdvisoryInput {
  const a = structuredClone(PROMPT_INJECTION);
  a.title = `Title ${text}`.slice(0, 300);
  a.summary = `Summary ${text}`;
  a.notes = [{ category: 'general', title: `Note ${text}`.slice(0, 200), text }];
  a.products[0].vendor = `Vendor ${text}`.slice(0, 200);
  a.products[0].name = `Name ${text}`.slice(0, 200);
  a.references = [{ url: 'https://acme.example/a?q=<x>&y="1"', summary: `Ref ${text}`.slice(0, 500) }];
  const v = a.vulnerabilities[0];
  v.title = `Vuln ${text}`.slice(0, 300);
  v.description = text;
  v.statuses[1] = { ...v.statuses[1], impactStatement: text };
  v.remediations = [{ category: 'workaround', details: text, productIds: ['acme-inference-server-2'] }];
  v.acknowledgments = [{ names: [`Person ${text}`.slice(0, 200)], organization: `Org ${text}`.slice(0, 200) }];
  return a;
}

/** Every tag in the output is one the renderer writes itself. */
const ALLOWED_TAGS = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'body', 'main', 'h1', 'h2', 'p', 'strong', 'section', 'ul', 'li', 'a', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td']);
function assertSafeHtml(html: string) {
  // Every "<" opens a tag the renderer writes itself; attributes are only the renderer's own.
  const tags = [...html.matchAll(/<([^>]*)>/g)].map((m) => m[1]);
  expect(html.split('<').length - 1).toBe(tags.length);
  for (const tag of tags) {
    const name = /^\/?([a-z!][a-z0-9]*)/i.exec(tag)?.[1]?.toLowerCase() ?? '';
    expect(ALLOWED_TAGS.has(name), tag).toBe(true);
    const attrs = [...tag.matchAll(/\s([a-z-]+)=("[^"]*"|'[^']*'|[^\s"'>]+)/gi)];
    for (const [, attr, value] of attrs) {
      expect(ALLOWED_ATTRS.has(attr.toLowerCase()), `${attr} in <${tag}>`).toBe(true);
      expect(value.startsWith('"'), tag).toBe(true);
      if (attr === 'href') expect(value).toMatch(/^"https?:\/\//);
    }
    expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/['`]/);
  }
  expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u0000\u0007]/);
}
const ALLOWED_ATTRS = new Set(['lang', 'charset', 'http-equiv', 'content', 'href', 'rel', 'class', 'scope']);

describe('advisory page', () => {
  it('structures a real advisory', () => {
    const page = advisoryPage(PROMPT_INJECTION);
    expect(page).toMatchObject({ id: 'FWN-2026-0001', tlp: { label: 'CLEAR' }, status: 'final', version: '2', published: '2026-03-02 15:00 UTC', updated: '2026-03-09 14:30 UTC' });
    const vuln = page.sections[0];
    expect(vuln.heading).toBe('CVE-2026-10001: Indirect prompt injection reaches the shell tool');
    expect(vuln.blocks[0]).toEqual({
      kind: 'list',
      items: [
        'CVE: CVE-2026-10001',
        'Weakness: CWE-1427 Improper Neutralization of Input Used for LLM Prompting',
        'CVSS 3.1: 9.6 CRITICAL (CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H)',
        'CVSS 4.0: 9.4 CRITICAL (CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H)',
      ],
    });
    const table = vuln.blocks.find((b) => b.kind === 'table');
    expect(table).toMatchObject({
      rows: [
        ['Acme Labs Acme Inference Server versions from 2.0.0 before 2.4.1', 'Affected', ''],
        ['Acme Labs Acme Inference Gateway 1.9.0', 'Not affected', 'Not affected because the vulnerable code is not present. The gateway does not include the retrieval tool.'],
      ],
    });
    expect(page.sections.at(-1)?.heading).toBe('Revision history');
  });

  it('says AMBER+STRICT plainly', () => {
    expect(advisoryPage(MULTI_VENDOR).tlp.meaning).toMatch(/only inside your organisation/);
    expect(renderAdvisoryText(advisoryPage(MULTI_VENDOR))).toMatch(/TLP:AMBER\+STRICT/);
  });

  it.each(HOSTILE)('hostile text stays text: %s', (text) => {
    const page = advisoryPage(hostile(text));
    const html = renderAdvisoryHtml(page);
    assertSafeHtml(html);
    // the structured page is plain strings: the hostile text is there, only stripped of hidden characters
    expect(JSON.stringify(page)).toContain(JSON.stringify(cleanText(text)).slice(1, -1));
    expect(renderAdvisoryText(page)).toContain(cleanText(text));
    if (text.includes('<')) expect(html).toContain(escapeHtml(cleanText(text)).split('\n')[0]);
  });

  it('random strings in every field never produce markup (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120, unit: fc.constantFrom('<', '>', '"', "'", '&', '/', '=', 'a', 'on', 'script', ' ', 'x', 'javascript:', '\u202E', '\n') }), (s) => {
        if (s.trim().length === 0) return;
        assertSafeHtml(renderAdvisoryHtml(advisoryPage(hostile(s))));
      }),
      { numRuns: 60 },
    );
  });

  it('a javascript: URL cannot become a link even if it got past the model', () => {
    const page = advisoryPage(PROMPT_INJECTION);
    page.sections.push({ heading: 'x', blocks: [{ kind: 'links', items: [{ text: 'click', href: 'javascript:alert(1)' }] }] });
    const html = renderAdvisoryHtml(page);
    expect(html).toContain('<li>click</li>');
    assertSafeHtml(html);
  });

  it('the model refuses non-http links outright', () => {
    const a = structuredClone(PROMPT_INJECTION);
    a.references = [{ url: 'javascript:alert(1)', summary: 'x' }];
    expect(() => advisoryPage(a)).toThrow();
  });

  it('helpers', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(cleanText('a\u202Eb\u0000c\r\nd')).toBe('abc\nd');
    expect(displayTime('2026-03-09T09:30:00-05:00')).toBe('2026-03-09 14:30 UTC');
  });
});
