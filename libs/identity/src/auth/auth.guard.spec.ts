import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigModule } from '@ferry/config';
import { CryptoModule } from '@ferry/crypto';
import { HttpErrorFilter } from '@ferry/errors';
import { testConfig } from '@ferry/testing';
import { AuthGuard } from './auth.guard';
import { Authenticated, CurrentPrincipal } from './authenticated.decorator';
import type { Principal } from './principal';
import { SessionTokenService } from './session-token.service';

@Controller()
class ProbeController {
  @Get('any')
  @Authenticated()
  any(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
  @Get('admins')
  @Authenticated({ roles: ['admin'], operator: true })
  admins() {
    return { ok: true };
  }
  @Get('platforms/:id')
  @Authenticated({ roles: ['admin'], operator: true, platformParam: 'id' })
  platform() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController], providers: [SessionTokenService, AuthGuard] })
class ProbeModule {}

const config = testConfig({ SESSION_TTL_SECONDS: '60' });

describe(AuthGuard.name, () => {
  let app: INestApplication;
  let tokens: SessionTokenService;
  const session = (roles: Array<'admin' | 'instructor' | 'learner'>, platformId = 'p1') =>
    tokens.issue({ userId: 'u1', platformId, launchId: 'l1', roles }).then(({ token }) => `Bearer ${token}`);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), CryptoModule, ProbeModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    await app.init();
    tokens = app.get(SessionTokenService);
  });
  afterAll(() => app.close());

  it('refuses a request without a bearer token', async () => {
    const res = await request(app.getHttpServer()).get('/any');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('refuses a forged session token', async () => {
    const res = await request(app.getHttpServer()).get('/any').set('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x');
    expect(res.status).toBe(401);
  });

  it('puts the session principal on the request', async () => {
    const res = await request(app.getHttpServer()).get('/any').set('authorization', await session(['learner']));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'user',
      userId: 'u1',
      platformId: 'p1',
      launchId: 'l1',
      roles: ['learner'],
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('enforces roles and lets the operator through where allowed', async () => {
    const learner = await request(app.getHttpServer()).get('/admins').set('authorization', await session(['learner']));
    expect(learner.status).toBe(403);
    expect(learner.body.error.code).toBe('forbidden');
    const operator = await request(app.getHttpServer())
      .get('/admins')
      .set('authorization', `Bearer ${config.operator.token}`);
    expect(operator.status).toBe(200);
  });

  it('keeps the operator token off routes that do not allow it', async () => {
    const res = await request(app.getHttpServer()).get('/any').set('authorization', `Bearer ${config.operator.token}`);
    expect(res.status).toBe(403);
  });

  it('hides other platforms from a platform admin', async () => {
    const own = await request(app.getHttpServer()).get('/platforms/p1').set('authorization', await session(['admin']));
    expect(own.status).toBe(200);
    const other = await request(app.getHttpServer()).get('/platforms/p2').set('authorization', await session(['admin']));
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
  });
});
