/**
 * Scheduled work inside the server process: the escalation of overdue tickets and the purge of
 * expired sessions. Every job is idempotent, so several servers (or a rerun) change nothing twice.
 * `minsheng tickets escalate` runs the same job from the CLI (cron, or by hand).
 */
import type { FastifyBaseLogger } from 'fastify';
import { accessService } from '../domain/access';
import { ticketsService } from '../domain/tickets';
import type { Deps } from './compose';

export interface JobHandle {
  stop(): void;
}

export function startJobs(deps: Deps, log: FastifyBaseLogger, everyMs = 10 * 60_000): JobHandle {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { urged } = await ticketsService.escalateOverdue(deps, deps.districtCode);
      const purged = await accessService.purgeExpiredSessions(deps);
      if (urged || purged) log.info({ urged, purgedSessions: purged }, 'scheduled jobs');
    } catch (e) {
      log.error({ err: e }, 'scheduled job failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
