import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` (vite) puts the SPA. */
export function webAppDirectory(): string {
  return resolve(process.cwd(), 'dist/web');
}

/**
 * Serves the built SPA at /app: hashed assets for a year, index.html never cached, and every
 * other /app/* path answered with index.html so client-side routes survive a reload of the iframe.
 */
export function serveWebApp(app: NestExpressApplication, directory = webAppDirectory()): void {
  const indexFile = join(directory, 'index.html');
  app.useStaticAssets(directory, {
    prefix: '/app/',
    index: false,
    setHeaders: (response, path) => {
      response.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use('/app', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!existsSync(indexFile)) {
      response
        .status(503)
        .json({ error: { code: 'service_unavailable', message: 'The web app is not built. Run `npm run build`.' } });
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexFile);
  });
}
