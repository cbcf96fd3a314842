// Builds the browser app into web/dist, which the console server serves. In dev, /api goes to a
// console server (VIGIL_CONSOLE_URL, default http://127.0.0.1:4100).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './vite-precompress';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Small inline data: URIs would be fine under the CSP (img-src data:), but fonts and scripts must be files.
    assetsInlineLimit: 0,
    rollupOptions: {
      output: {
        // Shared pieces of a few hundred bytes (empty state, loading) would each be one more request on a
        // screen's first load: merged into a chunk that loads anyway.
        experimentalMinChunkSize: 4096,
        manualChunks(id) {
          if (id.includes('node_modules/uplot')) return 'uplot';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          if (id.includes('node_modules/@tanstack')) return 'tanstack';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.VIGIL_CONSOLE_URL ?? 'http://127.0.0.1:4100', changeOrigin: false } },
  },
});
