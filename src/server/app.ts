/**
 * The HTTP application: plugins, the actor hook, CSRF and security headers, every module's
 * routes, the OpenAPI document at /docs, and the built web app. Built from `Deps` so tests run
 * the very same app through `app.inject`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../shared/http';
import { AppError } from '../shared/errors';
import { accessRoutes, accessService, SESSION_COOKIE } from '../domain/access';
import { areasRoutes } from '../domain/areas';
import { auditRoutes } from '../domain/audit';
import { calendarRoutes } from '../domain/calendar';
import { publicTicketRoutes, ticketsRoutes } from '../domain/tickets';
import { open311KeyRoutes, open311Routes } from '../domain/open311';
import { analysisRoutes, duplicatesRoutes, hotRoutes, knowledgeRoutes } from '../domain/analysis';
import { benefitsRoutes } from '../domain/benefits';
import { microRoutes, publicMicroRoutes } from '../domain/micro';
import { projectsRoutes, publicProjectsRoutes } from '../domain/projects';
import { facilitiesRoutes, publicFacilityRoutes } from '../domain/facilities';
import { residentsRoutes } from '../domain/residents';
import secureJson from 'secure-json-parse';
import { errorHandler, sendError } from './http-errors';
import { idempotency } from './idempotency/plugin';
import type { Deps } from './compose';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const VERSION = '0.1.0';

export interface AppOptions {
  logger?: boolean | { level: string };
  webDist?: string | null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: false,
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route runs (bad URL, over-long parameter).
    frameworkErrors: (error, req, reply) => errorHandler(error, req, reply),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  const tileOrigin = deps.basemapTileUrl ? new URL(deps.basemapTileUrl.replace(/\{[a-z]\}/g, '0')).origin : null;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : [])],
        connectSrc: ["'self'", ...(tileOrigin ? [tileOrigin] : [])],
        workerSrc: ["'self'", 'blob:'],
        scriptSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // District intranets often serve plain HTTP; upgrade only when deployed behind HTTPS.
        upgradeInsecureRequests: deps.secureCookies ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'minsheng 民生 API', version: VERSION, description: '基层治理与民生服务 — grassroots governance and livelihood services' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  // JSON bodies keep their raw text for signature checks (sensor webhook); parsing stays
  // prototype-poisoning safe.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    req.rawBody = text;
    if (text.length === 0) {
      done(Object.assign(new Error('empty JSON body'), { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY' }), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(Object.assign(new Error('invalid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);

  // Who is asking: a bearer token (API and CLI clients) or the session cookie (the web app).
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const auth = req.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : null;
    // A cross-site form cannot set a custom header: cookie-authenticated writes must carry one.
    // Signed machine-to-machine intake carries no cookie and needs no CSRF header.
    const signed = req.url.startsWith('/api/v1/tickets/intake/sensor');
    if (UNSAFE.has(req.method) && !bearer && !signed && req.headers['x-minsheng-csrf'] !== '1') {
      return sendError(req, reply, new AppError('csrf_rejected', {
        zh: '请求缺少 x-minsheng-csrf 头（防跨站请求伪造）',
        en: 'Missing x-minsheng-csrf header (cross-site request forgery protection)',
      }));
    }
    const token = bearer ?? req.cookies[SESSION_COOKIE] ?? null;
    if (!token) return;
    const found = await accessService.actorForToken(deps, token);
    if (found) {
      req.actor = found.actor;
      req.sessionToken = token;
    }
  });

  app.get('/api/health', { schema: { tags: ['system'], summary: '健康检查 Health' } }, async () => {
    await deps.db.query('SELECT 1');
    return { status: 'ok', database: deps.db.kind, version: VERSION, district: deps.districtCode, time: deps.clock().toISOString() };
  });

  app.get('/api/v1/config', { schema: { tags: ['system'], summary: '前端配置 Public configuration' } }, async () => {
    const district = await deps.db.query<{ name: string; is_demo: boolean }>(
      `SELECT name, EXISTS (SELECT 1 FROM areas g WHERE g.district_code = $1 AND g.is_demo) AS is_demo
         FROM areas WHERE district_code = $1 AND code = $1`,
      [deps.districtCode],
    );
    return {
      districtCode: deps.districtCode,
      districtName: district[0]?.name ?? '',
      basemapTileUrl: deps.basemapTileUrl,
      demo: district[0]?.is_demo ?? false,
    };
  });

  idempotency(app, deps);
  accessRoutes(app, deps);
  areasRoutes(app, deps);
  auditRoutes(app, deps);
  calendarRoutes(app, deps);
  ticketsRoutes(app, deps);
  residentsRoutes(app, deps);
  open311Routes(app, deps);
  open311KeyRoutes(app, deps);
  publicTicketRoutes(app, deps);
  analysisRoutes(app, deps);
  hotRoutes(app, deps);
  knowledgeRoutes(app, deps);
  duplicatesRoutes(app, deps);
  benefitsRoutes(app, deps);
  projectsRoutes(app, deps);
  publicProjectsRoutes(app, deps);
  microRoutes(app, deps);
  publicMicroRoutes(app, deps);
  facilitiesRoutes(app, deps);
  publicFacilityRoutes(app, deps);

  const webDist = options.webDist === undefined ? WEB_DIST : options.webDist;
  const hasWeb = webDist !== null && existsSync(`${webDist}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, filePath) => {
        if (filePath.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }

  if (hasWeb) {
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html'));
  }

  app.setNotFoundHandler((req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs');
    if (isPage && hasWeb) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendError(req, reply, new AppError('not_found', { zh: `没有这个地址：${req.method} ${req.url.split('?')[0]}`, en: `No such endpoint: ${req.method} ${req.url.split('?')[0]}` }));
  });

  return app;
}
