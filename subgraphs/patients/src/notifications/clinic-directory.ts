import type { Logger } from '@clinic/platform';

export interface ClinicDirectory {
  clinic(clinicId: string): Promise<{ name: string; timeZone: string } | null>;
  doctorName(doctorId: string): Promise<string | null>;
}

interface DirectoryData {
  clinics: Map<string, { name: string; timeZone: string }>;
  doctors: Map<string, string>;
}

/**
 * Clinic names, time zones and doctor names for messages, read through the gateway's public `clinics`
 * query (this service cannot read the doctors database, and subgraphs answer only the gateway). One query
 * fills the cache; an unknown id refreshes it at most every `refreshMs`. If nobody answers (or the URL is
 * not known yet), messages go out without the names and with the time in UTC rather than not at all.
 */
export function gatewayClinicDirectory(
  gatewayUrl: () => string | null,
  logger: Logger,
  refreshMs = 60_000,
): ClinicDirectory {
  let data: DirectoryData | null = null;
  let fetchedAt = 0;
  let inFlight: Promise<DirectoryData | null> | null = null;

  const load = async (): Promise<DirectoryData | null> => {
    const url = gatewayUrl();
    if (!url) return null;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ clinics { id name timeZone doctors { id name } } }' }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as {
      data?: {
        clinics: { id: string; name: string; timeZone: string; doctors: { id: string; name: string }[] }[];
      };
    };
    if (!body.data) throw new Error(`gateway answered ${response.status} without data`);
    return {
      clinics: new Map(body.data.clinics.map((c) => [c.id, { name: c.name, timeZone: c.timeZone }])),
      doctors: new Map(body.data.clinics.flatMap((c) => c.doctors.map((d) => [d.id, d.name] as const))),
    };
  };

  const current = async (key: (d: DirectoryData) => boolean): Promise<DirectoryData | null> => {
    if (data && key(data)) return data;
    if (fetchedAt > 0 && Date.now() - fetchedAt < refreshMs) return data;
    inFlight ??= load()
      .then((loaded) => {
        data = loaded ?? data;
        return data;
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'clinic directory unavailable; messages go out without names');
        return data;
      })
      .finally(() => {
        if (gatewayUrl()) fetchedAt = Date.now();
        inFlight = null;
      });
    return inFlight;
  };

  return {
    clinic: async (clinicId) =>
      (await current((d) => d.clinics.has(clinicId)))?.clinics.get(clinicId) ?? null,
    doctorName: async (doctorId) =>
      (await current((d) => d.doctors.has(doctorId)))?.doctors.get(doctorId) ?? null,
  };
}
