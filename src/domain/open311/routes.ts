/**
 * GeoReport v2 at /open311/v2, in its own encapsulated Fastify context so that its rules stay
 * here: the format is the path suffix (.json or .xml), POST bodies may be
 * application/x-www-form-urlencoded (the spec's format) or JSON, every error leaves in the spec's
 * `errors` form in the asked format, and GET answers carry CORS for browser clients (public data,
 * no cookies). The routes are hidden from /docs: the contract is the Open311 spec and discovery.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../shared/errors';
import type { App } from '../../shared/http';
import { Open311Error, type Open311ErrorItem } from './errors';
import { ROOTS, XML_MAPPING, type Format } from './core/georeport';
import { toXml, type JsonValue } from './core/xml';
import * as service from './service';

export const OPEN311_PREFIX = '/open311/v2';

const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

function formatOf(url: string): Format {
  return /\.xml$/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json';
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) {
  const body = format === 'xml' ? toXml(root, value as JsonValue, XML_MAPPING) : JSON.stringify(value);
  return reply.code(status).type(CONTENT_TYPE[format]).send(body);
}

/** `<name>.<json|xml>` of a path parameter, or null. */
function splitFile(file: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Format } : null;
}

const FRAMEWORK: Record<string, { status: Open311Error['status']; description: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, description: 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, description: 'Invalid Content-Type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, description: 'The request body is too large' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, description: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, description: 'The body is empty but declared as JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, description: 'Content-Length does not match the body' },
};

function asOpen311(error: unknown): { status: number; errors: Open311ErrorItem[] } | null {
  if (error instanceof Open311Error) return { status: error.status, errors: error.errors };
  if (isAppError(error) && error.status < 500) return { status: error.status, errors: [{ code: error.status, description: `${error.text.en} / ${error.text.zh}` }] };
  const fe = error as Partial<FastifyError>;
  if (fe.code && FRAMEWORK[fe.code]) {
    const f = FRAMEWORK[fe.code]!;
    return { status: f.status, errors: [{ code: f.status, description: f.description }] };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, errors: [{ code: fe.statusCode, description: 'Bad request' }] };
  }
  return null;
}

/** application/x-www-form-urlencoded → fields; a repeated field becomes a list (the service refuses it where it wants one value). */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

type Handler = (req: FastifyRequest, format: Format) => Promise<{ root: string; value: unknown; status?: number }>;

export function open311Routes(app: App, deps: service.Open311Deps) {
  void app.register(
    async (scope) => {
      // Fastify parses text/plain by default; here it is refused (415) like any other type.
      scope.removeContentTypeParser('text/plain');
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => {
        done(null, parseForm(body as string));
      });

      scope.setErrorHandler((error: FastifyError, req, reply) => {
        const known = asOpen311(error);
        if (known) return send(reply, formatOf(req.url), ROOTS.errors, known.errors, known.status);
        req.log.error({ err: error }, 'open311: unexpected error');
        return send(reply, formatOf(req.url), ROOTS.errors, [{ code: 500, description: 'General service error; it has been logged' }], 500);
      });

      scope.setNotFoundHandler((req, reply) =>
        send(reply, formatOf(req.url), ROOTS.errors, [{ code: 404, description: `No such Open311 resource: ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 200)}` }], 404),
      );

      scope.addHook('onSend', async (req, reply) => {
        if (req.method === 'GET' || req.method === 'HEAD') reply.header('access-control-allow-origin', '*');
      });

      const schema = { hide: true };
      const query = (req: FastifyRequest) => (req.query ?? {}) as service.Args;
      /** A route at `<path>.json` and `<path>.xml`. */
      const both = (method: 'GET' | 'POST', path: string, handler: Handler) => {
        for (const format of ['json', 'xml'] as const) {
          scope.route({
            method,
            url: `${path}.${format}`,
            schema,
            handler: async (req, reply) => {
              const r = await handler(req, format);
              return send(reply, format, r.root, r.value, r.status);
            },
          });
        }
      };
      /** A route at `<path>/:file` where file is `<id>.json` or `<id>.xml`. */
      const byId = (path: string, handler: (req: FastifyRequest, id: string) => Promise<{ root: string; value: unknown }>) => {
        scope.get(`${path}/:file`, { schema }, async (req, reply) => {
          const f = splitFile((req.params as { file: string }).file);
          if (!f) throw new Open311Error(404, [{ code: 404, description: 'Add .json or .xml to the resource' }]);
          const r = await handler(req, f.name);
          return send(reply, f.format, r.root, r.value);
        });
      };

      both('GET', '/discovery', async (req) => {
        const base = `${req.protocol}://${req.headers.host ?? 'localhost'}${OPEN311_PREFIX}`;
        return { root: ROOTS.discovery, value: await service.discovery(deps, base) };
      });
      both('GET', '/services', async (req) => ({ root: ROOTS.services, value: await service.listServices(deps, query(req)) }));
      byId('/services', async (req, code) => ({ root: ROOTS.serviceDefinition, value: await service.serviceDefinition(deps, code, query(req)) }));
      both('POST', '/requests', async (req) => {
        const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as service.Args) : {};
        // 200, not 201: the spec names no status and some old clients accept only 200.
        return { root: ROOTS.requests, value: await service.submitRequest(deps, body, query(req)) };
      });
      both('GET', '/requests', async (req) => ({ root: ROOTS.requests, value: await service.listRequests(deps, query(req)) }));
      byId('/requests', async (req, id) => ({ root: ROOTS.requests, value: await service.getRequest(deps, id, query(req)) }));
      byId('/tokens', async (req, token) => ({ root: ROOTS.requests, value: await service.resolveToken(deps, token, query(req)) }));
      both('GET', '/servicerequestupdates', async (req) => ({ root: ROOTS.updates, value: await service.listUpdates(deps, query(req)) }));
    },
    { prefix: OPEN311_PREFIX },
  );
}
