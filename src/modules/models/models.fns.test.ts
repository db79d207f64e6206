import { describe, expect, it } from 'vitest';
import { aad, contentDisposition, daysUntil, decodeBase64, diffShares, documentMarkingText, MAX_DOCUMENT_BASE64, MAX_DOCUMENT_BYTES, sha256Hex } from './models.fns.ts';
import { NewVersionBody, RegisterModelBody, UpdateModelBody, UploadDocumentBody } from './models.types.ts';

describe('decodeBase64', () => {
  it('decodes standard padded base64', () => {
    expect(decodeBase64(Buffer.from('hello world').toString('base64'))?.toString()).toBe('hello world');
    expect(decodeBase64('')?.length).toBe(0);
  });
  it('refuses what is not base64', () => {
    expect(decodeBase64('abc')).toBeNull();
    expect(decodeBase64('ab$=')).toBeNull();
    expect(decodeBase64('a===')).toBeNull();
    expect(decodeBase64('YQ==YQ==')).toBeNull();
  });
  it('sizes the longest text from the byte limit', () => {
    expect(MAX_DOCUMENT_BYTES).toBe(5 * 1024 * 1024);
    expect(decodeBase64('A'.repeat(MAX_DOCUMENT_BASE64))!.length).toBeGreaterThanOrEqual(MAX_DOCUMENT_BYTES);
    expect(Buffer.alloc(MAX_DOCUMENT_BYTES).toString('base64').length).toBeLessThanOrEqual(MAX_DOCUMENT_BASE64);
  });
});

describe('diffShares', () => {
  it('adds the new, removes the dropped, keeps the rest', () => {
    expect(diffShares(['a', 'b'], ['b', 'c'])).toEqual({ add: ['c'], remove: ['a'] });
    expect(diffShares([], [])).toEqual({ add: [], remove: [] });
    expect(diffShares(['a'], [])).toEqual({ add: [], remove: ['a'] });
    expect(diffShares([], ['x', 'x'])).toEqual({ add: ['x'], remove: [] });
  });
});

describe('helpers', () => {
  it('always downloads, with a safe ASCII name and the UTF-8 name', () => {
    expect(contentDisposition('card.pdf')).toBe(`attachment; filename="card.pdf"; filename*=UTF-8''card.pdf`);
    const h = contentDisposition('modèle "v2".pdf');
    expect(h).toContain('filename="mod_le _v2_.pdf"');
    expect(h).toContain("filename*=UTF-8''mod%C3%A8le%20%22v2%22.pdf");
    expect(h).not.toMatch(/[\r\n]/);
  });
  it('writes the marking with its caveat', () => {
    expect(documentMarkingText({ classification: 1, compartments: [] }, 'PROPIN')).toBe('CUI//PROPIN');
    expect(documentMarkingText({ classification: 2, compartments: [] }, null)).toBe('CONFIDENTIAL');
    expect(documentMarkingText({ classification: 0, compartments: [] }, null)).toBe('UNCLASSIFIED');
  });
  it('names the row in the aad and counts days', () => {
    expect(aad('model_documents', 'content_enc', 'x')).toBe('model_documents.content_enc:x');
    const now = new Date('2026-01-01T00:00:00Z');
    expect(daysUntil(new Date('2026-01-31T00:00:00Z'), now)).toBe(30);
    expect(daysUntil(new Date('2026-01-01T12:00:00Z'), now)).toBe(1);
    expect(daysUntil(new Date('2025-12-31T00:00:00Z'), now)).toBe(-1);
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('request schemas', () => {
  const base = {
    name: 'Aurora',
    version: '1.0',
    modality: 'text',
    plannedReleaseAt: '2027-01-01T00:00:00Z',
    trainingComputeFlop: 3e25,
    computeEstimationMethod: '6ND',
    intendedDeployment: 'API',
    capabilitySummary: 'Writes code.',
  };
  it('accepts a registration and refuses unknown fields, non-positive compute and unbounded text', () => {
    expect(RegisterModelBody.safeParse(base).success).toBe(true);
    expect(RegisterModelBody.safeParse({ ...base, status: 'approved' }).success).toBe(false);
    expect(RegisterModelBody.safeParse({ ...base, trainingComputeFlop: 0 }).success).toBe(false);
    expect(RegisterModelBody.safeParse({ ...base, trainingComputeFlop: -1 }).success).toBe(false);
    expect(RegisterModelBody.safeParse({ ...base, name: 'x'.repeat(201) }).success).toBe(false);
    expect(RegisterModelBody.safeParse({ ...base, modality: 'telepathy' }).success).toBe(false);
    expect(RegisterModelBody.safeParse({ ...base, plannedReleaseAt: 'soon' }).success).toBe(false);
  });
  it('never lets a PATCH touch the release date or the status', () => {
    expect(UpdateModelBody.safeParse({ name: 'B' }).success).toBe(true);
    expect(UpdateModelBody.safeParse({}).success).toBe(false);
    expect(UpdateModelBody.safeParse({ plannedReleaseAt: '2027-01-01T00:00:00Z' }).success).toBe(false);
    expect(UpdateModelBody.safeParse({ status: 'withdrawn' }).success).toBe(false);
  });
  it('needs a version and a release date for a new version', () => {
    expect(NewVersionBody.safeParse({ version: '2', plannedReleaseAt: '2027-01-01T00:00:00Z' }).success).toBe(true);
    expect(NewVersionBody.safeParse({ version: '2' }).success).toBe(false);
  });
  it('bounds documents: kind, marking up to CONFIDENTIAL, file name, caveat', () => {
    const doc = { kind: 'model_card', title: 'Card', filename: 'card.md', mediaType: 'text/markdown', contentBase64: 'aGk=', marking: { classification: 'CUI' }, caveat: 'PROPIN' };
    expect(UploadDocumentBody.safeParse(doc).success).toBe(true);
    expect(UploadDocumentBody.safeParse({ ...doc, marking: { classification: 'SECRET' } }).success).toBe(false);
    expect(UploadDocumentBody.safeParse({ ...doc, filename: '../etc/passwd' }).success).toBe(false);
    expect(UploadDocumentBody.safeParse({ ...doc, caveat: 'propin' }).success).toBe(false);
    expect(UploadDocumentBody.safeParse({ ...doc, kind: 'weights' }).success).toBe(false);
    expect(UploadDocumentBody.safeParse({ ...doc, mediaType: 'not a type' }).success).toBe(false);
  });
});
