import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, type TestDatabases, eventually } from '@clinic/testing';
import { startTestSystem, type TestSystem } from '../test-system';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  type PatientsDatabase,
  type VaultDatabase,
} from '../../subgraphs/patients/src/database';
import { readContactDetails } from '../../subgraphs/patients/src/vault/contact-details';

let databases: TestDatabases;
let system: TestSystem;
let db: PatientsDatabase;
let vault: VaultDatabase;

beforeAll(async () => {
  databases = await createTestDatabases();
  // Real PostgreSQL for every database, the in-process bus, the development sink.
  system = await startTestSystem(
    {},
    Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
  );
  db = connectPatientsDatabase(databases.urls.patients);
  vault = connectVaultDatabase(databases.urls.pii_vault);
}, 600_000);
afterAll(async () => {
  await Promise.all([db?.$disconnect(), vault?.$disconnect()]);
  await system?.stop();
  await databases?.drop();
});

async function appointmentsSql<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databases.urls.appointments });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

interface AppointmentRow {
  id: string;
  client_id: string;
  doctor_id: string;
  needs_attention: boolean;
}

describe('a doctor with appointments goes on leave', () => {
  it('tells each affected patient exactly once, and the clinic admins of any left without a doctor', async () => {
    const [busiest] = await appointmentsSql<{ doctor_id: string; booked: number }>(
      `SELECT doctor_id, count(*)::int AS booked FROM appointment WHERE status = 'booked' AND start > now()
       GROUP BY doctor_id ORDER BY booked DESC LIMIT 1`,
    );
    expect(busiest?.booked).toBeGreaterThan(0);
    const doctorId = busiest!.doctor_id;
    const affected = await appointmentsSql<{ id: string }>(
      `SELECT id FROM appointment WHERE status = 'booked' AND start > now() AND doctor_id = $1`,
      [doctorId],
    );
    const ids = affected.map((row) => row.id);

    const admin = await system.token({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
    const response = await system.graphql(
      `mutation($input: SetDoctorStatusInput!) { setDoctorStatus(input: $input) { __typename } }`,
      {
        token: admin,
        variables: { input: { doctorId, status: 'unavailable', idempotencyKey: randomUUID() } },
      },
    );
    expect(response.body.data?.['setDoctorStatus']).toEqual({ __typename: 'DoctorStatusSet' });

    // Each appointment either moved to another doctor or was flagged; then its messages were sent.
    const moved = await eventually(async () => {
      const rows = await appointmentsSql<AppointmentRow>(
        `SELECT id, client_id, doctor_id, needs_attention_since IS NOT NULL AS needs_attention
         FROM appointment WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows.every((row) => row.doctor_id !== doctorId || row.needs_attention) ? rows : undefined;
    }, 300_000);
    const flagged = moved.filter((row) => row.needs_attention).length;
    const expected = moved.length + flagged;
    const notifications = await eventually(async () => {
      const rows = await db.notification.findMany({ where: { appointmentId: { in: ids } } });
      return rows.length === expected && rows.every((row) => row.status === 'sent') ? rows : undefined;
    }, 300_000);

    const sink = await eventually(async () => {
      // The page is the gateway's, for a system administrator only.
      const page = await fetch(system.notificationsPage!, { headers: { authorization: `Bearer ${admin}` } });
      return page.ok ? page.text() : undefined;
    });
    for (const appointment of moved) {
      const mine = notifications.filter((row) => row.appointmentId === appointment.id);
      const toPatient = mine.filter((row) => row.recipient === 'patient');
      expect(toPatient).toHaveLength(1);
      expect(toPatient[0]).toMatchObject({
        clientId: appointment.client_id,
        reason: appointment.needs_attention ? 'needs_attention' : 'reassigned',
      });
      expect(mine.filter((row) => row.recipient === 'clinic_admins')).toHaveLength(
        appointment.needs_attention ? 1 : 0,
      );
      // The page lists every message, once, to the address the vault holds for the patient's channel.
      const contact = await readContactDetails(vault, system.vaultKeys.masterKey, appointment.client_id);
      const address = toPatient[0]!.channel === 'sms' ? contact!.phone : contact!.email;
      expect(sink.split(toPatient[0]!.id)).toHaveLength(2);
      expect(sink).toContain(address);
    }
    // The seeded clinics have free doctors: at least one appointment moved, and its message names them.
    const reassigned = notifications.find((row) => row.reason === 'reassigned');
    expect(reassigned).toBeDefined();
    if (reassigned) {
      const [row] = await appointmentsSql<{ doctor_id: string }>(
        'SELECT doctor_id FROM appointment WHERE id = $1',
        [reassigned.appointmentId],
      );
      const doctor = await system.graphql(`query($id: ID!) { doctor(id: $id) { name } }`, {
        variables: { id: row!.doctor_id },
      });
      const name = (doctor.body.data?.['doctor'] as { name: string }).name;
      expect(sink).toContain(`is now with ${name}, at the same time`);
    }
  }, 300_000);
});

describe('the notifications query', () => {
  const query = `query($clientId: ID) { notifications(clientId: $clientId) {
    id reason recipient clientId clinicId channel status attempts appointmentId appointmentStart queuedAt sentAt } }`;
  type Listed = { id: string; recipient: string; clientId: string | null; clinicId: string; status: string };
  const list = async (token: string, clientId?: string) => {
    const response = await system.graphql(query, { token, variables: clientId ? { clientId } : {} });
    return {
      rows: (response.body.data?.['notifications'] ?? null) as Listed[] | null,
      errors: response.body.errors,
    };
  };

  it("shows a patient their own messages and clinic staff their clinic's, with no address or text", async () => {
    const sent = await db.notification.findMany({ where: { recipient: 'patient' } });
    expect(sent.length).toBeGreaterThan(0);
    const { clientId, clinicId } = sent[0]!;
    const patient = await system.token({ role: 'Patient', subject: clientId! });
    const own = await list(patient);
    expect(own.rows?.map((row) => row.id).sort()).toEqual(
      sent
        .filter((row) => row.clientId === clientId)
        .map((row) => row.id)
        .sort(),
    );
    expect(own.rows?.every((row) => row.status === 'sent' && row.recipient === 'patient')).toBe(true);

    const clinicAdmin = await system.token({ role: 'ClinicAdmin', subject: 'staff-admin-1', clinicId });
    const clinics = await list(clinicAdmin);
    const all = await db.notification.findMany({ where: { clinicId } });
    expect(clinics.rows?.map((row) => row.id).sort()).toEqual(all.map((row) => row.id).sort());

    const otherClinic = await system.token({
      role: 'ClinicAdmin',
      subject: 'staff-admin-2',
      clinicId: randomUUID(),
    });
    expect((await list(otherClinic, clientId!)).rows).toEqual([]);
  });

  it("refuses another patient's messages, doctors and anonymous callers", async () => {
    const [row] = await db.notification.findMany({ where: { recipient: 'patient' }, take: 1 });
    const stranger = await system.token({ role: 'Patient', subject: randomUUID() });
    expect((await list(stranger, row!.clientId!)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const doctor = await system.token({ role: 'Doctor', subject: 'staff-doctor-1', clinicId: row!.clinicId });
    expect((await list(doctor)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const anonymous = await system.graphql(query);
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
