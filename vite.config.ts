import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));

// The staff web app. `npm run build` writes web/dist, which the API server serves (with index.html
// for every client-side route). `npm run dev:web` runs Vite's dev server with /api proxied to a
// Ratepayer server on port 3000.
export default defineConfig(({ command, mode }) => ({
  root: webRoot,
  // A build is a production build even when NODE_ENV says otherwise (Vitest sets it to "test",
  // which would otherwise bundle React's development build into web/dist).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') } : {},
  // Vite 8 transforms TSX with Oxc; the automatic runtime needs no `import React`.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react', development: command === 'serve' } },
  build: {
    outDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
}));
