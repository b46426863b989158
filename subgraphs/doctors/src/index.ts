export { startDoctorsService, type DoctorsServiceOptions } from './service';
export { connectDoctorsDatabase, type DoctorsDatabase } from './database';
