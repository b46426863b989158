export { startAppointmentsService } from './service';
export { connectAppointmentsDatabase, type AppointmentsDatabase } from './database';
export { createAppointmentsRelay } from './events/relay';
export { parsePracticeGroups, type PracticeGroups } from './reassignment/practice-groups';
