import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web app: built into web/dist and served by the API server; `npx vite web` proxies the API in development. */
export default defineConfig({
  root,
  plugins: [react()],
  // ECharts (~1.1 MB) is its own chunk, loaded only by the dashboard and the portal.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:3128', '/docs': 'http://127.0.0.1:3128' } },
});
