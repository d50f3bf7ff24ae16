import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The api serves the build at /app/ (apps/api/src/serve-web-app.ts); in dev, Vite serves it and
// forwards the api's paths so the launch redirect and the session calls reach Nest.
export default defineConfig({
  root: __dirname,
  base: '/app/',
  plugins: [react()],
  resolve: { alias: { '@': resolve(__dirname, 'src') } },
  build: {
    outDir: resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/lti': 'http://localhost:3000',
    },
  },
});
