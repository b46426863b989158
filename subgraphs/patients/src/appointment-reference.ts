/** An Appointment as this subgraph sees it: its key plus the clientId it @requires from `appointments`. */
export interface AppointmentReference {
  id: string;
  clientId: string;
}
