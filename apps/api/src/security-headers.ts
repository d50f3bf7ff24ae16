import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { FerryConfig } from '@ferry/config';
import type { PlatformsService } from '@ferry/platforms';

/**
 * Ferry lives inside Moodle's iframe, so it must be framable by the registered platforms and
 * nobody else: CSP `frame-ancestors` lists their origins, and no X-Frame-Options is sent (DENY or
 * SAMEORIGIN would break every launch).
 */
export function applySecurityHeaders(app: INestApplication, config: FerryConfig, platforms: PlatformsService): void {
  app.use(async (_request: Request, response: Response, next: NextFunction) => {
    try {
      response.locals.frameAncestors = (await platforms.frameAncestorOrigins()).join(' ');
      next();
    } catch (error) {
      next(error);
    }
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'", 'http:', 'https:'],
          frameAncestors: ["'self'", (_request, response) => (response as Response).locals.frameAncestors || "'self'"],
        },
      },
      xFrameOptions: false,
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: { policy: 'same-site' },
      strictTransportSecurity: config.publicUrl.startsWith('https://'),
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    }),
  );
}
