export { startDoctorsService } from './service';
export { connectDoctorsDatabase } from './database';
export { standardWeekRules } from './availability/standard-week';
export { republishAllAvailability } from './availability/roll-forward';
