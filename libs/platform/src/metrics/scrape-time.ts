/** One series of a gauge read at scrape time. */
export interface Sample<L extends string> {
  /** A gauge's own labels, out of the label names its source reports. */
  labels: Partial<Record<L, string>>;
  value: number;
}

/** What one source reports at a scrape: samples for each gauge it feeds, by a name the gauge reads. */
export type SourceReading<L extends string> = Record<string, Sample<L>[]>;

/** How long one reading serves: every gauge of a scrape shares it, so a source is asked once per scrape. */
const SHARED_MS = 1_000;
/** A source slower than this reports nothing this scrape, rather than holding the scrape up. */
const SOURCE_TIMEOUT_MS = 2_000;

/**
 * Gauges whose values live elsewhere (an outbox table, Kafka's offsets, a pool's counters) are read when
 * Prometheus scrapes, from the sources registered while their owner runs. A source that fails or is slow
 * reports nothing for that scrape; the scrape itself never fails.
 */
export class ScrapeTimeSources<L extends string> {
  private readonly sources = new Set<() => Promise<SourceReading<L>>>();
  private reading: { at: number; result: Promise<SourceReading<L>[]> } | null = null;

  /** Adds a source; returns how to remove it (its owner stops). */
  add(source: () => Promise<SourceReading<L>>): () => void {
    this.sources.add(source);
    this.reading = null;
    return () => {
      this.sources.delete(source);
      this.reading = null;
    };
  }

  async read(name: string): Promise<Sample<L>[]> {
    const now = performance.now();
    if (!this.reading || now - this.reading.at > SHARED_MS)
      this.reading = { at: now, result: Promise.all([...this.sources].map(bounded)) };
    return (await this.reading.result).flatMap((reading) => reading[name] ?? []);
  }
}

async function bounded<L extends string>(source: () => Promise<SourceReading<L>>): Promise<SourceReading<L>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<SourceReading<L>>((resolve) => {
    timer = setTimeout(() => resolve({}), SOURCE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(source)
        .catch(() => ({})),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
