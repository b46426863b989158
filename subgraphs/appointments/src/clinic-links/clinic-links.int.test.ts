import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EventEnvelope, Identity } from '@clinic/contracts';
import { applyMigrations, createEvent } from '@clinic/platform';
import { createTestDatabases, type TestDatabases } from '@clinic/testing';
import { connectAppointmentsDatabase, type AppointmentsDatabase } from '../database';
import { staffMayActFor } from '../access/access';
import { applyClinicLinks, CLINIC_LINKS_CONSUMER } from './clinic-links';

let databases: TestDatabases;
let db: AppointmentsDatabase;
beforeAll(async () => {
  databases = await createTestDatabases(['appointments']);
  await applyMigrations(
    databases.urls.appointments,
    path.resolve(__dirname, '../../../../prisma/appointments/migrations'),
  );
  db = connectAppointmentsDatabase(databases.urls.appointments);
}, 600_000);
afterAll(async () => {
  await db?.$disconnect();
  await databases?.drop();
});

const actor = { role: 'System', subject: 'test' } as const;
const linked = (clientId: string, clinicId: string): EventEnvelope =>
  createEvent({
    type: 'patient.clinic-linked',
    aggregateId: clientId,
    actor,
    payload: { clientId, clinicId },
  });
const unlinked = (clientId: string, clinicId: string): EventEnvelope =>
  createEvent({
    type: 'patient.clinic-unlinked',
    aggregateId: clientId,
    actor,
    payload: { clientId, clinicId },
  });
const erased = (clientId: string): EventEnvelope =>
  createEvent({ type: 'patient.erased', aggregateId: clientId, actor, payload: { clientId } });
const linksOf = async (clientId: string) =>
  (await db.clinicLink.findMany({ where: { clientId }, orderBy: { clinicId: 'asc' } })).map(
    (row) => row.clinicId,
  );

describe("the appointments service's copy of the clinic links", () => {
  it('follows linked, unlinked and erased events in order, each exactly once', async () => {
    const clientId = randomUUID();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = linked(clientId, a);
    expect(
      await applyClinicLinks(db, [first, linked(clientId, b), linked(clientId, c), unlinked(clientId, b)]),
    ).toBe(4);
    expect(await linksOf(clientId)).toEqual([a, c].sort());
    // A redelivered link after its unlink changes nothing: the inbox knows it.
    expect(await applyClinicLinks(db, [first])).toBe(0);
    expect(await db.inboxEntry.count({ where: { eventId: first.id, consumer: CLINIC_LINKS_CONSUMER } })).toBe(
      1,
    );
    await applyClinicLinks(db, [erased(clientId)]);
    expect(await linksOf(clientId)).toEqual([]);
  });

  it('lets staff act only for patients linked to their clinic, with one answer for unlinked and unknown', async () => {
    const clientId = randomUUID();
    const clinicId = randomUUID();
    await applyClinicLinks(db, [linked(clientId, clinicId)]);
    const staff = (role: Identity['role'], clinic?: string): Identity => ({
      role,
      subject: `${role}-1`,
      ...(clinic ? { clinicId: clinic } : {}),
    });
    expect(await staffMayActFor(db, staff('ClinicAdmin', clinicId), clientId)).toBeNull();
    expect(await staffMayActFor(db, staff('PracticeManager', clinicId), clientId)).toBeNull();
    expect(await staffMayActFor(db, { role: 'Patient', subject: clientId }, clientId)).toBeNull();
    const unlinkedAnswer = await staffMayActFor(db, staff('ClinicAdmin', randomUUID()), clientId);
    expect(unlinkedAnswer).toMatchObject({ __typename: 'NotAllowed' });
    expect(await staffMayActFor(db, staff('ClinicAdmin', clinicId), randomUUID())).toEqual(unlinkedAnswer);
    expect(await staffMayActFor(db, staff('ClinicAdmin', clinicId), 'not-a-uuid')).toEqual(unlinkedAnswer);
    for (const refused of [staff('ClinicAdmin'), staff('Doctor', clinicId), staff('SystemAdministrator')])
      expect(await staffMayActFor(db, refused, clientId)).toMatchObject({ __typename: 'NotAllowed' });
    expect(await staffMayActFor(db, { role: 'Patient', subject: randomUUID() }, clientId)).toMatchObject({
      __typename: 'NotAllowed',
    });
  });
});
