import path from 'node:path';
import { parseArgs } from 'node:util';
import { isRole, ROLES } from '@clinic/contracts';
import { isUuid, issueDevToken, loadOrCreateDevSigningKey } from '@clinic/platform';

const usage = `Usage: npm run token -- --role <Role> [--client <clientId>] [--subject <id>] [--clinic <clinicId>] [--expires 8h]

Prints a development JWT the embedded gateway accepts, signed with the key in the data folder.
  --role     one of ${ROLES.join(', ')}
  --client   for a Patient: their pseudonymous clientId (required)
  --subject  for staff: their staff or doctor id (default staff-<role>)
  --clinic   for clinic staff: the clinic they work at
  --expires  lifetime such as 15m, 8h or 7d (default 8h)
  --data-dir where the signing key lives (default .data)`;

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      client: { type: 'string' },
      subject: { type: 'string' },
      clinic: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      'data-dir': { type: 'string', default: process.env['DATA_DIR'] ?? '.data' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return console.log(usage);
  const fail = (message: string) => {
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  };
  const { role, client, clinic } = values;
  if (!isRole(role)) return fail(`--role must be one of ${ROLES.join(', ')}`);
  const patientId = role === 'Patient' ? client : undefined;
  if (role === 'Patient' && (!patientId || !isUuid(patientId)))
    return fail('a Patient token needs --client <clientId> (a UUID)');
  if (clinic !== undefined && !isUuid(clinic)) return fail('--clinic must be a clinic id (a UUID)');
  if (!/^\d+[smhd]$/.test(values.expires)) return fail('--expires takes a number and s, m, h or d, e.g. 8h');
  const subject = patientId ?? values.subject ?? `staff-${role.toLowerCase()}`;
  const key = await loadOrCreateDevSigningKey(path.resolve(values['data-dir']));
  console.log(
    await issueDevToken(
      key,
      clinic ? { role, subject, clinicId: clinic } : { role, subject },
      values.expires,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof TypeError ? 2 : 1);
});
