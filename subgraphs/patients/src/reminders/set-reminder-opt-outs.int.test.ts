import { randomUUID } from 'node:crypto';
import type { Identity } from '@clinic/contracts';
import { vaultTestBed, type VaultTestBed } from '../vault/testing/vault-test-bed';
import { setReminderOptOuts } from './set-reminder-opt-outs';

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

describe('setReminderOptOuts', () => {
  it('sets the full set of opted-out channels for the signed-in patient only; a replay answers the same', async () => {
    const clientId = randomUUID();
    await bed.db.patient.create({ data: { clientId, preferredChannel: 'sms' } });
    const patient: Identity = { role: 'Patient', subject: clientId };
    const k = key();
    expect(await setReminderOptOuts(['email', 'sms'], k, bed.context(patient))).toEqual({
      __typename: 'ReminderOptOuts',
      channels: ['sms', 'email'],
    });
    expect(await setReminderOptOuts(['email', 'sms'], k, bed.context(patient))).toMatchObject({
      channels: ['sms', 'email'],
    });
    expect((await bed.db.patient.findUnique({ where: { clientId } }))?.reminderOptOuts).toEqual([
      'sms',
      'email',
    ]);
    expect(await setReminderOptOuts([], key(), bed.context(patient))).toMatchObject({ channels: [] });
    expect((await bed.db.patient.findUnique({ where: { clientId } }))?.reminderOptOuts).toEqual([]);
  });

  it('refuses staff, unknown channels (quoting none of them) and an unregistered patient, changing nothing', async () => {
    const clientId = randomUUID();
    await bed.db.patient.create({ data: { clientId, preferredChannel: 'email' } });
    const patient = bed.context({ role: 'Patient', subject: clientId });
    for (const channels of [[CANARY], ['sms', 'sms']]) {
      const answer = await setReminderOptOuts(channels, key(), patient);
      expect(answer).toMatchObject({ __typename: 'InvalidInput', field: 'channels' });
      expect(JSON.stringify(answer)).not.toContain(CANARY);
    }
    expect(await setReminderOptOuts(['sms'], key(), bed.context(admin(randomUUID())))).toMatchObject({
      __typename: 'NotAllowed',
    });
    expect(
      await setReminderOptOuts(['sms'], key(), bed.context({ role: 'Patient', subject: randomUUID() })),
    ).toMatchObject({
      __typename: 'NotAllowed',
    });
    expect((await bed.db.patient.findUnique({ where: { clientId } }))?.reminderOptOuts).toEqual([]);
  });
});
