import { connectAppointmentsDatabase, type AppointmentsDatabase } from '@clinic/appointments-subgraph';
import { DateTime } from 'luxon';
import { eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../../subgraphs/doctors/src/database';

// End to end on the embedded system: a blocked morning entered in the doctors service reaches the
// appointments service's slots through the outbox, the bus and its availability consumer.
let system: TestSystem;
let doctors: DoctorsDatabase;
let appointments: AppointmentsDatabase;

beforeAll(async () => {
  system = await startTestSystem({ clinics: 2, doctors: 2, patients: 2, appointments: 0, days: 10 });
  doctors = connectDoctorsDatabase(system.databaseUrls.doctors);
  appointments = connectAppointmentsDatabase(system.databaseUrls.appointments);
}, 180_000);
afterAll(async () => {
  await doctors?.$disconnect();
  await appointments?.$disconnect();
  await system?.stop();
});

describe('a blocked morning in the doctors service', () => {
  it('takes that morning out of the free slots and leaves the afternoon free', async () => {
    const slot = await appointments.slot.findFirstOrThrow({
      where: { status: 'free', start: { gt: new Date(Date.now() + 3 * 864e5) } },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    const doctor = await doctors.doctor.findUniqueOrThrow({
      where: { id: slot.doctorId },
      include: { clinic: true },
    });
    const day = DateTime.fromJSDate(slot.start, { zone: doctor.clinic.timeZone }).startOf('day');
    const morning = { start: day.set({ hour: 9 }).toJSDate(), end: day.set({ hour: 12 }).toJSDate() };
    const admin = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-admin-1',
      clinicId: doctor.clinicId,
    });

    const { body } = await system.graphql(
      `mutation($input: AddAvailabilityExceptionInput!) { addAvailabilityException(input: $input) { __typename } }`,
      {
        token: admin,
        variables: {
          input: {
            doctorId: doctor.id,
            startsAt: morning.start.toISOString(),
            endsAt: morning.end.toISOString(),
            kind: 'blocked',
            reasonCode: 'training',
            idempotencyKey: 'blocked-morning-0001',
          },
        },
      },
    );
    expect(body.data?.['addAvailabilityException']).toEqual({ __typename: 'AvailabilityExceptionAdded' });

    const onThatDay = (status: 'free' | 'busy_unavailable') =>
      appointments.slot.count({
        where: {
          doctorId: doctor.id,
          status,
          start: { gte: day.toJSDate(), lt: day.plus({ days: 1 }).toJSDate() },
        },
      });
    await eventually(async () => ((await onThatDay('busy_unavailable')) > 0 ? true : undefined), 60_000);
    const freeMorning = await appointments.slot.count({
      where: { doctorId: doctor.id, status: 'free', start: { gte: morning.start, lt: morning.end } },
    });
    expect(freeMorning).toBe(0);
    expect(await onThatDay('busy_unavailable')).toBe(6); // 09:00-12:00 in half hours
    expect(await onThatDay('free')).toBe(10); // 12:00-17:00

    const query = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
      availabilityExceptions(doctorId: $id, from: $from, to: $to) { kind reasonCode startsAt endsAt }
    }`;
    const variables = { id: doctor.id, from: day.toUTC().toISO(), to: day.plus({ days: 1 }).toUTC().toISO() };
    const listed = await system.graphql(query, { token: admin, variables });
    expect(listed.body.data?.['availabilityExceptions']).toEqual([
      {
        kind: 'blocked',
        reasonCode: 'training',
        startsAt: morning.start.toISOString(),
        endsAt: morning.end.toISOString(),
      },
    ]);
    const elsewhere = await system.token({
      role: 'Doctor',
      subject: '00000000-0000-4000-8000-000000000009',
      clinicId: '00000000-0000-4000-8000-00000000000c',
    });
    const refused = await system.graphql(query, { token: elsewhere, variables });
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });
});
