import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { requireActor, type App } from '../../shared/http';
import { DeadlineQuery, ListOverridesQuery, SetOverrideBody } from './contract';
import * as service from './service';

export function calendarRoutes(app: App, deps: { db: Db; clock: Clock; districtCode: string }) {
  const tags = ['calendar'];
  app.get(
    '/api/v1/calendar/deadline',
    {
      schema: {
        tags,
        summary: '办理时限计算 Deadline in working days or working hours (public)',
        description:
          '工作日：自受理次日起算，第 n 个工作日下班（17:30）为止；工作小时：只计工作时段。' +
          ' Working days count from the day after receipt and end at the close of the n-th working day;' +
          ' working hours count only working periods. Times are Asia/Shanghai (UTC+8).',
        querystring: DeadlineQuery,
      },
    },
    async (req) => service.computeDeadline(deps, deps.districtCode, req.query),
  );
  app.get(
    '/api/v1/calendar/overrides',
    { schema: { tags, summary: '本区节假日调整 The district’s holiday and workday overrides', querystring: ListOverridesQuery } },
    async (req) => ({ items: await service.listOverrides(deps, requireActor(req), req.query) }),
  );
  app.post(
    '/api/v1/calendar/overrides',
    { schema: { tags, summary: '设置某日为工作日或节假日 Mark a day a workday or a holiday', body: SetOverrideBody } },
    async (req, reply) => {
      const override = await service.setOverride(deps, requireActor(req), req.body);
      return reply.code(201).send({ override });
    },
  );
}
