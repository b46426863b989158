export { startDoctorsService, type DoctorsServiceOptions } from './service';
export { connectDoctorsDatabase, type DoctorsDatabase } from './database';
export { standardWeekRules } from './availability/standard-week';
export { republishAllAvailability, rollAvailabilityForward } from './availability/roll-forward';
