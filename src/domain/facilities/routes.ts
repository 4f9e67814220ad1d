/** HTTP for 服务圈: thin — identify the actor, call the service. */
import { requireActor, type App } from '../../shared/http';
import {
  CoveragePointsQuery,
  CoverageQuery,
  FacilityBody,
  FacilityIdParams,
  ImportBody,
  LayerQuery,
  ListFacilitiesQuery,
  NetworkImportBody,
  PopulationImportBody,
  QrFileParams,
  SitingBody,
} from './contract';
import * as service from './service';
import { coverageWorkbook } from './export';

export function facilitiesRoutes(app: App, deps: service.FacilitiesDeps & { districtCode: string }) {
  const tags = ['facilities'];
  app.get('/api/v1/facilities/types', { schema: { tags, summary: '设施类型与默认服务标准 Facility types and their default standards' } }, async (req) =>
    service.listFacilityTypes(deps, requireActor(req)),
  );
  app.get('/api/v1/facilities', { schema: { tags, summary: '设施列表 Facilities in your scope', querystring: ListFacilitiesQuery } }, async (req) =>
    service.listFacilities(deps, requireActor(req), req.query),
  );
  app.post('/api/v1/facilities', { schema: { tags, summary: '登记设施 Register a facility (admin)', body: FacilityBody } }, async (req, reply) =>
    reply.code(201).send(await service.createFacility(deps, requireActor(req), req.body)),
  );
  app.post('/api/v1/facilities/import', { schema: { tags, summary: '导入设施（CSV/Excel/GeoJSON，逐行校验）Import facilities with a per-row report', body: ImportBody } }, async (req) =>
    service.importFacilities(deps, requireActor(req), req.body),
  );
  app.get('/api/v1/facilities/layer.geojson', { schema: { tags, summary: '设施图层 GeoJSON Facilities as a GeoJSON layer', querystring: LayerQuery } }, async (req, reply) =>
    reply.type('application/geo+json').send(await service.facilityLayer(deps, requireActor(req), req.query.type)),
  );
  app.get('/api/v1/facilities/population', { schema: { tags, summary: '人口数据概况 Population sources in scope' } }, async (req) =>
    service.populationSummary(deps, requireActor(req)),
  );
  app.post('/api/v1/facilities/population/import', { schema: { tags, summary: '导入人口点或网格人口 Import population points or per-grid counts', body: PopulationImportBody } }, async (req) =>
    service.importPopulation(deps, requireActor(req), req.body),
  );
  app.get('/api/v1/facilities/networks', { schema: { tags, summary: '已导入的路网 Imported road networks' } }, async (req) =>
    service.listNetworks(deps, requireActor(req)),
  );
  app.post('/api/v1/facilities/networks', { schema: { tags, summary: '导入路网（GeoJSON 线）Import a road or footpath network', body: NetworkImportBody } }, async (req, reply) =>
    reply.code(201).send(await service.importNetwork(deps, requireActor(req), req.body)),
  );
  app.get('/api/v1/facilities/:id', { schema: { tags, summary: '设施详情 A facility', params: FacilityIdParams } }, async (req) =>
    service.getFacility(deps, requireActor(req), req.params.id),
  );

  app.get('/api/v1/coverage', { schema: { tags, summary: '服务圈覆盖率 Coverage of a facility type under a standard', querystring: CoverageQuery } }, async (req) =>
    service.coverage(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/coverage.xlsx', { schema: { tags, summary: '覆盖率表导出 Excel Coverage tables as Excel', querystring: CoverageQuery } }, async (req, reply) => {
    const report = await service.coverage(deps, requireActor(req), req.query);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="minsheng-coverage-${report.type.code}-${report.level}.xlsx"`)
      .send(await coverageWorkbook(report));
  });
  app.get('/api/v1/coverage/points', { schema: { tags, summary: '人口点与设施（供浏览器内推演）Points and facilities for the in-browser what-if', querystring: CoveragePointsQuery } }, async (req) =>
    service.coveragePoints(deps, requireActor(req), req.query),
  );
  app.post('/api/v1/coverage/siting', { schema: { tags, summary: '选址建议（贪心最大覆盖）Propose new sites (greedy maximum coverage)', body: SitingBody } }, async (req) =>
    service.siting(deps, requireActor(req), req.body),
  );
}

/** 码上办 for a facility: public, printed on a sticker at the facility. */
export function publicFacilityRoutes(app: App, deps: Pick<service.FacilitiesDeps, 'db' | 'publicBaseUrl'> & { districtCode: string }) {
  app.get(
    '/api/v1/public/facility-qr/:file',
    { schema: { tags: ['public'], summary: '设施码上办二维码（SVG/PNG）QR code of a facility', params: QrFileParams } },
    async (req, reply) => {
      const [id, ext] = req.params.file.split('.') as [string, 'svg' | 'png'];
      const out = await service.facilityQrCode(deps, deps.districtCode, id, ext);
      return reply.type(ext === 'svg' ? 'image/svg+xml' : 'image/png').header('cache-control', 'public, max-age=3600').send(out);
    },
  );
}
