// The launcher's face for development tools and whole-system tests; production runs src/serve.ts.
export { loadConfig } from './config/config';
export { migrateAll, openDatabases } from './databases';
export { serve } from './serve';
export { buildServe, bundleInputs } from './build';
export { startSystem, type RunningSystem, type SystemOptions } from './system';
export { DEFAULT_SEED, isSeeded, seed, type SeedOptions } from './seed/seed';
