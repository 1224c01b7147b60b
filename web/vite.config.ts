import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `npm run build:web` writes dist/web, which the Fastify server serves at `/`;
// `npm run dev:web` serves web/ with hot reload and sends /api (and /u) to `npm start` on port 3000.
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  // The server's contract (src/contract): the one place the web app may import server code from.
  resolve: { alias: { '@contract': here('../src/contract') } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // The analytics pages (charts) load lazily, only under /admin/analytics: ~500 kB raw, 136 kB gzipped.
    chunkSizeWarningLimit: 520,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000' },
      '/u/': { target: 'http://127.0.0.1:3000' },
    },
  },
});
