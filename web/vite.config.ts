/**
 * The explorer's build: web/ → web/dist, served by the API server at `/` (src/server/explorer.ts).
 * Everything the page loads is bundled here; nothing comes from a CDN, so the page works offline.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The page is served under a strict Content-Security-Policy (no inline script or style):
    // no asset may be inlined as a data: module, and the CSS goes to files.
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // `npm run web:dev`: the API runs beside it (npm start); its requests go there.
    proxy: { '/graphql': 'http://127.0.0.1:4000' },
  },
});
