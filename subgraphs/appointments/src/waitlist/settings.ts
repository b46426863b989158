import type { Prisma, WaitlistMode } from '../generated/prisma/client';

/** A clinic that never chose: every matching entry is offered a freed time, for 15 minutes. */
export const DEFAULT_WAITLIST_SETTING = { mode: 'broadcast', offerMinutes: 15 } as const;
export const OFFER_MINUTES = { min: 5, max: 120 } as const;

export interface WaitlistSettingValue {
  mode: WaitlistMode;
  offerMinutes: number;
}

export async function waitlistSettingOf(
  db: Pick<Prisma.TransactionClient, 'waitlistSetting'>,
  clinicId: string,
): Promise<WaitlistSettingValue> {
  const row = await db.waitlistSetting.findUnique({ where: { clinicId } });
  return row ? { mode: row.mode, offerMinutes: row.offerMinutes } : { ...DEFAULT_WAITLIST_SETTING };
}
