import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { App } from '../../shared/http';
import { TICKET_TYPES } from './core/lifecycle';
import { Location } from './contract';
import * as pub from './public';

const phone = z.string().trim().regex(/^1[0-9]{10}$/, { message: 'phone: an 11-digit mobile number' });
const NumberParams = z.object({ number: z.string().regex(/^\d{8}-\d{6}$/) }).strict();
const CodeQuery = z.object({ code: z.string().regex(/^\d{6}$/) }).strict();
const ReportBody = z
  .object({
    type: z.enum(TICKET_TYPES).default('help'),
    title: z.string().trim().min(1).max(100),
    content: z.string().trim().min(1).max(5000),
    categoryCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).optional(),
    location: Location,
    phone,
    code: z.string().regex(/^\d{6}$/),
    name: z.string().trim().min(1).max(50).optional(),
    anonymous: z.boolean().default(false),
    via: z.enum(['web', 'qr']).default('web'),
  })
  .strict();
const SensorBody = z
  .object({
    deviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    eventId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    kind: z.string().trim().min(1).max(50),
    description: z.string().trim().min(1).max(2000),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
    categoryCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).optional(),
    urgency: z.enum(['normal', 'urgent', 'emergency']).default('normal'),
  })
  .strict();

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/** Residents' and devices' endpoints: no session; phone codes, query codes and signatures instead. */
export function publicTicketRoutes(app: App, deps: pub.PublicDeps) {
  const tags = ['public'];
  app.post('/api/v1/public/verification-codes', { schema: { tags, summary: '发送手机验证码 Send a phone confirmation code', body: z.object({ phone }).strict() } }, async (req, reply) =>
    reply.code(202).send(await pub.sendVerificationCode(deps, req.body.phone)),
  );
  app.post('/api/v1/public/tickets', { schema: { tags, summary: '居民反映诉求 A resident reports (web, QR)', body: ReportBody } }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const r = await pub.reportAsResident(deps, req.body, typeof key === 'string' ? key : null);
    return reply.code(r.replayed ? 200 : 201).send(r);
  });
  app.get('/api/v1/public/tickets/:number', { schema: { tags, summary: '查询办理进度 Follow a ticket', params: NumberParams, querystring: CodeQuery } }, async (req) =>
    pub.trackTicket(deps, req.params.number, req.query.code),
  );
  app.post(
    '/api/v1/public/tickets/:number/rating',
    { schema: { tags, summary: '评价答复 Rate the answer', params: NumberParams, body: z.object({ code: z.string().regex(/^\d{6}$/), rating: z.enum(['satisfied', 'basically_satisfied', 'dissatisfied']) }).strict() } },
    async (req) => pub.rateAsResident(deps, req.params.number, req.body.code, req.body.rating),
  );
  app.get(
    '/api/v1/public/qr/:file',
    { schema: { tags, summary: '码上办二维码（SVG/PNG）QR code of an area', params: z.object({ file: z.string().regex(/^[0-9]{6,18}\.(svg|png)$/) }).strict() } },
    async (req, reply) => {
      const [code, ext] = req.params.file.split('.') as [string, 'svg' | 'png'];
      const out = await pub.areaQrCode(deps, code, ext);
      return reply.type(ext === 'svg' ? 'image/svg+xml' : 'image/png').header('cache-control', 'public, max-age=86400').send(out);
    },
  );
  app.post('/api/v1/tickets/intake/sensor', { schema: { tags, summary: '视联感知事件（HMAC 签名）Sensor/video event (HMAC-signed)', body: SensorBody } }, async (req, reply) => {
    if (req.rawBody === undefined) throw new AppError('unsupported_media_type', { zh: '请使用 application/json', en: 'Send application/json' });
    pub.verifySensorSignature(deps.sensorSecret, req.rawBody, req.headers['x-minsheng-signature']);
    const r = await pub.intakeFromSensor(deps, req.body);
    return reply.code(r.replayed ? 200 : 201).send(r);
  });
}
