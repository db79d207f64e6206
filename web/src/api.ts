// Small fetch wrapper for the Forewarn API (/api/v1, same origin, cookie auth).
// - sends credentials: 'same-origin'
// - adds `x-csrf-token` (value of the readable `fw_csrf` cookie) on unsafe methods
// - parses RFC 9457 problem+json error bodies into an ApiError with `.problem`

export const API_BASE = '/api/v1';

export interface ProblemFieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  readonly status: number;

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.status = problem.status;
  }

  /** True when the problem `type` URI ends with the given suffix, e.g. '/totp-required'. */
  is(typeSuffix: string): boolean {
    return this.problem.type.endsWith(typeSuffix);
  }
}

/** True when `err` is an ApiError whose problem type ends with `typeSuffix`. */
export function isProblem(err: unknown, typeSuffix: string): err is ApiError {
  return err instanceof ApiError && err.is(typeSuffix);
}

/** Event dispatched on `window` when an authenticated call answers 401 (session gone). */
export const UNAUTHORIZED_EVENT = 'forewarn:unauthorized';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return undefined;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `?a=1&b=2`, dropping empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function apiUrl(path: string, query?: Query): string {
  return `${API_BASE}${path}${queryString(query)}`;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Do not broadcast UNAUTHORIZED_EVENT on 401 (sign-in form, session probe). */
  quiet401?: boolean;
}

async function toProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem> & { message?: string; error?: string };
      return {
        type: typeof body.type === 'string' ? body.type : 'about:blank',
        title: body.title ?? body.error ?? (res.statusText || 'Request failed'),
        status: typeof body.status === 'number' ? body.status : res.status,
        detail: body.detail ?? body.message,
        errors: Array.isArray(body.errors) ? body.errors : undefined,
      };
    } catch {
      // fall through to a generic problem
    }
  }
  return { type: 'about:blank', title: res.statusText || 'Request failed', status: res.status };
}

export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const csrf = readCookie('fw_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
  }

  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'Forewarn could not be reached. Check your connection and try again.',
    });
  }

  if (!res.ok) {
    const problem = await toProblem(res);
    if (res.status === 401 && !options.quiet401) {
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(problem);
  }

  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as T;
}
