/** HTTP routes of 热点问题 and 主动治理. Thin: identify the actor, call the service. */
import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import * as hot from './hot';

const IdParams = z.object({ id: z.uuid() }).strict();

export function hotRoutes(app: App, deps: hot.HotDeps) {
  const tags = ['analysis'];
  app.get('/api/v1/analysis/hot-issues', { schema: { tags, summary: '热点问题 Hot issues of the last days in your scope', querystring: hot.HotQuery } }, async (req) =>
    hot.hotIssues(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/analysis/proactive-tasks', { schema: { tags, summary: '主动治理任务 Proactive tasks in your area', querystring: hot.TaskListQuery } }, async (req) =>
    hot.listProactiveTasks(deps, requireActor(req), req.query),
  );
  app.post('/api/v1/analysis/proactive-tasks/generate', { schema: { tags, summary: '由重复诉求生成主动治理任务 Turn repeat complaints into proactive tasks' } }, async (req) =>
    hot.generateProactiveTasks(deps, requireActor(req)),
  );
  app.post('/api/v1/analysis/proactive-tasks/:id/status', { schema: { tags, summary: '更新主动治理任务 Take up, finish or dismiss a task', params: IdParams, body: hot.TaskUpdateBody } }, async (req) =>
    hot.updateProactiveTask(deps, requireActor(req), req.params.id, req.body),
  );
}
