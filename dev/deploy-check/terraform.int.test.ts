import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { topicsJson, topicsJsonPath } from './topics-json';
import { repoRoot, run, tool } from './tools';

/**
 * What can be checked of terraform/ without the network: `tofu fmt` (it parses every file, so a syntax
 * error fails too) and the wiring between modules, read from the HCL here: every variable used is
 * declared and described, every module call passes declared variables and all required ones, every
 * `module.x.y` names an output x has. `tofu validate` needs `tofu init`, which downloads the AWS provider
 * from the OpenTofu registry: not reachable here, so provider-level checks (resource arguments) are not
 * made offline; CD runs `tofu validate` and `plan` where the registry is reachable.
 */
const terraformDir = path.join(repoRoot, 'terraform');

interface Module {
  dir: string;
  text: string;
  variables: Map<string, { hasDefault: boolean; described: boolean }>;
  outputs: Map<string, { described: boolean }>;
  calls: { name: string; source: string; args: string[] }[];
}

/** The body of each `<keyword> "<name>" {` block, by brace matching (strings in these files hold no braces). */
function blocks(text: string, keyword: string): { name: string; body: string }[] {
  const found: { name: string; body: string }[] = [];
  const start = new RegExp(`^${keyword} "([\\w-]+)" \\{`, 'gm');
  for (let match = start.exec(text); match; match = start.exec(text)) {
    let depth = 1;
    let index = match.index + match[0].length;
    while (depth > 0 && index < text.length) {
      if (text[index] === '{') depth++;
      if (text[index] === '}') depth--;
      index++;
    }
    found.push({ name: match[1] ?? '', body: text.slice(match.index + match[0].length, index - 1) });
  }
  return found;
}

function readModule(dir: string): Module {
  const text = readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .join('\n');
  return {
    dir,
    text,
    variables: new Map(
      blocks(text, 'variable').map(({ name, body }) => [
        name,
        { hasDefault: /^\s+default\s+=/m.test(body), described: /^\s+description\s+=\s+"[^"]+"/m.test(body) },
      ]),
    ),
    outputs: new Map(
      blocks(text, 'output').map(({ name, body }) => [
        name,
        { described: /^\s+description\s+=\s+"[^"]+"/m.test(body) },
      ]),
    ),
    calls: blocks(text, 'module').map(({ name, body }) => ({
      name,
      source: /^\s+source\s+=\s+"([^"]+)"/m.exec(body)?.[1] ?? '',
      // Top-level arguments only: a nested block's lines are indented further.
      args: [...body.matchAll(/^ {2}(\w+)\s+=/gm)]
        .map((match) => match[1] ?? '')
        .filter((arg) => arg !== 'source'),
    })),
  };
}

const moduleDirs = [
  ...readdirSync(path.join(terraformDir, 'modules')).map((name) => path.join(terraformDir, 'modules', name)),
  ...readdirSync(path.join(terraformDir, 'envs')).map((name) => path.join(terraformDir, 'envs', name)),
];

describe('terraform', () => {
  it('is formatted (tofu fmt, which also parses every file)', () => {
    run(tool('tofu'), ['fmt', '-check', '-recursive', '-diff', terraformDir]);
  });

  it('has a dev and a prod environment on the shared modules', () => {
    expect(readdirSync(path.join(terraformDir, 'envs')).sort()).toEqual(['dev', 'prod']);
    for (const environment of ['dev', 'prod']) {
      const root = readModule(path.join(terraformDir, 'envs', environment));
      expect(root.calls.map((call) => call.source)).toEqual(['../../modules/clinic']);
      expect(root.text).toMatch(/backend "s3" \{[^}]*encrypt\s+=\s+true/);
    }
  });

  it.each(moduleDirs.map((dir) => [path.relative(terraformDir, dir), dir]))(
    '%s: variables declared, used and described; outputs described',
    (_name, dir) => {
      const module = readModule(dir);
      const used = new Set([...module.text.matchAll(/\bvar\.(\w+)/g)].map((match) => match[1]));
      expect([...used].filter((name) => name && !module.variables.has(name))).toEqual([]);
      expect([...module.variables.keys()].filter((name) => !used.has(name))).toEqual([]);
      expect(
        [...module.variables].filter(([, variable]) => !variable.described).map(([name]) => name),
      ).toEqual([]);
      expect([...module.outputs].filter(([, output]) => !output.described).map(([name]) => name)).toEqual([]);
    },
  );

  it.each(moduleDirs.map((dir) => [path.relative(terraformDir, dir), dir]))(
    '%s: module calls pass declared and required variables and read existing outputs',
    (_name, dir) => {
      const module = readModule(dir);
      for (const call of module.calls) {
        const target = path.resolve(dir, call.source);
        expect(existsSync(target)).toBe(true);
        const callee = readModule(target);
        expect({ call: call.name, unknown: call.args.filter((arg) => !callee.variables.has(arg)) }).toEqual({
          call: call.name,
          unknown: [],
        });
        const required = [...callee.variables]
          .filter(([, variable]) => !variable.hasDefault)
          .map(([name]) => name);
        expect({ call: call.name, missing: required.filter((name) => !call.args.includes(name)) }).toEqual({
          call: call.name,
          missing: [],
        });
        const read = [...module.text.matchAll(new RegExp(`\\bmodule\\.${call.name}\\.(\\w+)`, 'g'))].map(
          (match) => match[1] ?? '',
        );
        expect({ call: call.name, missing: read.filter((output) => !callee.outputs.has(output)) }).toEqual({
          call: call.name,
          missing: [],
        });
      }
    },
  );

  it('reads the topic manifest from topics.json, which is current (npm run topics)', () => {
    expect(readFileSync(topicsJsonPath, 'utf8')).toBe(topicsJson());
    expect(readModule(path.join(terraformDir, 'modules', 'msk')).text).toContain(
      'jsondecode(file(var.topics_file))',
    );
  });

  it('encrypts at rest with KMS and in transit everywhere it configures', () => {
    const all = moduleDirs.map((dir) => readModule(dir).text).join('\n');
    expect(all).toMatch(/storage_encrypted\s+=\s+true/);
    expect(all).toMatch(/name\s+=\s+"rds\.force_ssl"\s+value\s+=\s+"1"/);
    expect(all).toMatch(/client_broker\s+=\s+"TLS"/);
    expect(all).toMatch(/in_cluster\s+=\s+true/);
    expect(all).toMatch(/unauthenticated\s+=\s+false/);
    expect(all).toMatch(/multi_az\s+=\s+true/);
    for (const match of all.matchAll(/resource "aws_cloudwatch_log_group" "\w+" \{[\s\S]*?\n\}/g))
      expect(match[0]).toContain('kms_key_id');
    for (const match of all.matchAll(/resource "aws_sns_topic" "\w+" \{[\s\S]*?\n\}/g))
      expect(match[0]).toContain('kms_master_key_id');
    for (const group of ['Patient', 'Doctor', 'ClinicAdmin', 'PracticeManager', 'SystemAdministrator'])
      expect(all).toContain(`"${group}"`);
  });
});
