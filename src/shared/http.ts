/**
 * The little every module's routes.ts needs from HTTP: the typed app, and who is asking.
 * Routes identify the actor and hand it to a service; they never decide permissions.
 */
import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from './authz';
import { AppError } from './errors';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) {
    throw new AppError('unauthenticated', { zh: '请先登录', en: 'Please sign in first' });
  }
  return req.actor;
}

export type Lang = 'zh' | 'en';
export function langOf(req: FastifyRequest): Lang {
  const h = req.headers['accept-language'];
  return typeof h === 'string' && /^en\b/i.test(h.trim()) ? 'en' : 'zh';
}
