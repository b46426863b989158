/** Unit tests (`*.test.ts`) and integration tests (`*.int.test.ts`) live beside the code they test. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/{libs,gateway,subgraphs,launcher,system,dev}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.data/'],
  testTimeout: 300_000,
  globalSetup: '<rootDir>/dev/system/jest-global-setup.ts',
  globalTeardown: '<rootDir>/dev/system/jest-global-teardown.ts',
  // A suite whose setup timed out (a busy machine) can leave its servers behind, and jest would then wait
  // for them forever, past CI's time limit. Once every result is in, exit.
  forceExit: true,
  // A fresh worker for every file (0: always replace it). Run in one process the suite holds on to what
  // each file's embedded databases and clients took, past 16 GB on Node 24, and the machine has 24.
  workerIdleMemoryLimit: 0,
};
