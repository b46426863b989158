import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** Where install-tools.sh puts kustomize, actionlint, tofu, promtool and jaeger. */
export const toolsDir = path.join(
  process.env['DEPLOY_TOOLS_DIR'] ?? path.join(os.homedir(), '.cache', 'clinic-deploy-tools'),
  'bin',
);

/** A deployment checker's binary, or a failure that says how to get it (never a skipped check). */
export function tool(name: 'kustomize' | 'actionlint' | 'tofu' | 'promtool' | 'jaeger'): string {
  const binary = path.join(toolsDir, name);
  if (!existsSync(binary)) {
    throw new Error(
      `${name} is missing from ${toolsDir}: run \`npm run deploy:tools\` (bash dev/deploy-check/install-tools.sh; .ci/run does)`,
    );
  }
  return binary;
}

/** Runs a tool; on failure the error carries its output. */
export function run(binary: string, args: string[], cwd = repoRoot): string {
  try {
    return execFileSync(binary, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 32 * 1024 * 1024,
      // OpenTofu warns about a missing ~/.terraformrc otherwise; checkpoint calls would need the network.
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${path.basename(binary)} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`,
    );
  }
}
