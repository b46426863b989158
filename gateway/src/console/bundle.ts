import path from 'node:path';

export interface ConsoleAssets {
  js: string;
  css: string;
}

let built: Promise<ConsoleAssets> | null = null;

/**
 * GraphiQL, React and graphql-sse's client bundled from node_modules into one script and one stylesheet,
 * on first use and kept in memory: the console needs no CDN and works offline.
 */
export function consoleAssets(): Promise<ConsoleAssets> {
  built ??= (async () => {
    // Loaded on demand: esbuild is a build tool, only needed when someone opens the console.
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [path.join(__dirname, 'browser', 'app.ts')],
      bundle: true,
      minify: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      outdir: 'console-out',
      define: { 'process.env.NODE_ENV': '"production"' },
      // One React for everything: hoisted packages (react-compiler-runtime) would otherwise pick up the
      // repository root's React 19 next to GraphiQL's React 18.
      alias: Object.fromEntries(
        ['react', 'react-dom'].map((name) => [
          name,
          path.dirname(require.resolve(`${name}/package.json`, { paths: [__dirname] })),
        ]),
      ),
      loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl' },
      logLevel: 'silent',
    });
    const find = (extension: string) =>
      result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
    return { js: find('.js'), css: find('.css') };
  })().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}
