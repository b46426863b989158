import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import { readReminderSettings, setReminderSettings } from './reminder-settings';

let bed: VaultTestBed;
beforeAll(async () => {
  bed = await vaultTestBed();
}, 600_000);
afterAll(async () => bed?.close());

const key = () => `reminders-${randomUUID()}`;
const admin = (clinicId: string): Identity => ({
  role: 'ClinicAdmin',
  subject: `admin-${clinicId}`,
  clinicId,
});
const CANARY = 'canary-7f3a9c';

describe('setReminderSettings', () => {
  it('starts from the defaults; the clinic manager sets offsets just inside each limit; the same request twice at once answers once', async () => {
    const clinicId = randomUUID();
    expect(await readReminderSettings(bed.context(admin(clinicId)), clinicId)).toEqual({
      clinicId,
      offsetsMinutes: [1440, 120],
      channels: ['sms', 'email'],
    });
    const manager: Identity = { role: 'PracticeManager', subject: 'pm-1', clinicId };
    const input = {
      clinicId,
      offsetsMinutes: [15, 20160, 60, 2880],
      channels: ['email', 'sms'],
      idempotencyKey: key(),
    };
    const [first, second] = await Promise.all([
      setReminderSettings(input, bed.context(manager)),
      setReminderSettings(input, bed.context(manager)),
    ]);
    expect(first).toEqual({
      __typename: 'ReminderSettings',
      clinicId,
      offsetsMinutes: [20160, 2880, 60, 15],
      channels: ['sms', 'email'],
    });
    expect(second).toEqual(first);
    expect(await readReminderSettings(bed.context(manager), clinicId)).toMatchObject({
      offsetsMinutes: [20160, 2880, 60, 15],
    });
    // None at all: reminders off.
    const off = await setReminderSettings(
      { clinicId, offsetsMinutes: [], channels: [], idempotencyKey: key() },
      bed.context(manager),
    );
    expect(off).toMatchObject({ offsetsMinutes: [], channels: [] });
  });

  it('refuses one past each limit with a typed answer that quotes nothing it was sent, and changes nothing', async () => {
    const clinicId = randomUUID();
    const context = bed.context(admin(clinicId));
    const bad: [Record<string, unknown>, string][] = [
      [{ offsetsMinutes: [14] }, 'offsetsMinutes'],
      [{ offsetsMinutes: [20161] }, 'offsetsMinutes'],
      [{ offsetsMinutes: [60.5] }, 'offsetsMinutes'],
      [{ offsetsMinutes: [60, 60] }, 'offsetsMinutes'],
      [{ offsetsMinutes: [15, 30, 45, 60, 75] }, 'offsetsMinutes'],
      [{ channels: ['sms', 'sms'] }, 'channels'],
      [{ channels: [CANARY] }, 'channels'],
      [{ clinicId: CANARY }, 'clinicId'],
    ];
    for (const [change, field] of bad) {
      const answer = await setReminderSettings(
        { clinicId, offsetsMinutes: [60], channels: ['sms'], idempotencyKey: key(), ...change } as Parameters<
          typeof setReminderSettings
        >[0],
        context,
      );
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field });
      expect(JSON.stringify(answer)).not.toContain(CANARY);
    }
    expect(await bed.db.clinicReminderSettings.findUnique({ where: { clinicId } })).toBeNull();
  });

  it("refuses another clinic's staff, doctors and patients; a system administrator may set any clinic's", async () => {
    const clinicId = randomUUID();
    const input = { clinicId, offsetsMinutes: [60], channels: ['sms'], idempotencyKey: key() };
    for (const identity of [
      admin(randomUUID()),
      { role: 'Doctor', subject: 'doc-1', clinicId } as Identity,
      { role: 'Patient', subject: randomUUID() } as Identity,
    ]) {
      expect(await setReminderSettings(input, bed.context(identity))).toMatchObject({
        __typename: 'NotAllowed',
      });
      expect(await readReminderSettings(bed.context(identity), clinicId)).toMatchObject({
        __typename: 'NotAllowed',
      });
    }
    expect(await bed.db.clinicReminderSettings.findUnique({ where: { clinicId } })).toBeNull();
    const sysadmin: Identity = { role: 'SystemAdministrator', subject: 'root' };
    expect(await setReminderSettings(input, bed.context(sysadmin))).toMatchObject({
      __typename: 'ReminderSettings',
    });
    await expect(readReminderSettings(bed.context(null), clinicId)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
