/** The server's error shape (DESIGN.md): a stable `code` the UI switches on, a sentence, details. */
export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

/** A failed call: the HTTP status and the server's error, or `network_error` when nothing answered. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

type RequestOptions = { body?: unknown; signal?: AbortSignal; headers?: Record<string, string> };

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: 'same-origin',
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML error page): fall through to the generic error below.
    }
  }
  if (!res.ok) {
    const err = (parsed as Partial<ApiErrorBody> | null)?.error;
    if (err && typeof err.code === 'string') {
      throw new ApiError(res.status, err.code, err.message ?? res.statusText, err.details);
    }
    throw new ApiError(res.status, `http_${res.status}`, res.statusText || 'Request failed.');
  }
  return parsed as T;
}

/**
 * Typed calls to our own API (same origin). Errors arrive as `ApiError` with the server's code.
 *
 * @example
 *   const view = await api.get<TrackingView>(`/api/v1/track/${token}`);
 */
export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  delete: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, opts),
};
