import { requireActor, type App } from '../../shared/http';
import { AddUserBody, ListUsersQuery, LoginBody, UserIdParams } from './contract';
import * as service from './service';

export const SESSION_COOKIE = 'ms_session';

export function accessRoutes(app: App, deps: service.AccessDeps & { secureCookies: boolean }) {
  const tags = ['access'];
  app.post('/api/v1/auth/login', { schema: { tags, summary: '登录 Sign in', body: LoginBody } }, async (req, reply) => {
    const { token, expiresAt, user } = await service.login(deps, req.body, { ip: req.ip });
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      expires: expiresAt,
    });
    // The token is also returned for API and CLI clients that send `Authorization: Bearer`.
    return { user, token, expiresAt: expiresAt.toISOString() };
  });
  app.post('/api/v1/auth/logout', { schema: { tags, summary: '退出 Sign out' } }, async (req, reply) => {
    const actor = requireActor(req);
    if (req.sessionToken) await service.logout(deps, actor, req.sessionToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
  app.get('/api/v1/auth/me', { schema: { tags, summary: '当前用户 The signed-in user' } }, async (req) => ({
    user: await service.getMe(deps, requireActor(req)),
  }));

  app.get('/api/v1/users', { schema: { tags, summary: '用户列表 Users in your scope', querystring: ListUsersQuery } }, async (req) =>
    service.listUsers(deps, requireActor(req), req.query),
  );
  app.post('/api/v1/users', { schema: { tags, summary: '新建用户 Add a user', body: AddUserBody } }, async (req, reply) => {
    const user = await service.addUser(deps, requireActor(req), req.body);
    return reply.code(201).send({ user });
  });
  for (const act of ['disable', 'enable', 'unlock'] as const) {
    app.post(`/api/v1/users/:id/${act}`, { schema: { tags, summary: `${act} a user`, params: UserIdParams } }, async (req) => ({
      user: await service.actOnUser(deps, requireActor(req), req.params.id, act),
    }));
  }
  app.get('/api/v1/users/:id/phone', { schema: { tags, summary: '查看完整手机号（留痕）Reveal a phone number (audited)', params: UserIdParams } }, async (req) =>
    service.revealUserPhone(deps, requireActor(req), req.params.id),
  );
  app.get('/api/v1/departments', { schema: { tags, summary: '部门 Departments' } }, async (req) => ({
    items: await service.listDepartments(deps, requireActor(req)),
  }));
}
