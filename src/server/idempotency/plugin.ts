/**
 * Idempotency-Key for every POST (but sign-in/out): the first request claims the key; a retry
 * with the same key and the same body gets the stored answer (`idempotent-replayed: true`);
 * the same key with another body is refused; a retry while the first is still running is told
 * to wait. 5xx answers release the key so the client can retry. Keys live 24 hours.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../shared/http';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import * as repo from './repo';

const KEY_RE = /^[A-Za-z0-9_.:-]{8,100}$/;
const STALE_MS = 60_000;
const KEEP_MS = 24 * 3_600_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: repo.KeyRef | null;
  }
}

export function idempotency(app: App, deps: { db: Db; clock: Clock; districtCode: string }) {
  app.decorateRequest('idempotency', null);
  let sincePurge = 0;

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers['idempotency-key'];
    if (req.method !== 'POST' || header === undefined || req.url.startsWith('/api/v1/auth/')) return;
    if (typeof header !== 'string' || !KEY_RE.test(header)) {
      throw new AppError('validation_failed', {
        zh: 'Idempotency-Key 应为8–100个字母、数字或 _ . : -',
        en: 'Idempotency-Key must be 8–100 letters, digits or _ . : -',
      });
    }
    const now = deps.clock();
    const ref: repo.KeyRef = { districtCode: deps.districtCode, owner: req.actor?.id ?? `anonymous:${req.ip}`, key: header };
    const path = req.url.split('?')[0]!;
    const requestHash = createHash('sha256').update(`${req.method} ${path}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    if (++sincePurge >= 100) {
      sincePurge = 0;
      await repo.purgeKeys(deps.db, new Date(now.getTime() - KEEP_MS));
    }
    if (await repo.claimKey(deps.db, { ...ref, method: req.method, path, requestHash, at: now })) {
      req.idempotency = ref;
      return;
    }
    const prior = await repo.findKey(deps.db, ref);
    if (prior && prior.request_hash !== requestHash) {
      throw new AppError('conflict', {
        zh: '该 Idempotency-Key 已用于另一个不同的请求',
        en: 'This Idempotency-Key was already used for a different request',
      });
    }
    if (prior?.state === 'done') {
      return reply
        .code(prior.status_code ?? 200)
        .header('idempotent-replayed', 'true')
        .type(prior.content_type ?? 'application/json; charset=utf-8')
        .send(prior.response_body ?? '');
    }
    if (await repo.reclaimStaleKey(deps.db, { ...ref, staleBefore: new Date(now.getTime() - STALE_MS), at: now })) {
      req.idempotency = ref;
      return;
    }
    throw new AppError('conflict', {
      zh: '相同的请求正在处理中，请稍后重试',
      en: 'The same request is still being processed; retry shortly',
    });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const ref = req.idempotency;
    if (!ref) return payload;
    req.idempotency = null;
    if (reply.statusCode >= 500) await repo.releaseKey(deps.db, ref);
    else {
      const contentType = reply.getHeader('content-type');
      await repo.completeKey(deps.db, {
        ...ref,
        statusCode: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : null,
        body: typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload),
      });
    }
    return payload;
  });
}
