import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module) entries; Node resolves the CJS one for
  // yoga and its plugins, so the tests must too, or GraphQLError exists twice.
  resolve: { alias: { graphql: createRequire(import.meta.url).resolve('graphql') } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'plugins/**/*.test.ts'],
    // test/redis/ needs a Redis server: it is the scale-out mode's own suite, run when REDIS_URL is set.
    exclude: process.env.REDIS_URL ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/redis/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite costs ~400 MB per database; two forks keep memory and the two cores in balance.
    pool: 'forks',
    maxWorkers: 2,
  },
});
