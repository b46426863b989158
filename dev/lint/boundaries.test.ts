import path from 'node:path';
import { ESLint } from 'eslint';

/** The README's folder rules, tried from the outside: each import a folder must never make, linted as it would be. */
const eslint = new ESLint({ cwd: path.resolve(__dirname, '..', '..') });

async function refused(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).some((message) => message.ruleId === 'no-restricted-imports');
}

describe('folder boundaries (eslint.config.mjs)', () => {
  it.each([
    ['subgraphs/doctors/src/x.ts', "import '@clinic/gateway';"],
    ['subgraphs/doctors/src/x.ts', "import '@clinic/appointments-subgraph';"],
    ['subgraphs/doctors/src/x.ts', "import '../../appointments/src/database';"],
    ['subgraphs/doctors/src/x.ts', "import '@clinic/launcher';"],
    ['subgraphs/doctors/src/x.ts', "import '@clinic/testing';"],
    ['gateway/src/x.ts', "import '@clinic/patients-subgraph';"],
    ['gateway/src/x.ts', "import '../../dev/bench/run-all';"],
    ['libs/contracts/src/x.ts', "import '@clinic/platform';"],
    ['libs/platform/src/x.ts', "import '@clinic/audit-subgraph';"],
    ['libs/platform/src/x.ts', "import '@clinic/testing';"],
    ['libs/testing/src/x.ts', "import '@clinic/launcher';"],
    ['launcher/src/x.ts', "import '../../dev/seed/seed-cli';"],
    ['launcher/src/x.ts', "import '../../libs/platform/src/index';"],
    ['system/x.int.test.ts', "import '../dev/bench/run-all';"],
  ])('refuses %s: %s', async (filePath, code) => {
    expect(await refused(filePath, code)).toBe(true);
  });

  it.each([
    ['subgraphs/doctors/src/x.ts', "import '@clinic/platform';"],
    ['subgraphs/doctors/src/x.test.ts', "import '@clinic/testing';"],
    ['libs/platform/src/x.test.ts', "import '@clinic/testing';"],
    ['launcher/src/x.ts', "import '@clinic/doctors-subgraph';"],
    ['system/x.int.test.ts', "import '../subgraphs/appointments/src/database';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await refused(filePath, code)).toBe(false);
  });
});
