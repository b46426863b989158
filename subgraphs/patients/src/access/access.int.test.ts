import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import { openProfile } from './access';

let bed: VaultTestBed;
const clientId = randomUUID();
const clinicId = randomUUID();
beforeAll(async () => {
  bed = await vaultTestBed();
  await bed.db.patientClinic.create({ data: { clientId, clinicId, source: 'booking' } });
}, 600_000);
afterAll(() => bed?.close());

/** The audit records queued in the vault's outbox for this patient. */
async function auditedReads() {
  const rows = await bed.vault.$queryRawUnsafe<
    { topic: string; envelope: { payload: Record<string, unknown> } }[]
  >(`SELECT "topic", "envelope" FROM "outbox" WHERE "aggregate_id" = $1`, clientId);
  return rows.map((row): Record<string, unknown> => ({ topic: row.topic, ...row.envelope.payload }));
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );

describe('opening a patient profile', () => {
  it('refuses everyone but the patient and the admins of a linked clinic, and audits nothing for them', async () => {
    const refused: [Identity | null, string][] = [
      [null, 'UNAUTHENTICATED'],
      [{ role: 'Patient', subject: randomUUID() }, 'FORBIDDEN'],
      [{ role: 'ClinicAdmin', subject: 'admin-other', clinicId: randomUUID() }, 'FORBIDDEN'],
      [{ role: 'ClinicAdmin', subject: 'admin-none' }, 'FORBIDDEN'],
      [{ role: 'Doctor', subject: randomUUID(), clinicId }, 'FORBIDDEN'],
      [{ role: 'PracticeManager', subject: 'manager', clinicId }, 'FORBIDDEN'],
      [{ role: 'SystemAdministrator', subject: 'sysadmin' }, 'FORBIDDEN'],
    ];
    for (const [identity, expected] of refused)
      expect(await code(openProfile(bed.context(identity), clientId))).toBe(expected);
    expect(await auditedReads()).toEqual([]);
  });

  it('lets the patient and a linked clinic admin in, queuing one audit record per read first', async () => {
    await openProfile(bed.context({ role: 'Patient', subject: clientId }), clientId);
    const admin = bed.context({ role: 'ClinicAdmin', subject: 'admin-1', clinicId });
    // Two patients' profiles in one request are checked and audited in one batch each.
    const other = randomUUID();
    await bed.db.patientClinic.create({ data: { clientId: other, clinicId, source: 'booking' } });
    await Promise.all([openProfile(admin, clientId), openProfile(admin, other)]);
    const reads = await auditedReads();
    expect(reads).toHaveLength(2);
    for (const read of reads)
      expect(read).toMatchObject({
        topic: 'audit',
        action: 'patient.pii-read',
        subjectType: 'Patient',
        subjectId: clientId,
        clientId,
      });
    expect(reads.map((read) => read['clinicId'] ?? null).sort()).toEqual([clinicId, null].sort());
  });
});
