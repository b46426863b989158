/** An Appointment as this subgraph sees it: only the key. */
export interface AppointmentReference {
  id: string;
}
