// The report submission call (it needs an Idempotency-Key header, which the shared `api` helper does
// not send), and the reports this browser submitted (there is no "my reports" list in the API yet).
import { ApiError, apiUrl, readCookie } from '../../api.ts';
import type { Problem } from '../../api.ts';
import type { SubmitResult } from './types.ts';

/** A fresh key per submission; reused only when the very same submission is sent again. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function submitReport(body: { format?: string; document: string }, idempotencyKey: string): Promise<SubmitResult> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
  const csrf = readCookie('fw_csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(apiUrl('/clearinghouse/reports'), { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: 'Forewarn could not be reached. Submit again: the same submission is not stored twice.' });
  }
  if (res.ok) return (await res.json()) as SubmitResult;
  let problem: Problem = { type: 'about:blank', title: res.statusText || 'Request failed', status: res.status };
  try {
    const p = (await res.json()) as Partial<Problem>;
    problem = { type: p.type ?? problem.type, title: p.title ?? problem.title, status: p.status ?? res.status, detail: p.detail, errors: Array.isArray(p.errors) ? p.errors : undefined };
  } catch {
    // not JSON: keep the generic problem
  }
  throw new ApiError(problem);
}

export interface RecentReport {
  id: string;
  format: string;
  at: string;
  candidates: number;
  merged: number;
}

const MAX_RECENT = 50;
const storageKey = (userId: string) => `forewarn.clearinghouse.reports.${userId}`;

export function recentReports(userId: string): RecentReport[] {
  try {
    const list = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]') as RecentReport[];
    return Array.isArray(list) ? list.filter((r) => typeof r.id === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function rememberReport(userId: string, r: SubmitResult): RecentReport[] {
  const entry: RecentReport = { id: r.reportId, format: r.format, at: new Date().toISOString(), candidates: r.candidates.length, merged: r.candidates.filter((c) => c.merged).length };
  const list = [entry, ...recentReports(userId).filter((x) => x.id !== r.reportId)].slice(0, MAX_RECENT);
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(list));
  } catch {
    // storage full or disabled: the ids are still shown on this page
  }
  return list;
}
