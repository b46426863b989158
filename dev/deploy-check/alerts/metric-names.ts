import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

import { repoRoot } from '../tools';

/**
 * The metric names the alerting rules and the Grafana dashboard read, so that tests can hold them to the
 * metric catalogue and to a real scrape ("no alert on a metric nobody exports").
 */

export const RULES_FILE = path.join(repoRoot, 'k8s', 'observability', 'prometheus-rules.yaml');
export const DASHBOARD_FILE = path.join(repoRoot, 'k8s', 'observability', 'clinic-dashboard.json');

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** The `spec` of the PrometheusRule: a plain Prometheus rule file's content. */
export function readRuleGroups(file = RULES_FILE): RuleGroup[] {
  const rule = parse(readFileSync(file, 'utf8')) as { kind: string; spec: { groups: RuleGroup[] } };
  if (rule.kind !== 'PrometheusRule') throw new Error(`${file} is a ${rule.kind}, not a PrometheusRule`);
  return rule.spec.groups;
}

// Words PromQL reserves; any other identifier not followed by `(` names a metric.
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'atan2',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects, as written (`foo_bucket` stays `foo_bucket`). Also reads
 * Grafana's `label_values(metric, label)` and tolerates its `$variables`.
 */
export function metricNamesInPromQL(expr: string): string[] {
  const names = new Set<string>();
  for (const [, name = ''] of expr.matchAll(/label_values\(\s*([a-zA-Z_:][\w:]*)\s*,/g)) names.add(name);
  const stripped = expr
    .replace(/label_values\([^)]*\)/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\$\{?\w+\}?/g, ' '); // Grafana variables
  // An identifier not preceded by a word character or dot (so `1h`, `2e3` and `14.4` are numbers).
  for (const [, name = '', call] of stripped.matchAll(/(?<![\w.:$])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

/** Every metric the rules read, and the names of the series the recording rules make. */
export function metricNamesInRules(groups: RuleGroup[] = readRuleGroups()): {
  read: string[];
  recorded: string[];
} {
  const read = new Set<string>();
  const recorded = new Set<string>();
  for (const group of groups) {
    for (const rule of group.rules) {
      if (rule.record) recorded.add(rule.record);
      for (const name of metricNamesInPromQL(rule.expr)) read.add(name);
    }
  }
  return { read: [...read].sort(), recorded: [...recorded].sort() };
}

interface DashboardPanel {
  targets?: { expr?: string }[];
  panels?: DashboardPanel[];
}

interface Dashboard {
  panels: DashboardPanel[];
  templating?: { list: { type: string; query?: string | { query?: string } }[] };
}

/** Every PromQL expression of the dashboard: panel targets (rows' panels too) and query variables. */
export function dashboardExpressions(file = DASHBOARD_FILE): string[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
  const expressions: string[] = [];
  const visit = (panels: DashboardPanel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) expressions.push(target.expr);
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    if (query) expressions.push(query);
  }
  return expressions;
}

export function metricNamesInDashboard(file = DASHBOARD_FILE): string[] {
  return [...new Set(dashboardExpressions(file).flatMap(metricNamesInPromQL))].sort();
}

/**
 * The name a series is exposed under at /metrics, as promtool and a scrape list them: a histogram's
 * `_bucket`, `_count` and `_sum` series belong to the histogram's family.
 */
export function metricFamily(name: string, histograms: ReadonlySet<string>): string {
  const family = name.replace(/_(bucket|count|sum)$/, '');
  return family !== name && histograms.has(family) ? family : name;
}

/**
 * The metric families (as a scrape lists them) that the alerting rules and the dashboard read, without
 * the series the recording rules make: what a real scrape of the services must contain, so that no alert
 * or panel watches a metric nobody exports.
 */
export function monitoredMetricFamilies(histograms: ReadonlySet<string>): string[] {
  const { read, recorded } = metricNamesInRules();
  const names = [...read, ...metricNamesInDashboard()].filter((name) => !recorded.includes(name));
  return [...new Set(names.map((name) => metricFamily(name, histograms)))].sort();
}
