import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * install-tools.sh run against a stub `go` that fails a given number of times per tool before "building"
 * it, so the retries are checked offline and in milliseconds (waits of 0 s). The binaries go to a
 * temporary DEPLOY_TOOLS_DIR: the real cache (~/.cache/clinic-deploy-tools) is never touched.
 */
const script = path.join(__dirname, 'install-tools.sh');

const stubGo = `#!/bin/sh
case "$*" in
  *kustomize*) tool=kustomize ;;
  *actionlint*) tool=actionlint ;;
  *opentofu*) tool=tofu ;;
  *promtool*) tool=promtool ;;
  *jaeger*) tool=jaeger ;;
  *) echo "stub go: unexpected arguments: $*" >&2; exit 2 ;;
esac
count_file="$STUB_STATE/$tool.calls"
calls=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$calls" > "$count_file"
fails=$(cat "$STUB_STATE/$tool.fails" 2>/dev/null || echo 0)
if [ "$calls" -le "$fails" ]; then
  echo "go: downloading example.org/$tool v1.0.0" >&2
  echo "go: example.org/$tool@v1.0.0: read tcp 10.0.0.1:1->10.0.0.2:443: connection abort (call $calls)" >&2
  exit 1
fi
if [ "$1" = install ]; then out="$GOBIN/$tool"; else out=$(echo "$*" | sed 's/.* -o \\([^ ]*\\).*/\\1/'); fi
printf '#!/bin/sh\\n' > "$out" && chmod +x "$out"
`;

interface Run {
  status: number | null;
  stderr: string;
  calls: (tool: string) => number;
  built: (tool: string) => boolean;
}

function runScript(
  fails: Record<string, number>,
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'install-tools-test-')),
): Run {
  const stubBin = path.join(work, 'bin');
  const state = path.join(work, 'state');
  const toolsDir = path.join(work, 'tools');
  fs.mkdirSync(stubBin, { recursive: true });
  fs.mkdirSync(state, { recursive: true });
  fs.writeFileSync(path.join(stubBin, 'go'), stubGo, { mode: 0o755 });
  for (const [tool, count] of Object.entries(fails))
    fs.writeFileSync(path.join(state, `${tool}.fails`), `${count}`);
  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${stubBin}:${process.env.PATH ?? ''}`,
      DEPLOY_TOOLS_DIR: toolsDir,
      INSTALL_TOOLS_RETRY_DELAYS: '0 0 0',
      STUB_STATE: state,
    },
  });
  const calls = (tool: string): number => {
    const file = path.join(state, `${tool}.calls`);
    return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
  };
  const built = (tool: string): boolean => fs.existsSync(path.join(toolsDir, 'bin', tool));
  return { status: result.status, stderr: result.stderr, calls, built };
}

describe('install-tools.sh', () => {
  it('builds every tool when each download fails twice before it passes', () => {
    const run = runScript({ kustomize: 2, actionlint: 2, tofu: 2, promtool: 2, jaeger: 2 });
    expect(run.status).toBe(0);
    for (const tool of ['kustomize', 'actionlint', 'tofu', 'promtool', 'jaeger']) {
      expect(run.calls(tool)).toBe(3);
      expect(run.built(tool)).toBe(true);
    }
    expect(run.stderr).toContain('building tofu failed (attempt 2 of 4');
    expect(run.stderr).toContain('building jaeger failed (attempt 2 of 4');
  });

  it('builds nothing again once every tool is in the cache at its version', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'install-tools-test-'));
    const first = runScript({}, work);
    expect(first.status).toBe(0);
    const again = runScript({}, work);
    expect(again.status).toBe(0);
    for (const tool of ['kustomize', 'actionlint', 'tofu', 'promtool', 'jaeger'])
      expect(again.calls(tool)).toBe(1);
  });

  it('names the tool and its last error when all four attempts fail', () => {
    const run = runScript({ actionlint: 99 });
    expect(run.status).not.toBe(0);
    expect(run.calls('actionlint')).toBe(4);
    expect(run.stderr).toContain(
      'install-tools: building actionlint failed 4 times; last error: go: example.org/actionlint@v1.0.0: ' +
        'read tcp 10.0.0.1:1->10.0.0.2:443: connection abort (call 4)',
    );
    // kustomize was built before; tofu is not tried after a failure.
    expect(run.built('kustomize')).toBe(true);
    expect(run.calls('tofu')).toBe(0);
  });
});
