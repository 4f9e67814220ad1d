import i18n, { currentLanguage } from './i18n';

/** An error returned by the server as `{"error":{"code","message"}}`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ApiHandlers {
  /** Show the error to the user (antd message). */
  onError: (error: ApiError) => void;
  /** The session is gone: go to the login page. */
  onUnauthorized: (error: ApiError) => void;
}

let handlers: ApiHandlers = {
  onError: (error) => console.error(error),
  onUnauthorized: () => window.location.assign('/login'),
};

/** Installed once by the app shell, inside antd's <App> and the router. */
export function setApiHandlers(next: ApiHandlers): void {
  handlers = next;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not notify or redirect on errors; the caller shows them (login form, session probe). */
  quiet?: boolean;
}

export type Query = Record<string, string | number | null | undefined>;

/** Build `path?query`, leaving out empty values. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message: string = i18n.t('common.requestFailed', { status: response.status });
  try {
    const body: unknown = await response.json();
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string' && error.message) message = error.message;
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(response.status, code, message);
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage(),
  };
  let body: string | undefined;
  if (method !== 'GET') {
    // CSRF guard header; always a JSON body (Fastify rejects an empty body sent as JSON).
    headers['x-minsheng-csrf'] = '1';
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    const error = new ApiError(0, 'network', i18n.t('common.networkError'));
    if (!options.quiet) handlers.onError(error);
    throw error;
  }

  if (!response.ok) {
    const error = await readError(response);
    if (!options.quiet && !options.signal?.aborted) {
      if (response.status === 401) handlers.onUnauthorized(error);
      else handlers.onError(error);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  del: <T = void>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
};

/**
 * Run a call whose errors the API layer already showed to the user, so event handlers need no
 * try/catch: resolves to `{ value }` on success and to undefined on failure.
 */
export async function attempt<T>(call: Promise<T>): Promise<{ value: T } | undefined> {
  try {
    return { value: await call };
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(error);
    return undefined;
  }
}
