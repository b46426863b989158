import { ROLES, type Identity, type Role } from '@clinic/contracts';
import { issueDevToken, type DevSigningKey, type Logger } from '@clinic/platform';
import type { Express } from 'express';
import type { GatewayQuery } from '../subscriptions/run-query';
import { consoleAssets } from './bundle';

/**
 * development: the embedded default's console, with a role picker that issues development tokens.
 * admin: production; no token issuing, the page asks for a SystemAdministrator token. off: not served.
 */
export type ConsoleMode = 'development' | 'admin' | 'off';

/** What the gateway is told about its console. */
export interface ConsoleOptions {
  mode: ConsoleMode;
  /** Issues the role picker's development tokens; only used in development mode. */
  signingKey?: DevSigningKey;
}

export interface ConsoleMountOptions {
  mode: ConsoleMode;
  signingKey?: DevSigningKey | undefined;
  runQuery: GatewayQuery;
  logger: Logger;
}

const SYSTEM: Identity = { role: 'SystemAdministrator', subject: 'console-dev-issuer' };

/** GraphiQL on /console, its assets on /console/assets/*, and (development only) /console/token. */
export function mountConsole(app: Express, options: ConsoleMountOptions): void {
  if (options.mode === 'off') return;
  const config = JSON.stringify({ mode: options.mode, roles: ROLES, endpoint: '/graphql' });
  app.get('/console', (_req, res) => {
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic scheduling console</title>` +
          `<link rel="stylesheet" href="/console/assets/console.css"></head><body style="margin:0">` +
          `<script type="application/json" id="console-config">${config.replace(/</g, '\\u003c')}</script>` +
          `<div id="console"></div><script src="/console/assets/console.js"></script></body></html>`,
      );
  });
  app.get('/console/assets/:file', async (req, res, next) => {
    try {
      const assets = await consoleAssets();
      if (req.params.file === 'console.js') res.type('js').send(assets.js);
      else if (req.params.file === 'console.css') res.type('css').send(assets.css);
      else res.sendStatus(404);
    } catch (error) {
      next(error);
    }
  });
  const { signingKey } = options;
  if (options.mode !== 'development' || !signingKey) return;
  app.get('/console/token', async (req, res, next) => {
    try {
      const role = String(req.query['role'] ?? '');
      if (!(ROLES as readonly string[]).includes(role)) {
        res.status(400).json({ error: `role must be one of ${ROLES.join(', ')}` });
        return;
      }
      const identity = await sampleIdentity(role as Role, options.runQuery);
      if (!identity) {
        res.status(404).json({ error: `There is no seeded data to make a ${role} from.` });
        return;
      }
      res
        .set('cache-control', 'no-store')
        .json({ token: await issueDevToken(signingKey, identity, '8h'), identity });
    } catch (error) {
      next(error);
    }
  });
}

/** An identity for the role drawn from the data, read through the gateway like any client would. */
async function sampleIdentity(role: Role, runQuery: GatewayQuery): Promise<Identity | null> {
  if (role === 'SystemAdministrator') return { role, subject: 'console-sysadmin' };
  if (role === 'Patient') {
    const result = await runQuery(
      { query: '{ appointments(first: 1) { clientId } }', variables: {} },
      SYSTEM,
    );
    const clientId = (result.data?.['appointments'] as { clientId: string }[] | undefined)?.[0]?.clientId;
    return clientId ? { role, subject: clientId } : null;
  }
  const result = await runQuery({ query: '{ clinics { id doctors { id } } }', variables: {} }, SYSTEM);
  const clinic = (result.data?.['clinics'] as { id: string; doctors: { id: string }[] }[] | undefined)?.[0];
  if (!clinic) return null;
  if (role === 'Doctor') {
    const doctor = clinic.doctors[0];
    return doctor ? { role, subject: doctor.id, clinicId: clinic.id } : null;
  }
  return { role, subject: `console-${role.toLowerCase()}`, clinicId: clinic.id };
}
