// The Playwright Test side of the suite benchmark (scripts/bench, block
// "suite"): the same Chromium binary, flags, viewport and fixture server as
// every other peer run (../shared/bench/lib/common.mjs), headless, one
// browser per worker and a fresh context per test (Playwright's defaults),
// no retries, no traces, screenshots or videos. Workers: --workers N.
//   BENCH_BASE_URL  the fixture server (required)
//   BENCH_CHROME    the browser binary (default /usr/lib/chromium/chromium)
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './pw',
  testMatch: '*.spec.mjs',
  fullyParallel: true,
  retries: 0,
  reporter: 'dot',
  timeout: 30000,
  outputDir: process.env.PW_OUTPUT_DIR || 'test-results',
  use: {
    baseURL: process.env.BENCH_BASE_URL,
    headless: true,
    viewport: { width: 1280, height: 720 },
    trace: 'off',
    screenshot: 'off',
    video: 'off',
    launchOptions: {
      executablePath: process.env.BENCH_CHROME || '/usr/lib/chromium/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
});
