// Generates every service's Prisma client offline. `prisma generate` never runs the schema engine, but the
// CLI insists on finding one; pointing it at any existing file keeps it from trying to download the binary.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const schemas = ['doctors', 'appointments', 'patients', 'pii_vault', 'audit'];
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || __filename,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
for (const name of schemas) {
  execFileSync(
    process.execPath,
    [
      require.resolve('prisma/build/index.js'),
      'generate',
      '--schema',
      path.join(root, 'prisma', name, 'schema.prisma'),
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'], cwd: root },
  );
}
console.log(`prisma clients generated for ${schemas.join(', ')}`);
