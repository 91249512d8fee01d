// Builds the SPA into dist/web, which the Fastify server serves (server/http/web-ui.ts).
// In development Vite serves the UI on 5173 and forwards API and health calls to the server on 3000,
// so the browser sees one origin and the session cookie and CSRF checks behave as in production.
import { fileURLToPath } from 'node:url'

import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Object form, not the string shorthand: the shorthand sets changeOrigin, which rewrites Host to the API's
// address, and the server's same-site check (Origin must match Host) would then refuse every POST.
const apiServer = { target: 'http://127.0.0.1:3000', changeOrigin: false }

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // dist/web/.vite/manifest.json: scripts/bundle-size.mjs reads which chunks the first page loads.
    manifest: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
      '/readyz': apiServer,
    },
  },
})
