/**
 * A client sending one kind of request at a steady rate for a bounded count, recording every outcome: a
 * failure is a request that got no HTTP answer, a 5xx, or a GraphQL error of any code. Requests are sent
 * on schedule whatever the answers' latency, up to `maxInFlight` at once (the bound on a slow machine:
 * the schedule then waits, and the run takes longer, never fails for it).
 */
export interface LoadOutcome {
  sent: number;
  ok: number;
  /** No HTTP answer at all (refused, reset). */
  unanswered: number;
  /** Answers with status 500 and above. */
  serverErrors: number;
  /** GraphQL errors by code. */
  errorCodes: Map<string, number>;
  /** A few failures, to say what they were when the test fails. */
  examples: string[];
}

export interface SteadyLoad {
  outcome: LoadOutcome;
  /** Resolves when every request has been answered. */
  done: Promise<LoadOutcome>;
  /** How many have been answered so far. */
  answered(): number;
}

export function steadyLoad(options: {
  url: string;
  body: () => unknown;
  headers?: Record<string, string>;
  perSecond: number;
  total: number;
  maxInFlight?: number;
}): SteadyLoad {
  const outcome: LoadOutcome = {
    sent: 0,
    ok: 0,
    unanswered: 0,
    serverErrors: 0,
    errorCodes: new Map(),
    examples: [],
  };
  const maxInFlight = options.maxInFlight ?? 200;
  let inFlight = 0;
  let answered = 0;
  const note = (example: string) => {
    if (outcome.examples.length < 10) outcome.examples.push(example);
  };
  const one = async (): Promise<void> => {
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(options.body()),
      });
      const text = await response.text();
      if (response.status >= 500) {
        outcome.serverErrors++;
        note(`HTTP ${response.status}: ${text.slice(0, 200)}`);
        return;
      }
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      if (body.errors?.length) {
        for (const error of body.errors) {
          const code = error.extensions?.code ?? 'none';
          outcome.errorCodes.set(code, (outcome.errorCodes.get(code) ?? 0) + 1);
        }
        note(`HTTP ${response.status}: ${text.slice(0, 200)}`);
        return;
      }
      outcome.ok++;
    } catch (error) {
      outcome.unanswered++;
      note(
        `no answer: ${error instanceof Error ? `${error.message} ${String(error.cause)}` : String(error)}`,
      );
    } finally {
      inFlight--;
      answered++;
    }
  };
  const done = (async () => {
    const all: Promise<void>[] = [];
    const started = Date.now();
    while (outcome.sent < options.total) {
      // Catch up to the schedule, in flight permitting.
      const due = Math.min(
        options.total,
        Math.floor(((Date.now() - started) / 1000) * options.perSecond) + 1,
      );
      while (outcome.sent < due && inFlight < maxInFlight) {
        outcome.sent++;
        inFlight++;
        all.push(one());
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(all);
    return outcome;
  })();
  return { outcome, done, answered: () => answered };
}
