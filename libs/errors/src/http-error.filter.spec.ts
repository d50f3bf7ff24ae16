import { Controller, Get, Module, NotFoundException, Post, Body } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { IsString } from 'class-validator';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from './error-code';
import { FerryError } from './ferry-error';
import { HttpErrorFilter } from './http-error.filter';
import { createValidationPipe } from './validation';

class NameDto {
  @IsString()
  name: string;
}

@Controller()
class ProbeController {
  @Get('ferry')
  ferry() {
    throw new FerryError(ErrorCode.NonceReused, 'This launch was already used.', undefined, 'Launch again from Moodle.');
  }
  @Get('nest')
  nest() {
    throw new NotFoundException();
  }
  @Get('boom')
  boom() {
    throw new Error('database password is hunter2');
  }
  @Post('named')
  named(@Body() body: NameDto) {
    return body;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe(HttpErrorFilter.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });
  afterAll(() => app.close());

  it('maps a FerryError to its status and the contract shape', async () => {
    const res = await request(app.getHttpServer()).get('/ferry').set('accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'nonce_reused', message: 'This launch was already used.' } });
  });

  it('renders an HTML page with code and hint for a browser navigation', async () => {
    const res = await request(app.getHttpServer()).get('/ferry').set('accept', 'text/html,application/xhtml+xml');
    expect(res.status).toBe(400);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('nonce_reused');
    expect(res.text).toContain('Launch again from Moodle.');
  });

  it('maps Nest HTTP exceptions to codes', async () => {
    const res = await request(app.getHttpServer()).get('/nest').set('accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('hides unexpected errors behind an error id', async () => {
    const res = await request(app.getHttpServer()).get('/boom').set('accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(res.body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('answers validation_failed with per-field messages', async () => {
    const res = await request(app.getHttpServer()).post('/named').send({ name: 3, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['extra', 'name']);
  });
});
