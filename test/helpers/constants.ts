export const TEMPLATE_DIR = '.tmp/test-templates';
export const TEST_DEMO_PASSWORD = 'Test-demo-pass-2026';
export const TEST_DISTRICT = '370202';
export const TEST_CONFIG = {
  districtCode: TEST_DISTRICT,
  sessionTtlMs: 12 * 3_600_000,
  secureCookies: false,
  basemapTileUrl: null,
  // The residents registry's personal-data key for tests (ADR 0020); never used outside tests.
  piiKey: '7e57000000000000000000000000000000000000000000000000000000007e57',
};
