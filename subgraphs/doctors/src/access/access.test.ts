import type { Identity } from '@clinic/contracts';
import { mayChangeAvailability, type AvailabilityAction } from './access';

const doctor = {
  id: '6f1c0000-0000-4000-8000-000000000001',
  clinicId: 'c1110000-0000-4000-8000-000000000001',
};
const otherClinic = 'c2220000-0000-4000-8000-000000000002';

const cases: [string, Identity, AvailabilityAction[]][] = [
  [
    'a system administrator',
    { role: 'SystemAdministrator', subject: 's' },
    ['read', 'set-rules', 'add-blocked', 'set-status'],
  ],
  [
    'a clinic administrator of the clinic',
    { role: 'ClinicAdmin', subject: 's', clinicId: doctor.clinicId },
    ['read', 'set-rules', 'add-leave', 'add-blocked', 'remove-blocked', 'set-status'],
  ],
  [
    'a practice manager of the clinic',
    { role: 'PracticeManager', subject: 's', clinicId: doctor.clinicId },
    ['read', 'set-rules', 'set-status'],
  ],
  [
    'the doctor',
    { role: 'Doctor', subject: doctor.id, clinicId: doctor.clinicId },
    ['read', 'add-leave', 'remove-leave'],
  ],
  [
    'another doctor of the clinic',
    { role: 'Doctor', subject: 'someone-else', clinicId: doctor.clinicId },
    ['read'],
  ],
];
const denied: [string, Identity, AvailabilityAction[]][] = [
  [
    'a clinic administrator of another clinic',
    { role: 'ClinicAdmin', subject: 's', clinicId: otherClinic },
    ['read', 'set-rules', 'add-leave', 'set-status'],
  ],
  [
    'the doctor',
    { role: 'Doctor', subject: doctor.id, clinicId: doctor.clinicId },
    ['set-rules', 'add-blocked', 'remove-blocked', 'set-status'],
  ],
  [
    'another doctor of the clinic',
    { role: 'Doctor', subject: 'someone-else', clinicId: doctor.clinicId },
    ['add-leave', 'remove-leave'],
  ],
  ['a patient', { role: 'Patient', subject: doctor.id }, ['read', 'add-leave', 'set-rules']],
];

describe('mayChangeAvailability', () => {
  it.each(cases)('allows %s', (_who, identity, actions) => {
    for (const action of actions)
      expect([action, mayChangeAvailability(identity, doctor, action)]).toEqual([action, true]);
  });
  it.each(denied)('denies %s', (_who, identity, actions) => {
    for (const action of actions)
      expect([action, mayChangeAvailability(identity, doctor, action)]).toEqual([action, false]);
  });
});
