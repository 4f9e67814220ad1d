/**
 * Every failure leaves the API as `{"error":{"code","message","zh","en","details?"}}` with the
 * right 4xx: `message` follows Accept-Language; `zh` and `en` are both given so a log or a
 * support desk reads the same words. Only an unexpected error becomes a 500, and it is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, type Bilingual, type ErrorCode } from '../shared/errors';
import { langOf } from '../shared/http';

const WHERE: Record<string, Bilingual> = {
  body: { zh: '请求内容', en: 'body' },
  querystring: { zh: '查询参数', en: 'query' },
  params: { zh: '路径参数', en: 'path' },
  headers: { zh: '请求头', en: 'headers' },
};

const ISSUE_ZH: Record<string, string> = {
  invalid_type: '类型不正确',
  too_small: '过短或过小',
  too_big: '过长或过大',
  invalid_format: '格式不正确',
  invalid_value: '取值不在允许范围内',
  unrecognized_keys: '含有不允许的字段',
  invalid_union: '不符合任何允许的形式',
  not_multiple_of: '数值不符合要求',
  custom: '不符合要求',
};

function validationError(error: FastifyError & { validation: { keyword: string; instancePath: string; message?: string; params?: Record<string, unknown> }[] }): AppError {
  const where = WHERE[(error as { validationContext?: string }).validationContext ?? 'body'] ?? WHERE.body!;
  const issues = error.validation.map((v) => {
    const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const keys = (v.params?.issue as { keys?: string[] } | undefined)?.keys;
    const extra = keys?.length ? `: ${keys.join(', ')}` : '';
    return {
      field: field || null,
      code: v.keyword,
      zh: `${field || where.zh}${field ? '：' : ''}${ISSUE_ZH[v.keyword] ?? '不符合要求'}${extra}`,
      en: `${field || where.en}: ${v.message ?? v.keyword}`,
    };
  });
  return new AppError(
    'validation_failed',
    { zh: `${where.zh}有误：${issues.map((i) => i.zh).join('；')}`, en: `Invalid ${where.en}: ${issues.map((i) => i.en).join('; ')}` },
    issues,
  );
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; text: Bilingual }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'validation_failed', text: { zh: '请求内容不是合法的 JSON', en: 'The body is not valid JSON' } },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'validation_failed', text: { zh: '请求内容为空，但声明为 JSON', en: 'The body is empty but declared as JSON' } },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', text: { zh: '请求内容过大', en: 'The body is too large' } },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', text: { zh: '不支持的内容类型，请使用 application/json', en: 'Unsupported content type; send application/json' } },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'validation_failed', text: { zh: '请求长度与内容不符', en: 'Content-Length does not match the body' } },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'uri_too_long', text: { zh: '地址中的参数过长', en: 'A path parameter is too long' } },
  FST_ERR_BAD_URL: { code: 'validation_failed', text: { zh: '地址格式不正确', en: 'The URL is malformed' } },
  FST_ERR_CTP_INVALID_TYPE: { code: 'unsupported_media_type', text: { zh: '内容类型无效', en: 'Invalid content type' } },
};

export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return validationError(error as never);
  const fe = error as Partial<FastifyError>;
  if (fe.code && FASTIFY_CODES[fe.code]) {
    const m = FASTIFY_CODES[fe.code]!;
    return new AppError(m.code, m.text);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code: ErrorCode = fe.statusCode === 404 ? 'not_found' : fe.statusCode === 403 ? 'forbidden' : fe.statusCode === 401 ? 'unauthenticated' : fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : fe.statusCode === 429 ? 'rate_limited' : 'validation_failed';
    return new AppError(code, { zh: '请求有误', en: fe.message ?? 'Bad request' });
  }
  return null;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, error: AppError) {
  const lang = langOf(req);
  const body: Record<string, unknown> = { code: error.code, message: error.text[lang], zh: error.text.zh, en: error.text.en };
  if (error.details !== undefined) body.details = error.details;
  return reply.code(error.status).type('application/json; charset=utf-8').send({ error: body });
}

export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const known = toAppError(error);
  if (known) return sendError(req, reply, known);
  req.log.error({ err: error }, 'unexpected error');
  return sendError(req, reply, new AppError('internal', { zh: '服务器内部错误，已记录，请稍后重试', en: 'Internal error; it has been logged, please try again later' }));
}
