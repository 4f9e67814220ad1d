import { requireActor, type App } from '../../shared/http';
import { CorrectionBody, IdParams, ImportBody, RevealBody, SearchPersonsQuery } from './contract';
import * as service from './service';
import { importResidents } from './import';

export function residentsRoutes(app: App, deps: service.ResidentsDeps & { districtCode: string }) {
  const tags = ['residents'];
  app.get('/api/v1/residents/persons', { schema: { tags, summary: '人口检索（脱敏）Search the registry (masked)', querystring: SearchPersonsQuery } }, async (req) =>
    service.searchPersons(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/residents/persons/:id', { schema: { tags, summary: '人员详情（脱敏，留痕）A person (masked, audited)', params: IdParams } }, async (req) =>
    service.getPerson(deps, requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/residents/persons/:id/reveal',
    { schema: { tags, summary: '查看完整身份证号/手机号（须说明用途，留痕）Reveal the full ID number / phone (purpose required, audited)', params: IdParams, body: RevealBody } },
    async (req) => service.revealPerson(deps, requireActor(req), req.params.id, req.body),
  );
  app.get('/api/v1/residents/households/:id', { schema: { tags, summary: '户详情 A household and its members', params: IdParams } }, async (req) =>
    service.getHousehold(deps, requireActor(req), req.params.id),
  );
  app.post('/api/v1/residents/corrections', { schema: { tags, summary: '登记更正申请 Ask for a registry correction', body: CorrectionBody } }, async (req, reply) =>
    reply.code(201).send({ correction: await service.recordCorrection(deps, requireActor(req), req.body) }),
  );
  app.post(
    '/api/v1/residents/imports',
    { bodyLimit: 30 * 1024 * 1024, schema: { tags, summary: '导入人口数据（CSV/Excel，逐行报告）Import persons (CSV/Excel) with a per-row report', body: ImportBody } },
    async (req) => {
      const b = req.body;
      return importResidents(deps, requireActor(req), {
        fileName: b.fileName,
        content: Buffer.from(b.contentBase64, 'base64'),
        ...(b.effectiveOn ? { effectiveOn: b.effectiveOn } : {}),
        dryRun: b.dryRun,
        strict: b.strict,
      });
    },
  );
}
