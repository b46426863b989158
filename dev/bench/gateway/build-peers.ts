import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { externalPackages } from '../../../launcher/src/build';

const root = path.resolve(__dirname, '..', '..', '..');

/**
 * The peer gateways run as plain JavaScript, without tsx: tsx turns Node's source maps on, which would
 * charge them for source-mapping every stack they build. Our own sources (@clinic/* and this folder) are
 * compiled in, as for the image; every npm package stays a require, resolved from the repository's
 * node_modules or, for the gateways themselves, the peers' own (see requirePeer).
 */
export async function buildPeerGateways(): Promise<{
  files: Record<'stock' | 'hive', string>;
  dispose(): void;
}> {
  mkdirSync(path.join(root, '.data'), { recursive: true });
  // Inside the repository, so the bundles' requires resolve in its node_modules.
  const outDir = mkdtempSync(path.join(root, '.data', 'bench-gateways-'));
  const files = { stock: path.join(outDir, 'stock.js'), hive: path.join(outDir, 'hive.js') };
  await build({
    entryPoints: {
      stock: path.join(__dirname, 'stock-gateway.ts'),
      hive: path.join(__dirname, 'hive-gateway.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    plugins: [externalPackages(outDir)],
  });
  return { files, dispose: () => rmSync(outDir, { recursive: true, force: true }) };
}
