import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The single-page app lives in src/web; its build goes to dist/public, served by the console server.
export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  // One bundle (React + the contracts' zod schemas) is fine for an internal console; no split yet.
  build: { outDir: '../../dist/public', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    port: 5173,
    // Development: the console server (npm start) answers /auth and /svc.
    proxy: { '/auth': 'http://localhost:4000', '/svc': 'http://localhost:4000' },
  },
});
