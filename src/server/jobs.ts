/**
 * Scheduled work inside the server process: the escalation of overdue tickets and the purge of
 * expired sessions. Every job is idempotent, so several servers (or a rerun) change nothing twice.
 * `minsheng tickets escalate` runs the same job from the CLI (cron, or by hand).
 */
import type { FastifyBaseLogger } from 'fastify';
import { accessService } from '../domain/access';
import { ticketStatsService, ticketsService } from '../domain/tickets';
import { microService } from '../domain/micro';
import type { Deps } from './compose';

export interface JobHandle {
  stop(): void;
}

export function startJobs(deps: Deps, log: FastifyBaseLogger, everyMs = 10 * 60_000): JobHandle {
  let running = false;
  let lastRefreshDay = '';
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { urged } = await ticketsService.escalateOverdue(deps, deps.districtCode);
      const purged = await accessService.purgeExpiredSessions(deps);
      // The 三率 daily summary, brought up to yesterday once a (Shanghai) day.
      const day = new Date(deps.clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      if (day !== lastRefreshDay) {
        await ticketStatsService.refreshTicketStats(deps, { kind: 'system', districtCode: deps.districtCode, reason: 'stats-refresh' });
        lastRefreshDay = day;
      }
      // 民生微实事 notices whose SMS failed are tried again (at most 5 attempts each).
      const notices = await microService.deliverNotifications(deps);
      if (notices.sent || notices.failed) log.info({ microNotices: notices }, 'micro notices');
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
