import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run in Vite's server environment: there `@tessera/sdk` resolves to its TypeScript source (no
  // build step needed); the published package resolves to dist/ (packages/sdk/package.json `exports`).
  ssr: { resolve: { conditions: ['tessera-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/console-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
});
