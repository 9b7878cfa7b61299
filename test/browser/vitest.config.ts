// The browser tests: the root config's resolution and database template, a longer timeout
// (starting chromium and rendering GraphiQL takes seconds), and only test/browser/.
import { defineConfig } from 'vitest/config';
import root from '../../vitest.config.ts';

export default defineConfig({
  ...root,
  test: {
    ...root.test,
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
  },
});
