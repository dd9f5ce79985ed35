/**
 * The web UI's build: `npm run build` writes `dist/` (hashed assets under `dist/assets/`), which
 * `baton serve` serves. `npm run dev -w @baton/web` serves it with hot reload and forwards `/api`
 * to a `baton serve` on `BATON_URL` (default http://127.0.0.1:7080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.BATON_URL ?? 'http://127.0.0.1:7080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': { target: api, changeOrigin: false } } },
});
