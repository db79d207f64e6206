import { DEMO_USERS } from '../demo/demo-accounts.ts';
import { STEP_SECONDS, stepAt, totp } from '../modules/identity/totp.ts';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** A browser-like API client: keeps the session cookie and sends the CSRF header on changes. */
export class ApiClient {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(
    readonly base: string,
    readonly bearer: string | null = null,
  ) {}

  async request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookies = res.headers.getSetCookie();
    if (setCookies.length) {
      const pairs = setCookies.map((c) => c.split(';')[0]).filter((p) => !p.endsWith('='));
      if (pairs.length) {
        this.cookie = pairs.join('; ');
        this.csrf = pairs.find((p) => p.startsWith('fw_csrf='))?.slice(8) ?? this.csrf;
      }
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* keep text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get = (p: string) => this.request('GET', p);
  post = (p: string, b: unknown = {}) => this.request('POST', p, b);
  patch = (p: string, b: unknown = {}) => this.request('PATCH', p, b);
  del = (p: string) => this.request('DELETE', p);
}

const usedStep = new Map<string, number>();

/** Signs in as a demo account, answering its TOTP prompt with a code not used before. */
export async function signInDemo(base: string, email: string, password: string): Promise<ApiClient> {
  const c = new ApiClient(base);
  const secret = DEMO_USERS.find((u) => u.email === email)?.totpSecret;
  let code: string | undefined;
  if (secret) {
    let step = Math.max(stepAt(Date.now()), (usedStep.get(email) ?? -1) + 1);
    while (step > stepAt(Date.now()) + 1) {
      await new Promise((r) => setTimeout(r, 1000));
      step = Math.max(stepAt(Date.now()), (usedStep.get(email) ?? -1) + 1);
    }
    usedStep.set(email, step);
    code = totp(secret, step * STEP_SECONDS * 1000);
  }
  const r = await c.post('/api/v1/auth/login', { email, password, ...(code ? { totp: code } : {}) });
  if (r.status !== 200) throw new Error(`sign-in as ${email} answered ${r.status}: ${r.body?.detail ?? ''}`);
  return c;
}
