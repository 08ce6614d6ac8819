import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The admin console: built into console/dist and served by the Tessera server at `/`. `npm run dev:console`
 * serves it with hot reload and forwards API calls to a server on TESSERA_URL (default 127.0.0.1:8080).
 */
const server = process.env.TESSERA_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: process.env.TESSERA_CONSOLE_DIST ?? 'dist',
    emptyOutDir: true,
    // One hashed bundle per library group keeps the app's own chunk small and its cache long-lived.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'mantine', test: /node_modules[\\/]@mantine/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': server, '/openapi.json': server } },
});
