import { chainHash, GENESIS_HASH } from './canonical-entry';
import { ChainChecker, type BadRow, type ChainRow } from './verify-chain';

/** A valid chain of n rows, built the way the appender builds it. */
function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields = {
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      sequence: BigInt(i),
      eventId: `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`,
      occurredAt: new Date(Date.UTC(2026, 11, 1, 0, i)),
      recordedAt: new Date(Date.UTC(2026, 11, 1, 0, i, 1)),
      action: 'appointment.booked',
      actorRole: 'Patient',
      actorSubject: 'patient-1',
      subjectType: 'Appointment',
      subjectId: `appointment-${i}`,
      clientId: null,
      clinicId: null,
      correlationId: `corr-${i}`,
    };
    const hash = chainHash(prevHash, fields);
    rows.push({ ...fields, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

/** Forges a well-formed row: what an attacker who knows the algorithm can write. */
function forge(sequence: bigint, prevHash: string, subjectId = 'forged'): ChainRow {
  const fields = { ...chain(1)[0]!, id: 'ffffffff-0000-7000-8000-000000000000', sequence, subjectId };
  return { ...fields, prevHash, hash: chainHash(prevHash, fields) };
}

function firstBad(rows: ChainRow[], checkpoints: { sequence: string; hash: string; at: string }[] = []) {
  const checker = new ChainChecker(null, checkpoints);
  for (const row of rows) {
    const bad = checker.check(row);
    if (bad) return checker.result(bad);
  }
  return checker.result(checker.finish());
}

const at = (bad: BadRow | null) => bad && { sequence: Number(bad.sequence), problem: bad.problem };

describe('ChainChecker', () => {
  it('accepts an intact chain and reports its head', () => {
    const rows = chain(10);
    const result = firstBad(rows);
    expect(result).toMatchObject({ ok: true, checkedRows: 10, firstBadRow: null });
    expect(result.head).toEqual({ sequence: 10n, hash: rows[9]!.hash });
  });

  it('names an altered row', () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, actorSubject: 'someone-else' };
    const result = firstBad(rows);
    expect(at(result.firstBadRow)).toEqual({ sequence: 5, problem: 'altered' });
    expect(result.checkedRows).toBe(4);
  });

  it('names an altered row whose hash was recomputed: its successor no longer links to it', () => {
    const rows = chain(10);
    const changed = { ...rows[4]!, subjectId: 'changed' };
    rows[4] = { ...changed, hash: chainHash(changed.prevHash, changed) };
    expect(at(firstBad(rows).firstBadRow)).toEqual({ sequence: 5, problem: 'altered' });
  });

  it('names a renumbered row as altered', () => {
    const rows = chain(10);
    rows[9] = { ...rows[9]!, sequence: 15n };
    expect(at(firstBad(rows).firstBadRow)).toEqual({ sequence: 15, problem: 'altered' });
  });

  it('names the first deleted row, in the middle and at the start', () => {
    const rows = chain(10);
    const middle = firstBad([...rows.slice(0, 4), ...rows.slice(6)]);
    expect(middle.firstBadRow).toMatchObject({ sequence: 5n, id: null, problem: 'deleted' });
    expect(middle.firstBadRow?.detail).toContain('rows 5 to 6 are missing');
    expect(at(firstBad(rows.slice(1)).firstBadRow)).toEqual({ sequence: 1, problem: 'deleted' });
  });

  it('names a forged row linked across a gap as inserted', () => {
    const rows = chain(10);
    const forged = forge(20n, rows[9]!.hash);
    expect(at(firstBad([...rows, forged]).firstBadRow)).toEqual({ sequence: 20, problem: 'inserted' });
  });

  it('names a row slipped in between two others (the rest renumbered) as inserted', () => {
    const rows = chain(10);
    const forged = forge(5n, rows[3]!.hash);
    const shifted = rows.slice(4).map((row) => ({ ...row, sequence: row.sequence + 1n }));
    const result = firstBad([...rows.slice(0, 4), forged, ...shifted]);
    expect(result.firstBadRow).toMatchObject({ sequence: 5n, id: forged.id, problem: 'inserted' });
  });

  it('checks checkpoints: a cut tail is deleted, a rewritten chain altered', () => {
    const rows = chain(10);
    const checkpoint = { sequence: '10', hash: rows[9]!.hash, at: '2026-12-01T01:00:00.000Z' };
    expect(firstBad(rows, [checkpoint])).toMatchObject({ ok: true, checkpointsChecked: 1 });
    expect(firstBad(rows.slice(0, 7))).toMatchObject({ ok: true });
    expect(at(firstBad(rows.slice(0, 7), [checkpoint]).firstBadRow)).toEqual({
      sequence: 8,
      problem: 'deleted',
    });
    const rewritten = chain(10).map((row) => ({ ...row }));
    expect(at(firstBad(rewritten.slice(0, 9), [{ ...checkpoint, sequence: '9' }]).firstBadRow)).toEqual({
      sequence: 9,
      problem: 'altered',
    });
  });

  it('starts after an anchor row when verifying from a sequence', () => {
    const rows = chain(10);
    const checker = new ChainChecker(rows[5]!);
    for (const row of rows.slice(6)) expect(checker.check(row)).toBeNull();
    expect(checker.result(checker.finish())).toMatchObject({ ok: true, checkedRows: 4 });
  });
});
