/**
 * The one error type the service layer throws on purpose. Every refusal carries a stable
 * machine code, the HTTP status it maps to, and a message in Chinese and English that a
 * clerk can act on. Anything else that escapes is a bug and becomes a 500.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'account_locked'
  | 'rate_limited'
  | 'forbidden'
  | 'out_of_scope'
  | 'not_found'
  | 'conflict'
  | 'csrf_rejected'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'unsupported_media_type'
  | 'outside_district'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  account_locked: 423,
  rate_limited: 429,
  forbidden: 403,
  out_of_scope: 403,
  not_found: 404,
  conflict: 409,
  csrf_rejected: 403,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  outside_district: 404,
  internal: 500,
};

export interface Bilingual {
  zh: string;
  en: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly text: Bilingual,
    readonly details?: unknown,
  ) {
    super(text.en);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const notFound = (what: Bilingual) =>
  new AppError('not_found', { zh: `${what.zh}不存在`, en: `${what.en} not found` });

export const invalid = (text: Bilingual, details?: unknown) => new AppError('validation_failed', text, details);

export const conflict = (text: Bilingual, details?: unknown) => new AppError('conflict', text, details);
