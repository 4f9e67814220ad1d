import { requireActor, type App } from '../../shared/http';
import { AddStaffBody, AreaCodeParams, GeoJsonQuery, ListAreasQuery, LocateQuery, StaffParams } from './contract';
import * as service from './service';

export function areasRoutes(app: App, deps: service.AreasDeps & { districtCode: string }) {
  const tags = ['areas'];
  app.get(
    '/api/v1/areas/locate',
    { schema: { tags, summary: '坐标定位到网格 Point → grid cell, community, subdistrict (public)', querystring: LocateQuery } },
    async (req) => service.locatePoint(deps, deps.districtCode, req.query),
  );
  app.get('/api/v1/areas', { schema: { tags, summary: '下级区域 Children of an area', querystring: ListAreasQuery } }, async (req) => ({
    items: await service.listAreas(deps, requireActor(req), req.query.parent),
  }));
  app.get('/api/v1/areas/geojson', { schema: { tags, summary: '边界 GeoJSON of one level', querystring: GeoJsonQuery } }, async (req) =>
    service.areasGeoJson(deps, requireActor(req), req.query.level),
  );
  app.get('/api/v1/areas/stats', { schema: { tags, summary: '各街道社区与网格数 Counts per subdistrict' } }, async (req) => ({
    items: await service.subdistrictStats(deps, requireActor(req)),
  }));
  app.get('/api/v1/areas/staff-kinds', { schema: { tags, summary: '网格服务人员类型 Staff kinds' } }, async (req) => ({
    items: await service.listStaffKinds(deps, requireActor(req)),
  }));
  app.get('/api/v1/areas/:code', { schema: { tags, summary: '区域详情 Area and its staff', params: AreaCodeParams } }, async (req) =>
    service.getAreaDetail(deps, requireActor(req), req.params.code),
  );
  app.post(
    '/api/v1/areas/:code/staff',
    { schema: { tags, summary: '配备网格人员 Assign staff to an area', params: AreaCodeParams, body: AddStaffBody } },
    async (req, reply) => {
      const staff = await service.addGridStaff(deps, requireActor(req), req.params.code, req.body);
      return reply.code(201).send({ staff });
    },
  );
  app.delete(
    '/api/v1/areas/:code/staff/:id',
    { schema: { tags, summary: '移除网格人员 Remove a staff assignment', params: StaffParams } },
    async (req, reply) => {
      await service.removeGridStaff(deps, requireActor(req), req.params.code, req.params.id);
      return reply.code(204).send();
    },
  );
}
