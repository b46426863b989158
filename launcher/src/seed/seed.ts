import { Faker, en_AU, en, base } from '@faker-js/faker';
import { DateTime } from 'luxon';
import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { connectDoctorsDatabase, standardWeekRules } from '@clinic/doctors-subgraph';
import {
  connectPatientsDatabase,
  connectVaultDatabase,
  storePatientDetails,
  type VaultKeys,
} from '@clinic/patients-subgraph';
import type { DatabaseName } from '@clinic/contracts';

/** Clinics across Australia's time zones: DST and no DST, and Adelaide's and Darwin's half hours. */
const CLINIC_SITES = [
  { suburb: 'Surry Hills', state: 'NSW', timeZone: 'Australia/Sydney' },
  { suburb: 'Fitzroy', state: 'VIC', timeZone: 'Australia/Melbourne' },
  { suburb: 'Fortitude Valley', state: 'QLD', timeZone: 'Australia/Brisbane' },
  { suburb: 'Norwood', state: 'SA', timeZone: 'Australia/Adelaide' },
  { suburb: 'Subiaco', state: 'WA', timeZone: 'Australia/Perth' },
  { suburb: 'Sandy Bay', state: 'TAS', timeZone: 'Australia/Hobart' },
  { suburb: 'Parap', state: 'NT', timeZone: 'Australia/Darwin' },
  { suburb: 'Braddon', state: 'ACT', timeZone: 'Australia/Sydney' },
] as const;

const SPECIALTIES = [
  'General Practice',
  'General Practice',
  'General Practice',
  'Paediatrics',
  "Women's Health",
  'Sports Medicine',
  'Mental Health',
  'Skin Checks',
];

/** Landline area codes of the eastern, central and western states. */
const AREA_CODES = ['2', '3', '7', '8'] as const;

export interface SeedOptions {
  clinics: number;
  doctors: number;
  patients: number;
  /** Appointments to book, spread over the patients. */
  appointments: number;
  days: number;
  slotMinutes: number;
  /** The first day of slots (clinic-local dates); tomorrow by default. */
  from: string;
  seed: number;
}

export const DEFAULT_SEED: SeedOptions = {
  clinics: 6,
  doctors: 30,
  patients: 200,
  appointments: 300,
  days: 30,
  slotMinutes: 30,
  from: DateTime.utc().plus({ days: 1 }).toISODate() ?? '',
  seed: 20261124,
};

export interface SeedSummary {
  clinics: number;
  doctors: number;
  slots: number;
  patients: number;
  appointments: number;
}

/**
 * Fills the databases with realistic, deterministic mock data (same options, same rows). Personal
 * information exists only in the vault, and none of it belongs to a real person: names come from
 * faker, emails use example domains, phone numbers use the ranges ACMA reserves for fiction.
 */
export async function seed(
  urls: Record<DatabaseName, string>,
  options: SeedOptions,
  progress = (_line: string) => {},
  /** The keys the patients service runs with (the seed seals its mock patients with them). */
  keys: VaultKeys,
): Promise<SeedSummary> {
  const faker = new Faker({ locale: [en_AU, en, base], seed: options.seed });
  const doctorsDb = connectDoctorsDatabase(urls.doctors);
  const appointmentsDb = connectAppointmentsDatabase(urls.appointments);
  const patientsDb = connectPatientsDatabase(urls.patients);
  const vault = connectVaultDatabase(urls.pii_vault);
  try {
    const clinics = Array.from({ length: options.clinics }, (_, index) => {
      const site = cycle(CLINIC_SITES, index);
      const round = Math.floor(index / CLINIC_SITES.length);
      return {
        id: faker.string.uuid(),
        name: `${site.suburb} ${round === 0 ? 'Medical Centre' : `Family Practice ${round + 1}`}`,
        suburb: site.suburb,
        state: site.state,
        timeZone: site.timeZone,
      };
    });
    const doctors = Array.from({ length: options.doctors }, (_, index) => ({
      id: faker.string.uuid(),
      clinicId: cycle(clinics, index).id,
      givenName: faker.person.firstName(),
      familyName: faker.person.lastName(),
      specialty: faker.helpers.arrayElement(SPECIALTIES),
      // Every other doctor of each clinic, its first included, offers telehealth: by position, so the
      // faker draws (and every other row) stay as they were.
      offersTelehealth: Math.floor(index / clinics.length) % 2 === 0,
      // The seeded slots below are what has been published so far: the doctors service rolls on from here.
      availabilityPublishedUntil: DateTime.fromISO(options.from, { zone: cycle(clinics, index).timeZone })
        .startOf('day')
        .plus({ days: options.days })
        .toJSDate(),
    }));
    await doctorsDb.clinic.createMany({ data: clinics });
    await doctorsDb.doctor.createMany({ data: doctors });
    // The doctors service's rules for the same hours as the slots below, so the two agree.
    if (options.slotMinutes >= 5 && options.slotMinutes <= 240) {
      await doctorsDb.availabilityRule.createMany({
        data: doctors.flatMap((doctor) => standardWeekRules(doctor.id, options.slotMinutes)),
      });
    }
    progress(`${clinics.length} clinics, ${doctors.length} doctors`);

    const slots = doctors.flatMap((doctor, index) => {
      const clinic = cycle(clinics, index); // the clinic the doctor was given above
      return weekdaySlots(clinic.timeZone, options).map(({ start, end }) => ({
        id: faker.string.uuid(),
        doctorId: doctor.id,
        clinicId: clinic.id,
        start,
        end,
        status: 'free' as const,
        telehealth: doctor.offersTelehealth,
      }));
    });

    const patients = Array.from({ length: options.patients }, (_, index) => {
      const givenName = faker.person.firstName();
      const familyName = faker.person.lastName();
      return {
        clientId: faker.string.uuid(),
        preferredChannel: faker.helpers.arrayElement(['sms', 'email'] as const),
        pii: {
          givenName,
          familyName,
          dateOfBirth: faker.date.birthdate({ mode: 'age', min: 18, max: 90, refDate: options.from }),
          // The vault refuses a second patient with the same email or phone: the index keeps them unique.
          email:
            `${faker.internet.username({ firstName: givenName, lastName: familyName })}.${index}@example.com`.toLowerCase(),
          // (0x) 5550 xxxx is a block the ACMA sets aside for use in fiction: no real line answers.
          phone: `+61${AREA_CODES[index % AREA_CODES.length]}5550${String(Math.floor(index / AREA_CODES.length) % 10_000).padStart(4, '0')}`,
          address: `${faker.location.streetAddress()}, ${faker.location.city()}`,
        },
      };
    });
    await patientsDb.patient.createMany({
      data: patients.map(({ clientId, preferredChannel }) => ({ clientId, preferredChannel })),
    });
    // Sealed through the vault's own API: each patient gets a data key, every field is encrypted.
    for (let offset = 0; offset < patients.length; offset += 1000) {
      const batch = patients.slice(offset, offset + 1000).map(({ clientId, pii }) => ({
        clientId,
        details: { ...pii, dateOfBirth: pii.dateOfBirth.toISOString().slice(0, 10), ihi: null },
      }));
      await storePatientDetails(vault, keys, batch);
    }
    progress(`${patients.length} patients (personal details in the vault only)`);

    const booked = new Set<number>();
    // A patient is never in two places at once (the database refuses it): remember their start times.
    const patientBusy = new Map<string, Set<number>>();
    const appointments = [];
    const wanted = Math.min(options.appointments, slots.length, patients.length > 0 ? Infinity : 0);
    for (let attempts = 0; appointments.length < wanted && attempts < wanted * 20; attempts++) {
      const index = faker.number.int({ min: 0, max: slots.length - 1 });
      if (booked.has(index)) continue;
      const slot = cycle(slots, index);
      const clientId: string = cycle(patients, appointments.length).clientId;
      const busy = patientBusy.get(clientId) ?? new Set<number>();
      if (busy.has(slot.start.getTime())) continue;
      busy.add(slot.start.getTime());
      patientBusy.set(clientId, busy);
      booked.add(index);
      slot.status = 'busy' as 'free';
      appointments.push({
        id: faker.string.uuid(),
        slotId: slot.id,
        doctorId: slot.doctorId,
        clinicId: slot.clinicId,
        clientId,
        start: slot.start,
        end: slot.end,
        status: 'booked' as const,
        // Some bookings with telehealth doctors are video or phone consultations.
        telehealth: slot.telehealth && appointments.length % 3 === 0,
        reasonForVisit: faker.helpers.arrayElement([
          'Check-up',
          'Repeat prescription',
          'Vaccination',
          'Follow-up',
          'Skin check',
          null,
        ]),
      });
    }
    // One array-valued INSERT per 20,000 slots: Prisma's createMany builds a parameter per column and
    // row, which made a 1,000-doctor seed spend minutes in the query builder.
    const SLOT_BATCH = 20_000;
    for (let offset = 0; offset < slots.length; offset += SLOT_BATCH) {
      const batch = slots.slice(offset, offset + SLOT_BATCH);
      await appointmentsDb.$executeRawUnsafe(
        `INSERT INTO slot (id, doctor_id, clinic_id, start, "end", status, telehealth)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::slot_status[],
                              $7::boolean[])`,
        batch.map((slot) => slot.id),
        batch.map((slot) => slot.doctorId),
        batch.map((slot) => slot.clinicId),
        batch.map((slot) => slot.start),
        batch.map((slot) => slot.end),
        batch.map((slot) => slot.status),
        batch.map((slot) => slot.telehealth),
      );
      progress(`slots ${Math.min(offset + SLOT_BATCH, slots.length)}/${slots.length}`);
    }
    await appointmentsDb.appointment.createMany({ data: appointments });
    // Fresh statistics after a bulk load: without them the planner guesses a handful of rows and sorts
    // every free slot of the month instead of reading the (start, id) index (67 ms instead of 0.2 ms).
    await appointmentsDb.$executeRawUnsafe('ANALYZE slot, appointment');
    // The seeded bookings count as the patients' own, which links each patient to its clinic
    // (docs/policy.md): the links the patients service would have made, and the appointments service's
    // copy of them, so a clinic admin can book for their clinic's patients from the start.
    const links = [...new Set(appointments.map((row) => `${row.clientId}|${row.clinicId}`))].map((pair) => {
      const [clientId = '', clinicId = ''] = pair.split('|');
      return { clientId, clinicId };
    });
    await patientsDb.patientClinic.createMany({
      data: links.map((link) => ({ ...link, source: 'booking' as const })),
      skipDuplicates: true,
    });
    await appointmentsDb.clinicLink.createMany({ data: links, skipDuplicates: true });
    progress(`${appointments.length} appointments`);
    return {
      clinics: clinics.length,
      doctors: doctors.length,
      slots: slots.length,
      patients: patients.length,
      appointments: appointments.length,
    };
  } finally {
    await Promise.all([
      doctorsDb.$disconnect(),
      appointmentsDb.$disconnect(),
      patientsDb.$disconnect(),
      vault.$disconnect(),
    ]);
  }
}

/** The item at `index`, wrapping around: how rows are spread over clinics, doctors and patients. */
function cycle<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('nothing to choose from');
  return item;
}

/** Monday-to-Friday 09:00-17:00 in the clinic's own zone, so the instants follow its daylight saving. */
function weekdaySlots(timeZone: string, options: SeedOptions): { start: Date; end: Date }[] {
  const slots: { start: Date; end: Date }[] = [];
  const first = DateTime.fromISO(options.from, { zone: timeZone }).startOf('day');
  for (let day = 0; day < options.days; day++) {
    const date = first.plus({ days: day });
    if (date.weekday > 5) continue;
    for (let minute = 9 * 60; minute + options.slotMinutes <= 17 * 60; minute += options.slotMinutes) {
      const start = date.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      slots.push({ start: start.toJSDate(), end: start.plus({ minutes: options.slotMinutes }).toJSDate() });
    }
  }
  return slots;
}

export async function isSeeded(urls: Record<DatabaseName, string>): Promise<boolean> {
  const db = connectDoctorsDatabase(urls.doctors);
  try {
    return (await db.clinic.count()) > 0;
  } finally {
    await db.$disconnect();
  }
}
