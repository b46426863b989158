import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';

import { HISTOGRAMS, METRIC_CATALOGUE } from './alerts/metric-catalogue';
import {
  metricFamily,
  metricNamesInDashboard,
  metricNamesInPromQL,
  metricNamesInRules,
  monitoredMetricFamilies,
  readRuleGroups,
  type Rule,
} from './alerts/metric-names';
import { repoRoot, run, tool } from './tools';

/**
 * Monitoring, checked offline with the real tools: k8s/observability renders with kustomize into a
 * PodMonitor per service, the alerting rules and the dashboard; promtool (built from the Go module proxy
 * by install-tools.sh) checks the rules and runs their unit tests (alerts/*.test.yaml), which fire every
 * alert and keep it quiet on healthy series; every alert has a runbook, and every metric the rules, the
 * dashboard and the runbooks name is one the services export (METRIC_CATALOGUE).
 */

const SERVICES = ['gateway', 'appointments', 'doctors', 'patients', 'audit'];
const ALERTS_DIR = path.join(__dirname, 'alerts');
const RUNBOOKS_DIR = path.join(repoRoot, 'docs', 'runbooks');
/** Pages of docs/runbooks that are not an alert's. */
const GENERAL_PAGES = [
  'README.md',
  'deployment-and-rollback.md',
  'incident-handling.md',
  'postmortem-template.md',
];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Rendered YAML, checked by the zod schemas below before the tests read it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered YAML, validated by schema first
  spec?: any;
  data?: Record<string, string>;
}

function render(folder: string): K8sObject[] {
  const output = run(tool('kustomize'), ['build', path.join(repoRoot, 'k8s', folder)]);
  return parseAllDocuments(output).map((document) => document.toJS() as K8sObject);
}

// kubernetes-models has no Prometheus Operator schemas: the fields the operator and these tests rely on.
const podMonitorSchema = z.object({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PodMonitor'),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z
    .object({
      selector: z.object({ matchLabels: z.record(z.string(), z.string()) }).strict(),
      podMetricsEndpoints: z
        .array(
          z
            .object({
              port: z.string(),
              path: z.string(),
              interval: z.string().regex(/^\d+s$/),
              scrapeTimeout: z.string().regex(/^\d+s$/),
              honorLabels: z.boolean(),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
});

const ruleSchema = z.union([
  z.object({ record: z.string().regex(/^[a-z_:][a-z0-9_:]*$/), expr: z.string().min(1) }).strict(),
  z
    .object({
      alert: z.string().regex(/^[A-Z][A-Za-z]+$/),
      expr: z.string().min(1),
      for: z
        .string()
        .regex(/^\d+[smh]$/)
        .optional(),
      labels: z.object({ severity: z.enum(['critical', 'warning']) }).strict(),
      annotations: z
        .object({
          summary: z.string().min(10),
          description: z.string().min(10),
          runbook_url: z.string().url(),
        })
        .strict(),
    })
    .strict(),
]);

const prometheusRuleSchema = z.object({
  apiVersion: z.literal('monitoring.coreos.com/v1'),
  kind: z.literal('PrometheusRule'),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z
    .object({
      groups: z
        .array(z.object({ name: z.string().min(1), rules: z.array(ruleSchema).min(1) }).strict())
        .min(1),
    })
    .strict(),
});

const alertRules = (): (Rule & { alert: string })[] =>
  readRuleGroups().flatMap((group) =>
    group.rules.filter((rule): rule is Rule & { alert: string } => !!rule.alert),
  );
const alertNames = (): string[] => [...new Set(alertRules().map((rule) => rule.alert))].sort();

/** The rules' spec beside a copy of every unit test file, as the tests' `rule_files` expects it. */
function promtoolWorkspace(): { dir: string; rules: string; tests: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-rules-'));
  const rules = path.join(dir, 'clinic.rules.yaml');
  writeFileSync(rules, JSON.stringify({ groups: readRuleGroups() }, null, 2)); // JSON is YAML
  const tests = readdirSync(ALERTS_DIR)
    .filter((name) => name.endsWith('.test.yaml'))
    .map((name) => {
      writeFileSync(path.join(dir, name), readFileSync(path.join(ALERTS_DIR, name)));
      return path.join(dir, name);
    });
  return { dir, rules, tests };
}

/** Names a PromQL expression or a runbook may use: the catalogue and the recording rules. */
function unknownMetrics(names: string[]): string[] {
  const { recorded } = metricNamesInRules();
  return names.filter(
    (name) => !(metricFamily(name, HISTOGRAMS) in METRIC_CATALOGUE) && !recorded.includes(name),
  );
}

describe('k8s/observability', () => {
  let objects: K8sObject[];
  let services: K8sObject[];

  beforeAll(() => {
    objects = render('observability');
    services = render('overlays/prod');
  });

  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);

  it('renders a PodMonitor per service that scrapes the pods of its Deployment on port `metrics` at /metrics', () => {
    const monitors = ofKind('PodMonitor');
    expect(monitors.map((monitor) => monitor.metadata.name).sort()).toEqual([...SERVICES].sort());
    for (const monitor of monitors) {
      podMonitorSchema.parse(monitor);
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics', honorLabels: true }),
      ]);
      // The selector picks exactly the pods of the Deployment of that name, and no other service's.
      const selector = monitor.spec.selector.matchLabels as Record<string, string>;
      const deployments = services
        .filter((object) => object.kind === 'Deployment')
        .filter((deployment) =>
          Object.entries(selector).every(
            ([label, value]) => deployment.spec.template.metadata.labels?.[label] === value,
          ),
        );
      const selected = deployments.map((deployment) => deployment.metadata.name);
      expect({ monitor: monitor.metadata.name, selected }).toEqual({
        monitor: monitor.metadata.name,
        selected: [monitor.metadata.name],
      });
      // ...and those pods have the port it scrapes.
      const ports = (deployments[0]?.spec.template.spec.containers[0]?.ports ?? []) as { name: string }[];
      expect({ monitor: monitor.metadata.name, ports: ports.map((port) => port.name) }).toEqual({
        monitor: monitor.metadata.name,
        ports: expect.arrayContaining(['metrics']),
      });
    }
  });

  it('renders the rules as a PrometheusRule and the dashboard as a ConfigMap Grafana loads, all without a namespace', () => {
    const [rule, ...others] = ofKind('PrometheusRule');
    expect(others).toEqual([]);
    prometheusRuleSchema.parse(rule);
    const [dashboard] = ofKind('ConfigMap');
    expect(dashboard?.metadata.labels?.['grafana_dashboard']).toBe('1');
    const json = JSON.parse(dashboard?.data?.['clinic-dashboard.json'] ?? '{}') as {
      uid?: string;
      panels?: unknown[];
    };
    expect(json.uid).toBe('clinic-overview');
    expect(json.panels?.length).toBeGreaterThan(10);
    // Applied into the environment's namespace (kubectl apply -n clinic-<env>), like the overlays.
    for (const object of objects)
      expect(`${object.kind}/${object.metadata.name}: ${object.metadata.namespace}`).toBe(
        `${object.kind}/${object.metadata.name}: undefined`,
      );
  });
});

describe('the alerting rules', () => {
  it('pass `promtool check rules`', () => {
    const { dir, rules } = promtoolWorkspace();
    try {
      expect(run(tool('promtool'), ['check', 'rules', rules])).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pass their promtool unit tests: each alert fires on a failure and stays quiet on a healthy series', () => {
    const { dir, tests } = promtoolWorkspace();
    try {
      expect(tests.length).toBeGreaterThanOrEqual(3);
      // run() throws with promtool's report (expected and got alerts) when a test fails.
      run(tool('promtool'), ['test', 'rules', ...tests], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are all covered by those tests: every alert at every severity fires in one, and every alert is quiet in one', () => {
    interface AlertTest {
      alertname: string;
      exp_alerts?: { exp_labels?: Record<string, string> }[];
    }
    const files = readdirSync(ALERTS_DIR).filter((name) => name.endsWith('.test.yaml'));
    const cases = files.flatMap((name) => {
      const file = parse(readFileSync(path.join(ALERTS_DIR, name), 'utf8')) as {
        rule_files: string[];
        tests: { alert_rule_test?: AlertTest[] }[];
      };
      expect({ name, ruleFiles: file.rule_files }).toEqual({ name, ruleFiles: ['clinic.rules.yaml'] });
      return file.tests.flatMap((test) => test.alert_rule_test ?? []);
    });
    const fired = new Set(
      cases.flatMap((test) =>
        (test.exp_alerts ?? []).map((alert) => `${test.alertname}/${alert.exp_labels?.['severity']}`),
      ),
    );
    const quiet = new Set(
      cases.filter((test) => (test.exp_alerts ?? []).length === 0).map((test) => test.alertname),
    );
    const variants = [
      ...new Set(alertRules().map((rule) => `${rule.alert}/${rule.labels?.['severity']}`)),
    ].sort();
    expect(variants.filter((variant) => !fired.has(variant))).toEqual([]);
    expect(alertNames().filter((alert) => !quiet.has(alert))).toEqual([]);
    expect(variants.length).toBeGreaterThanOrEqual(12);
  });

  it('each carry a severity, a summary, a description and a runbook_url to their page in docs/runbooks', () => {
    for (const rule of alertRules()) {
      ruleSchema.parse(rule);
      const url = rule.annotations?.['runbook_url'] ?? '';
      expect({ alert: rule.alert, url }).toEqual({
        alert: rule.alert,
        url: expect.stringMatching(new RegExp(`^https://.+/docs/runbooks/${rule.alert}\\.md$`)),
      });
      expect({ alert: rule.alert, page: existsSync(path.join(RUNBOOKS_DIR, `${rule.alert}.md`)) }).toEqual({
        alert: rule.alert,
        page: true,
      });
    }
  });

  it('read only metrics of the catalogue, and so does the dashboard', () => {
    const { read } = metricNamesInRules();
    expect(read.length).toBeGreaterThan(10);
    expect(unknownMetrics(read)).toEqual([]);
    const dashboard = metricNamesInDashboard();
    expect(dashboard.length).toBeGreaterThan(15);
    expect(unknownMetrics(dashboard)).toEqual([]);
    // What a real scrape must hold: families, recording rules left out.
    const families = monitoredMetricFamilies(HISTOGRAMS);
    expect(families).toContain('http_server_request_duration_seconds');
    expect(families.filter((family) => !(family in METRIC_CATALOGUE))).toEqual([]);
  });
});

describe('the runbooks (docs/runbooks)', () => {
  const pages = () => readdirSync(RUNBOOKS_DIR).filter((name) => name.endsWith('.md'));
  const promqlBlocks = (text: string) =>
    [...text.matchAll(/```promql\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('have one page per alert, no page for an alert that does not exist, and the general pages', () => {
    const alertPages = pages().filter((name) => !GENERAL_PAGES.includes(name));
    expect(alertPages.map((name) => name.replace(/\.md$/, '')).sort()).toEqual(alertNames());
    for (const name of GENERAL_PAGES) expect(pages()).toContain(name);
  });

  it('say for each alert what it means, how to confirm it, what to do and how to roll back', () => {
    for (const alert of alertNames()) {
      const text = readFileSync(path.join(RUNBOOKS_DIR, `${alert}.md`), 'utf8');
      const headings = [...text.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
      expect({ alert, headings }).toEqual({
        alert,
        headings: expect.arrayContaining(['What it means', 'Confirm', 'What to do', 'Roll back']),
      });
      expect(text.split('\n')[0]).toBe(`# ${alert}`);
    }
  });

  it('query only metrics of the catalogue, and each alert page queries at least one', () => {
    for (const name of pages()) {
      const text = readFileSync(path.join(RUNBOOKS_DIR, name), 'utf8');
      const queries = promqlBlocks(text);
      if (!GENERAL_PAGES.includes(name))
        expect({ name, queries: queries.length > 0 }).toEqual({ name, queries: true });
      const names = [...new Set(queries.flatMap(metricNamesInPromQL))];
      expect({ name, unknown: unknownMetrics(names) }).toEqual({ name, unknown: [] });
      // Metric names in running text too: anything that looks like one of ours must be one.
      const mentioned = [
        ...text.matchAll(/`((?:http|graphql|outbox|messaging|live|clinic|db_client|otel)_[a-z_]+)`/g),
      ].map((match) => match[1]!);
      expect({ name, unknown: unknownMetrics(mentioned) }).toEqual({ name, unknown: [] });
    }
  });

  it('name only Kubernetes objects that the manifests create, in the namespaces of the overlays', () => {
    const objects = [
      ...render('overlays/prod'),
      ...render('overlays/prod/migrate'),
      ...render('observability'),
    ];
    const names = new Set(objects.map((object) => `${object.kind.toLowerCase()}/${object.metadata.name}`));
    const kinds: Record<string, string> = { hpa: 'horizontalpodautoscaler', pdb: 'poddisruptionbudget' };
    for (const name of pages()) {
      const text = readFileSync(path.join(RUNBOOKS_DIR, name), 'utf8');
      for (const [reference, kind, object] of text.matchAll(
        /\b(deployment|job|service|configmap|podmonitor|prometheusrule|networkpolicy|hpa|pdb)\/([a-z0-9][a-z0-9-]*)/g,
      )) {
        const known = names.has(`${kinds[kind!] ?? kind}/${object}`);
        expect({ name, reference, known }).toEqual({ name, reference, known: true });
      }
      for (const [, namespace] of text.matchAll(/\bkubectl -n (\S+)/g))
        expect({ name, namespace }).toEqual({
          name,
          namespace: expect.stringMatching(/^(clinic-(dev|prod)|"\$NS"|monitoring)$/),
        });
    }
  });
});
