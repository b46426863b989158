import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(__dirname, '..', '..');

/**
 * Workspace packages (@clinic/*, TypeScript sources) and the generated Prisma clients are compiled into
 * the bundle; every other package stays a require from node_modules, which the image installs with
 * `npm ci --omit=dev` (bundling those too would break packages that read their own files at run time).
 * A package npm nested under a workspace (libs/platform/node_modules/uuid, a different major than the
 * hoisted one) is required by its path relative to the bundle: `npm ci` lays every package where the
 * lockfile says, with or without dev dependencies, so that path is the same in the image.
 */
export function externalPackages(outDir: string): Plugin {
  return {
    name: 'external-packages',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@clinic/') || path.isAbsolute(args.path)) return undefined;
        if (args.path.startsWith('node:') || isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = require.resolve(args.path, { paths: [args.resolveDir] });
        const hoisted = path.join(root, 'node_modules') + path.sep;
        if (resolved.startsWith(hoisted) || !resolved.includes(`${path.sep}node_modules${path.sep}`))
          return { path: args.path, external: true };
        const relative = path.relative(outDir, resolved).split(path.sep).join('/');
        return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
      });
    },
  };
}

/** Compiles launcher/src/serve.ts into one CommonJS file, `<outDir>/serve.js`, the image's entrypoint. */
export async function buildServe(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'serve.js');
  await build({
    entryPoints: [path.join(root, 'launcher', 'src', 'serve.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [externalPackages(outDir)],
  });
  return outfile;
}

/** Every source file the bundle is made of, relative to the repository (the image build must see them). */
export async function bundleInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(root, 'launcher', 'src', 'serve.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: path.join(root, 'dist', 'serve.js'),
    plugins: [externalPackages(path.join(root, 'dist'))],
  });
  return Object.keys(result.metafile.inputs);
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
  buildServe(outDir).then(
    (file) => console.log(`built ${path.relative(process.cwd(), file)}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
