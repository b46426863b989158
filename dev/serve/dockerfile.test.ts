import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE24_VERSION } from '../node24/node24';
import { bundleInputs } from '@clinic/launcher';

/**
 * No Docker engine here, so the image cannot be built in a test; these read the Dockerfile against how
 * the services start (dev/serve) and against the repository, which is what makes it right or wrong.
 */
const root = path.resolve(__dirname, '..', '..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const workspaces = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] }
).workspaces;

/** Instructions per stage, continuation lines joined. */
function stages(): { name: string; lines: string[] }[] {
  const result: { name: string; lines: string[] }[] = [];
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of lines) {
    const from = /^FROM \S+(?: AS (\w+))?/i.exec(line);
    if (from) result.push({ name: from[1] ?? 'final', lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/** A .dockerignore pattern as a regular expression over repository paths (the forms used there). */
function ignored(file: string): boolean {
  const patterns = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return patterns.some((pattern) => {
    const source = pattern
      .split('**/')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('(?:.*/)?');
    return new RegExp(`^${source}(?:/.*)?$`).test(file);
  });
}

describe('Dockerfile', () => {
  it('builds and runs on the Node 24 minor the suite also runs on (dev/node24)', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    const minor = NODE24_VERSION.split('.').slice(0, 2).join('.');
    expect(image).toBe(`node:${minor}-bookworm-slim`);
    // Every stage starts from it.
    expect(dockerfile.match(/^FROM .*/gm)).toEqual([
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS deps',
      'FROM ${NODE_IMAGE}',
    ]);
  });

  it('installs from every workspace manifest in both install stages', () => {
    for (const name of ['build', 'deps']) {
      const stage = stages().find((candidate) => candidate.name === name);
      for (const workspace of workspaces)
        expect({
          stage: name,
          copied: stage?.lines.includes(`COPY ${workspace}/package.json ${workspace}/`),
        }).toEqual({
          stage: name,
          copied: true,
        });
    }
    expect(
      stages()
        .find((stage) => stage.name === 'deps')
        ?.lines.join('\n'),
    ).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('bundles the entrypoint the final stage runs, as an unprivileged user', () => {
    const build = stages().find((stage) => stage.name === 'build');
    expect(build?.lines).toContain('RUN npx tsx launcher/src/build.ts dist');
    const final = stages().at(-1);
    expect(final?.name).toBe('final');
    expect(final?.lines).toContain('ENTRYPOINT ["node", "--enable-source-maps", "dist/serve.js"]');
    expect(final?.lines).toContain('USER 10001:10001');
    const env = final?.lines.find((line) => line.startsWith('ENV ')) ?? '';
    for (const setting of [
      'SCHEMA_DIR=/app/schema',
      'MIGRATIONS_DIR=/app/prisma',
      'LISTEN_HOST=0.0.0.0',
      'SERVICE=${SERVICE}',
    ])
      expect(env).toContain(setting);
    expect(final?.lines).toEqual(
      expect.arrayContaining(['COPY schema /app/schema', 'COPY prisma /app/prisma']),
    );
  });

  it('sends the image build every source file the bundle is made of', async () => {
    const inputs = (await bundleInputs()).filter((file) => !file.startsWith('node_modules/'));
    expect(inputs).toContain('launcher/src/serve.ts');
    // The Prisma clients are not sent: `npm ci` generates them in the build stage (postinstall).
    const generated = (file: string) => /\/generated\/prisma[^/]*\//.test(file);
    expect(inputs.filter((file) => ignored(file) && !generated(file))).toEqual([]);
    const build = stages().find((stage) => stage.name === 'build')?.lines ?? [];
    const install = build.indexOf('RUN npm ci --no-audit --no-fund');
    // The generator (prisma/generate-clients.js) comes with the schemas, before the install runs it.
    expect(build.indexOf('COPY prisma prisma')).toBeGreaterThanOrEqual(0);
    expect(build.indexOf('COPY prisma prisma')).toBeLessThan(install);
    expect(install).toBeGreaterThan(0);
    expect(build.filter((line) => /\bdev\//.test(line))).toEqual([]);
    expect(ignored('subgraphs/audit/src/trail/record-event.int.test.ts')).toBe(true);
    expect(ignored('node_modules/kafkajs/index.js')).toBe(true);
  });
});
