import type { AuditDatabase } from '../database';
import { chainHash, GENESIS_HASH, type ChainedFields } from './canonical-entry';
import type { Checkpoint } from './checkpoints';

/** A row as stored: the hashed fields and its two chain columns. */
export interface ChainRow extends ChainedFields {
  prevHash: string;
  hash: string;
}

export type ChainProblem = 'altered' | 'deleted' | 'inserted';

export interface BadRow {
  /** The first bad position: the altered or inserted row's sequence, or the first missing one. */
  sequence: bigint;
  /** The row at that position; null when it was deleted. */
  id: string | null;
  problem: ChainProblem;
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  checkedRows: number;
  /** The last row that verified, to compare with an exported checkpoint. */
  head: { sequence: bigint; hash: string } | null;
  checkpointsChecked: number;
  firstBadRow: BadRow | null;
}

/**
 * Walks the chain one row at a time (rows in sequence order) and names the first row that breaks it.
 * The appender writes rows at head + 1 with prev_hash = head's hash and hash = sha256(prev_hash ||
 * canonical row), so:
 * - altered: a row's content no longer hashes to its stored hash (or was re-hashed: its successor's
 *   link no longer matches);
 * - deleted: a gap in the sequence where the next row does not link to the row before the gap, or a
 *   checkpoint beyond the end of the chain (the tail was cut);
 * - inserted: a row that links into the chain where the appender could not have put it: past a gap,
 *   or sharing its predecessor with the row after it.
 */
export class ChainChecker {
  private previous: ChainRow | null;
  private checked = 0;
  private checkpointsSeen = 0;
  private readonly checkpoints: Map<bigint, Checkpoint>;

  /** `anchor`: the row just before where checking starts (null: start from the beginning). */
  constructor(anchor: ChainRow | null = null, checkpoints: readonly Checkpoint[] = []) {
    this.previous = anchor;
    const from = (anchor?.sequence ?? 0n) + 1n;
    this.checkpoints = new Map(
      checkpoints.filter((c) => BigInt(c.sequence) >= from).map((c) => [BigInt(c.sequence), c]),
    );
  }

  get checkedRows(): number {
    return this.checked;
  }

  /** Checks the next row; returns the first bad row found, or null when this one continues the chain. */
  check(row: ChainRow): BadRow | null {
    const previous = this.previous;
    const expectedSequence = (previous?.sequence ?? 0n) + 1n;
    const expectedLink = previous?.hash ?? GENESIS_HASH;
    const hashes = chainHash(row.prevHash, row) === row.hash;
    const bad = (at: ChainRow, problem: ChainProblem, detail: string): BadRow => ({
      sequence: at.sequence,
      id: at.id,
      problem,
      detail,
    });

    if (row.prevHash !== expectedLink) {
      if (previous && row.prevHash === previous.prevHash) {
        return bad(
          previous,
          'inserted',
          `row ${previous.sequence} shares its predecessor with row ${row.sequence}: it was slipped in`,
        );
      }
      if (row.sequence > expectedSequence) {
        const last = row.sequence - 1n;
        return {
          sequence: expectedSequence,
          id: null,
          problem: 'deleted',
          detail:
            `row${last > expectedSequence ? `s ${expectedSequence} to ${last} are` : ` ${expectedSequence} is`} ` +
            `missing: row ${row.sequence} (${row.id}) does not link to ${previous ? `row ${previous.sequence}` : 'the start'}`,
        };
      }
      if (!hashes) return bad(row, 'altered', `row ${row.sequence} does not match its hash or link`);
      return previous
        ? bad(
            previous,
            'altered',
            `row ${row.sequence} does not link to row ${previous.sequence}: one of them was rewritten and re-hashed`,
          )
        : bad(row, 'altered', `row ${row.sequence} does not link to the start of the chain`);
    }
    if (row.sequence !== expectedSequence) {
      // Linked correctly yet out of place: either its sequence was edited or the appender never wrote it.
      const renumbered = chainHash(row.prevHash, { ...row, sequence: expectedSequence }) === row.hash;
      return renumbered
        ? bad(row, 'altered', `row ${expectedSequence} was renumbered to ${row.sequence}`)
        : bad(row, 'inserted', `row ${row.sequence} links to row ${expectedSequence - 1n} across a gap`);
    }
    if (!hashes) return bad(row, 'altered', `row ${row.sequence} does not match its hash`);
    const checkpoint = this.checkpoints.get(row.sequence);
    if (checkpoint) {
      this.checkpointsSeen++;
      if (checkpoint.hash !== row.hash) {
        return bad(
          row,
          'altered',
          `row ${row.sequence} differs from the checkpoint exported at ${checkpoint.at}: the chain up to it was rewritten`,
        );
      }
    }
    this.previous = row;
    this.checked++;
    return null;
  }

  /** After the last row: a checkpoint past the end means the tail was deleted. */
  finish(): BadRow | null {
    const end = this.previous?.sequence ?? 0n;
    const beyond = [...this.checkpoints.values()]
      .filter((c) => BigInt(c.sequence) > end)
      .sort((a, b) => (BigInt(a.sequence) < BigInt(b.sequence) ? 1 : -1))[0];
    if (!beyond) return null;
    this.checkpointsSeen++;
    return {
      sequence: end + 1n,
      id: null,
      problem: 'deleted',
      detail: `the chain ends at row ${end} but a checkpoint exported at ${beyond.at} records row ${beyond.sequence}: the tail was deleted`,
    };
  }

  result(firstBadRow: BadRow | null): ChainVerification {
    const head = this.previous;
    return {
      ok: firstBadRow === null,
      checkedRows: this.checked,
      head: head ? { sequence: head.sequence, hash: head.hash } : null,
      checkpointsChecked: this.checkpointsSeen,
      firstBadRow,
    };
  }
}

export interface VerifyOptions {
  /** First sequence to check; the row before it anchors the chain. Default: the beginning. */
  from?: bigint;
  checkpoints?: readonly Checkpoint[];
  pageSize?: number;
  onProgress?: (checkedRows: number, lastSequence: bigint) => void;
}

const chainColumns = {
  id: true,
  sequence: true,
  eventId: true,
  occurredAt: true,
  recordedAt: true,
  action: true,
  actorRole: true,
  actorSubject: true,
  subjectType: true,
  subjectId: true,
  clientId: true,
  clinicId: true,
  correlationId: true,
  prevHash: true,
  hash: true,
} as const;

/**
 * Verifies the stored chain, reading it in pages in sequence order (memory stays flat however long the
 * log), and stops at the first bad row. Each page is its own query: rows appended meanwhile are checked
 * too, and a concurrent append can never look like a break because rows only ever arrive at the head.
 */
export async function verifyChain(
  db: AuditDatabase,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 2000;
  const from = options.from ?? 1n;
  const anchor =
    from > 1n
      ? await db.auditEntry.findFirst({
          where: { sequence: { lt: from } },
          orderBy: { sequence: 'desc' },
          select: chainColumns,
        })
      : null;
  const checker = new ChainChecker(anchor, options.checkpoints ?? []);
  let after = anchor?.sequence ?? from - 1n;
  for (;;) {
    const page = await db.auditEntry.findMany({
      where: { sequence: { gt: after } },
      orderBy: { sequence: 'asc' },
      take: pageSize,
      select: chainColumns,
    });
    for (const row of page) {
      const bad = checker.check(row);
      if (bad) return checker.result(bad);
    }
    const last = page.at(-1);
    if (!last) break;
    after = last.sequence;
    options.onProgress?.(checker.checkedRows, after);
    if (page.length < pageSize) break;
  }
  return checker.result(checker.finish());
}
