import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.FOREWARN_DEV_API ?? 'http://127.0.0.1:8080';

// The Forewarn web UI. Built into web/dist, which the server serves at `/`
// with an SPA fallback. Everything (fonts, images) is bundled: no CDN at runtime.
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Keep USWDS fonts as files rather than inlining them into the CSS.
    assetsInlineLimit: 2048,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/healthz': { target: apiTarget },
      '/openapi.json': { target: apiTarget },
      '/docs': { target: apiTarget },
    },
  },
});
