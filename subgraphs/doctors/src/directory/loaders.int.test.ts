import { randomUUID } from 'node:crypto';
import { migratedTestDatabase } from '@clinic/testing';
import { connectDoctorsDatabase, type DoctorsDatabase } from '../database';
import { createDirectoryLoaders } from './loaders';

let db: DoctorsDatabase;
let drop: () => Promise<void>;
const statements: string[] = [];
const clinicIds = [randomUUID(), randomUUID()];
const doctorIds: string[] = [];

beforeAll(async () => {
  const database = await migratedTestDatabase('doctors');
  drop = database.drop;
  db = connectDoctorsDatabase(database.url, (sql) => statements.push(sql));
  for (const [i, id] of clinicIds.entries())
    await db.clinic.create({
      data: { id, name: `Clinic ${i}`, suburb: 'Fitzroy', state: 'VIC', timeZone: 'Australia/Melbourne' },
    });
  for (let i = 0; i < 6; i++) {
    const id = randomUUID();
    doctorIds.push(id);
    await db.doctor.create({
      data: {
        id,
        clinicId: clinicIds[i % 2]!,
        givenName: `Given${i}`,
        familyName: `Family${i}`,
        specialty: 'General Practice',
        status: i === 5 ? 'removed' : 'active',
        offersTelehealth: i % 3 === 0,
        availabilityPublishedUntil: i % 2 ? new Date('2027-01-01T00:00:00Z') : null,
      },
    });
  }
}, 60_000);
afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('the directory loaders', () => {
  it('load N doctors and their clinics in one statement, the rows as Prisma reads them', async () => {
    const loaders = createDirectoryLoaders(db);
    statements.length = 0;
    const missing = randomUUID();
    const doctors = await Promise.all(
      [...doctorIds, missing, 'not-a-uuid'].map((id) => loaders.doctor.load(id)),
    );
    const clinics = await Promise.all(
      doctors.slice(0, 6).map((doctor) => loaders.clinic.load(doctor!.clinicId)),
    );
    expect(statements).toHaveLength(1);

    const expectedDoctors = await db.doctor.findMany({ where: { id: { in: doctorIds } } });
    const expectedClinics = await db.clinic.findMany({ where: { id: { in: clinicIds } } });
    expect(doctors).toEqual([
      ...doctorIds.map((id) => expectedDoctors.find((doctor) => doctor.id === id)),
      null,
      null,
    ]);
    expect(clinics).toEqual(
      doctors.slice(0, 6).map((doctor) => expectedClinics.find((clinic) => clinic.id === doctor!.clinicId)),
    );
  });

  it('still reads a clinic asked for alone, and none for no valid id', async () => {
    const loaders = createDirectoryLoaders(db);
    statements.length = 0;
    expect(await loaders.clinic.load(clinicIds[0]!)).toMatchObject({ id: clinicIds[0], name: 'Clinic 0' });
    expect(statements).toHaveLength(1);
    statements.length = 0;
    expect(await loaders.doctor.load('not-a-uuid')).toBeNull();
    expect(statements).toHaveLength(0);
  });
});
