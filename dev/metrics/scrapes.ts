import type { Pod, PodService } from '../../launcher/src/testing/pods';

export type ScrapedService = Exclude<PodService, 'migrate'>;

/** One sample line of a Prometheus text scrape. */
export interface ScrapedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every running service's `GET /metrics`, by service (each pod serves its own on its metrics port). */
export async function scrapeAll(pods: Record<ScrapedService, Pod>): Promise<Record<ScrapedService, string>> {
  const entries = await Promise.all(
    Object.entries(pods).map(async ([service, pod]) => {
      if (!pod.metricsPort) throw new Error(`${service} reported no metrics port`);
      const response = await fetch(`http://127.0.0.1:${pod.metricsPort}/metrics`);
      if (response.status !== 200) throw new Error(`${service} /metrics answered ${response.status}`);
      return [service, await response.text()] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<ScrapedService, string>;
}

/** The sample lines of a scrape (comments and HELP/TYPE lines left out). */
export function samplesOf(scrape: string): ScrapedSample[] {
  return scrape
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!match?.[1] || !match[3]) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (match[2] ?? '').matchAll(
        /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
      ))
        if (name !== undefined && value !== undefined) labels[name] = value;
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The metric names a scrape declares (its `# TYPE` lines), whether or not they have samples yet. */
export function declaredIn(scrape: string): Set<string> {
  return new Set([...scrape.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? ''));
}
