import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { nestLogLevels, type FerryConfig } from '@ferry/config';
import { migrateDatabase } from '@ferry/database';
import { createValidationPipe, HttpErrorFilter } from '@ferry/errors';
import { PlatformsService } from '@ferry/platforms';
import { AppModule } from './app.module';
import { applySecurityHeaders } from './security-headers';
import { serveWebApp } from './serve-web-app';

export interface ApiAppOptions {
  /** Apply pending migrations first (under an advisory lock). Tests that migrate once may skip it. */
  migrate?: boolean;
  webAppDirectory?: string;
}

/** Builds the api exactly as production runs it; main.ts, the e2e tests and the benchmarks all use this. */
export async function createApiApp(config: FerryConfig, options: ApiAppOptions = {}): Promise<NestExpressApplication> {
  if (options.migrate ?? true) {
    const applied = await migrateDatabase(config.database.url);
    if (applied.length > 0) new Logger('Migrations').log(`Applied ${applied.join(', ')}`);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: nestLogLevels(config.logLevel),
  });
  // Behind a reverse proxy (docker compose, Kubernetes ingress) the client's scheme and address
  // arrive in X-Forwarded-* headers.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  applySecurityHeaders(app, config, app.get(PlatformsService));
  app.use(cookieParser());
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(createValidationPipe());
  serveWebApp(app, options.webAppDirectory);
  app.enableShutdownHooks();
  return app;
}
