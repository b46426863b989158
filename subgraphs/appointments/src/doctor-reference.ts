/** A Doctor as this subgraph knows it: only the key; the doctors subgraph resolves the rest. */
export interface DoctorReference {
  id: string;
}
