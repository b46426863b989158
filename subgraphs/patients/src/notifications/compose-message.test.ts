import { composeMessage, formatWhen } from './compose-message';

const base = {
  appointmentId: '019ab1c2-0000-7000-8000-0000000000aa',
  // 9:00 am in Sydney (AEDT, UTC+11) on Wednesday 2 December 2026.
  appointmentStart: new Date('2026-12-01T22:00:00Z'),
  clinic: { name: 'Bondi Junction Family Clinic', timeZone: 'Australia/Sydney' },
  doctorName: 'Dr Jane Citizen',
};

describe('composeMessage', () => {
  it('tells a re-assigned patient the new doctor and the unchanged time in the clinic zone', () => {
    const { subject, body } = composeMessage({ ...base, reason: 'reassigned', recipient: 'patient' });
    expect(subject).toBe('Your appointment has a new doctor');
    expect(body).toBe(
      'Your appointment at Bondi Junction Family Clinic on Wed, 2 Dec 2026, 9:00 am is now with Dr Jane Citizen, ' +
        'at the same time. No need to do anything.',
    );
  });

  it('says "another doctor" and gives UTC when the clinic directory did not answer', () => {
    const { body } = composeMessage({
      ...base,
      clinic: null,
      doctorName: null,
      reason: 'reassigned',
      recipient: 'patient',
    });
    expect(body).toBe(
      'Your appointment on Tue, 1 Dec 2026, 10:00 pm UTC is now with another doctor, at the same time. No need to do anything.',
    );
  });

  it('tells the patient of an appointment needing attention that the clinic will call', () => {
    const { body } = composeMessage({ ...base, reason: 'needs_attention', recipient: 'patient' });
    expect(body).toContain('no other doctor is free then');
    expect(body).toContain('Wed, 2 Dec 2026, 9:00 am');
  });

  it('tells a patient whose appointment needed attention that it is back with their doctor', () => {
    const { subject, body } = composeMessage({ ...base, reason: 'returned', recipient: 'patient' });
    expect(subject).toBe('Your appointment is going ahead');
    expect(body).toBe(
      'Good news: your appointment at Bondi Junction Family Clinic on Wed, 2 Dec 2026, 9:00 am is back with ' +
        'Dr Jane Citizen. No need to do anything.',
    );
  });

  it('reminds the patient of the time in the clinic zone, the clinic and the doctor, nothing clinical', () => {
    const { subject, body } = composeMessage({ ...base, reason: 'reminder', recipient: 'patient' });
    expect(subject).toBe('Appointment reminder');
    expect(body).toBe(
      'Reminder: your appointment at Bondi Junction Family Clinic on Wed, 2 Dec 2026, 9:00 am with ' +
        'Dr Jane Citizen. If you cannot come, please let the clinic know.',
    );
    // Perth has no daylight saving: the same instant is 7:00 am there.
    const perth = composeMessage({
      ...base,
      clinic: { name: 'Perth Clinic', timeZone: 'Australia/Perth' },
      reason: 'reminder',
      recipient: 'patient',
    });
    expect(perth.body).toContain('Wed, 2 Dec 2026, 6:00 am');
  });

  it('links a reminder email to the page with the token in the fragment, when there is a link', () => {
    const url = 'https://clinic.example/reminder#' + 'A'.repeat(43);
    const { body } = composeMessage({ ...base, reason: 'reminder', recipient: 'patient', replyUrl: url });
    expect(body).toContain(`open ${url} (it asks before it does anything)`);
    expect(body).not.toContain('please let the clinic know');
  });

  it('asks for C or X in an SMS reminder only when replies reach us, and helps once with the same words', () => {
    const twoWay = composeMessage({ ...base, reason: 'reminder', recipient: 'patient', smsReply: true });
    expect(twoWay.body).toContain('Reply C to confirm or X to cancel.');
    const oneWay = composeMessage({ ...base, reason: 'reminder', recipient: 'patient' });
    expect(oneWay.body).not.toContain('Reply C');
    expect(oneWay.body).toContain('please let the clinic know');
    const unclear = composeMessage({ ...base, reason: 'reminder_unclear', recipient: 'patient' });
    expect(unclear.body).toContain('could not tell which one');
    expect(unclear.body).not.toContain(base.appointmentId);
    const help = composeMessage({ ...base, reason: 'reminder_help', recipient: 'patient' });
    expect(help.body).toContain('reply C to confirm or X to cancel');
    expect(help.body).toContain('Wed, 2 Dec 2026');
  });

  it('gives clinic admins the appointment id and time only', () => {
    const { subject, body } = composeMessage({
      ...base,
      reason: 'needs_attention',
      recipient: 'clinic_admins',
    });
    expect(subject).toBe('Appointment needs attention');
    expect(body).toContain(base.appointmentId);
    expect(body).toContain('Wed, 2 Dec 2026, 9:00 am');
  });
});

describe('formatWhen', () => {
  it('keeps the wall-clock time across zones with and without daylight saving', () => {
    const instant = new Date('2026-12-01T23:00:00Z');
    expect(formatWhen(instant, 'Australia/Sydney')).toBe('Wed, 2 Dec 2026, 10:00 am');
    expect(formatWhen(instant, 'Australia/Brisbane')).toBe('Wed, 2 Dec 2026, 9:00 am');
    expect(formatWhen(instant, 'Australia/Perth')).toBe('Wed, 2 Dec 2026, 7:00 am');
  });

  // Waitlist (issue 19).
  it('offers a waitlisted patient the freed time in the clinic zone, with no doctor or clinical word', () => {
    const { subject, body } = composeMessage({ ...base, reason: 'waitlist_offer', recipient: 'patient' });
    expect(subject).toBe('A time has come up for you');
    expect(body).toBe(
      'A time at Bondi Junction Family Clinic on Wed, 2 Dec 2026, 9:00 am has come up from the waitlist. ' +
        'Open the app to claim it soon: the offer lapses, and others may be offered it too.',
    );
  });
});
