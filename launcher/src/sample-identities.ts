import { connectAppointmentsDatabase } from '@clinic/appointments-subgraph';
import { connectDoctorsDatabase } from '@clinic/doctors-subgraph';
import type { DatabaseName, Identity } from '@clinic/contracts';

/** One identity per role, drawn from the seeded data, for ready-to-paste development tokens. */
export async function sampleIdentities(urls: Record<DatabaseName, string>): Promise<Identity[]> {
  const doctors = connectDoctorsDatabase(urls.doctors);
  const appointments = connectAppointmentsDatabase(urls.appointments);
  try {
    const clinic = await doctors.clinic.findFirst({ orderBy: { name: 'asc' } });
    const doctor =
      clinic &&
      (await doctors.doctor.findFirst({ where: { clinicId: clinic.id }, orderBy: { familyName: 'asc' } }));
    const booking = await appointments.appointment.findFirst({
      where: { start: { gt: new Date() }, status: 'booked' },
      orderBy: [{ start: 'asc' }, { id: 'asc' }],
    });
    const identities: Identity[] = [];
    if (booking) identities.push({ role: 'Patient', subject: booking.clientId });
    if (doctor) identities.push({ role: 'Doctor', subject: doctor.id, clinicId: doctor.clinicId });
    if (clinic) {
      identities.push({ role: 'ClinicAdmin', subject: 'staff-clinic-admin-1', clinicId: clinic.id });
      identities.push({ role: 'PracticeManager', subject: 'staff-practice-manager-1', clinicId: clinic.id });
    }
    identities.push({ role: 'SystemAdministrator', subject: 'staff-sysadmin-1' });
    return identities;
  } finally {
    await Promise.all([doctors.$disconnect(), appointments.$disconnect()]);
  }
}
