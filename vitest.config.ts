import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import tsconfig from './tsconfig.base.json';

// The same `@ferry/*` aliases as tsconfig.base.json, so tests import libs the way apps do.
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, resolve(__dirname, target)]),
);

// SWC (not esbuild) compiles the server code: Nest's dependency injection needs emitDecoratorMetadata.
const server = {
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
};

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        ...server,
        test: {
          name: 'unit',
          include: ['apps/{api,worker}/src/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        ...server,
        test: {
          name: 'integration',
          include: ['apps/{api,worker}/src/**/*.int-spec.ts', 'libs/*/src/**/*.int-spec.ts'],
          environment: 'node',
          globalSetup: ['libs/testing/src/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        ...server,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['libs/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      './apps/web/vitest.config.ts',
    ],
  },
});
