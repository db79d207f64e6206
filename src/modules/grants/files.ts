import { createHash } from 'node:crypto';

// Uploaded files (grant attachments, résumés) are accepted as base64 in JSON, with bounded size and
// a short list of document types; the declared type must agree with the file's first bytes so a
// renamed executable is not stored as a "PDF".

export const MAX_FILE_BYTES = 2 * 1024 * 1024;
export const FILE_TYPES = {
  'application/pdf': { ext: ['pdf'], magic: [0x25, 0x50, 0x44, 0x46] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: ['docx'], magic: [0x50, 0x4b, 0x03, 0x04] },
  'text/plain': { ext: ['txt'], magic: null },
} as const;
export type FileType = keyof typeof FILE_TYPES;
export const FILE_TYPE_NAMES = Object.keys(FILE_TYPES) as FileType[];
/** Base64 of MAX_FILE_BYTES, rounded up: the schema bound on the encoded string. */
export const MAX_BASE64_CHARS = Math.ceil(MAX_FILE_BYTES / 3) * 4;

export interface CheckedFile {
  bytes: Buffer;
  sizeBytes: number;
  sha256: string;
}

export function checkFile(filename: string, contentType: FileType, base64: string): { ok: true; file: CheckedFile } | { ok: false; message: string } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return { ok: false, message: 'the content is not valid base64' };
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return { ok: false, message: 'the file is empty' };
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, message: `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  const spec = FILE_TYPES[contentType];
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (!(spec.ext as readonly string[]).includes(ext)) return { ok: false, message: `a ${contentType} file must be named .${spec.ext.join(' or .')}` };
  if (spec.magic && !spec.magic.every((b, i) => bytes[i] === b)) return { ok: false, message: `the content is not a ${contentType} file` };
  if (!spec.magic && bytes.includes(0)) return { ok: false, message: 'a text file cannot contain NUL bytes' };
  return { ok: true, file: { bytes, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } };
}
