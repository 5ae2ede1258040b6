// Builds the UI into dist/, which `atio serve` serves at / (see docs/ui.md).
// Nothing is inlined (no data: URLs, no inline scripts) so that the strict
// Content-Security-Policy atio sends holds. `npm run dev` proxies the API to
// a local atio (ATIO_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const atio = process.env.ATIO_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': atio, '/healthz': atio },
  },
});
