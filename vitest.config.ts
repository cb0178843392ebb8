import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/promise-with-resolvers.ts"],
    // Two test files at a time: most of a test's time is spent in the processes it starts (the CLI,
    // trainers, servers), so two overlap well on CI's 2 cores (about 6.7 min instead of 10).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
