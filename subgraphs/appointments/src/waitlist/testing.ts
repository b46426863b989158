import { DateTime } from 'luxon';

/** A calendar day `daysAhead` from today in Sydney (the zone tests join in), as YYYY-MM-DD. */
export function sydneyDay(daysAhead: number): string {
  return DateTime.now().setZone('Australia/Sydney').plus({ days: daysAhead }).toISODate() as string;
}
