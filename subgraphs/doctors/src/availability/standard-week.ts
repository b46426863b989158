import { createHash } from 'node:crypto';

/**
 * Monday-to-Friday 09:00-17:00 rules for a doctor, as rows: what the seed gives every doctor so their
 * rules agree with the slots it writes. Ids are derived from the doctor id (UUIDv8, RFC 9562: a name-based
 * id from SHA-256), so the same seed gives the same rows.
 */
export function standardWeekRules(doctorId: string, slotMinutes: number) {
  return [1, 2, 3, 4, 5].map((weekday) => ({
    id: nameBasedUuid(`availability-rule:${doctorId}:${weekday}`),
    doctorId,
    weekday,
    startLocal: new Date('1970-01-01T09:00:00Z'),
    endLocal: new Date('1970-01-01T17:00:00Z'),
    slotMinutes,
  }));
}

function nameBasedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '8'; // version 8
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16); // RFC 4122 variant
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
