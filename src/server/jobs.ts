/**
 * Scheduled work inside the server process: the escalation of overdue tickets and the purge of
 * expired sessions. Every job is idempotent, so several servers (or a rerun) change nothing twice.
 * `minsheng tickets escalate` runs the same job from the CLI (cron, or by hand).
 */
import type { FastifyBaseLogger } from 'fastify';
import { accessService } from '../domain/access';
import { ticketStatsService, ticketsService } from '../domain/tickets';
import { hotService, knowledgeService, modelsService } from '../domain/analysis';
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
        // 知识库 expiry flags and 主动治理 tasks from repeat complaints, once a day too.
        const insights = { kind: 'system' as const, districtCode: deps.districtCode, reason: 'analysis-daily' };
        const expired = await knowledgeService.flagExpiredKnowledge(deps, insights);
        const tasks = await hotService.generateProactiveTasks(deps, insights);
        if (expired.flagged || tasks.created) log.info({ knowledgeFlagged: expired.flagged, proactiveTasks: tasks.created }, 'analysis daily jobs');
        // Dispatcher corrections kept as labels; the classifier retrained when due (settings: every N days, M new labels).
        const retrain = await modelsService.retrainIfDue(deps, deps.districtCode);
        if (retrain.trained) log.info({ version: retrain.version }, 'classifier retrained');
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
