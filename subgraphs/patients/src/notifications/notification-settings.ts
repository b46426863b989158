import path from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { createLogger, type Logger } from '@clinic/platform';
import { gatewayClinicDirectory, type ClinicDirectory } from './clinic-directory';
import { DevSinkSender } from './dev-sink';
import type { NotificationSender, OutgoingMessage } from './sender';
import { SesEmailSender } from './ses-sender';
import { SnsSmsSender } from './sns-sender';

export const NOTIFICATION_VARIABLES = {
  /** `sink` (default): the development sink in the data folder; `aws`: SNS for SMS and SES for email. */
  sender: 'NOTIFICATIONS_SENDER',
  /** The verified SES sender address; required with `aws`. */
  sesFromAddress: 'SES_FROM_ADDRESS',
  /** Optional SES configuration set (delivery and bounce events). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Optional alphanumeric SMS sender id (up to 11 characters). */
  smsSenderId: 'SMS_SENDER_ID',
  /** Where alerts for clinic admins go (appointments needing attention). */
  clinicAlertEmail: 'CLINIC_ALERT_EMAIL',
  /** The gateway's GraphQL URL, for clinic and doctor names in messages (its public `clinics` query). */
  directoryUrl: 'CLINIC_DIRECTORY_URL',
} as const;

export const DEFAULT_CLINIC_ALERT_EMAIL = 'clinic-admins@example.com';

export interface NotificationSettings {
  sender: NotificationSender;
  /** Set when messages go to the development sink outside production: the page /dev/notifications lists it. */
  devSink: DevSinkSender | null;
  clinicAlertEmail: string;
  /** Clinic and doctor names; without one, messages say "another doctor" and give times in UTC. */
  directory?: ClinicDirectory;
}

/** Sends each message through the sender for its channel. */
export class ChannelRouter implements NotificationSender {
  constructor(private readonly byChannel: Record<OutgoingMessage['channel'], NotificationSender>) {}

  send(message: OutgoingMessage) {
    return this.byChannel[message.channel].send(message);
  }
}

/**
 * The sender from the environment. AWS clients take their region and credentials from the standard
 * chain (AWS_REGION, the pod's IAM role). The sink writes to `<dataDir>/notifications/sent.jsonl`. In
 * production (NODE_ENV=production) the sender must be chosen explicitly, and the sink's page, which shows
 * addresses to anyone who can reach the service, is never served.
 */
export function notificationSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  logger: Logger = createLogger('patients'),
): NotificationSettings {
  const production = env['NODE_ENV'] === 'production';
  const directoryUrl = env[NOTIFICATION_VARIABLES.directoryUrl];
  const directory = directoryUrl ? { directory: gatewayClinicDirectory(() => directoryUrl, logger) } : {};
  const kind = env[NOTIFICATION_VARIABLES.sender] ?? (production ? undefined : 'sink');
  if (!kind) throw new Error(`${NOTIFICATION_VARIABLES.sender} must be set in production`);
  const clinicAlertEmail = env[NOTIFICATION_VARIABLES.clinicAlertEmail] ?? DEFAULT_CLINIC_ALERT_EMAIL;
  if (kind === 'sink') {
    const sink = new DevSinkSender(path.join(dataDir, 'notifications'));
    return { sender: sink, devSink: production ? null : sink, clinicAlertEmail, ...directory };
  }
  if (kind !== 'aws') {
    throw new Error(`${NOTIFICATION_VARIABLES.sender} must be "sink" or "aws", not "${kind}"`);
  }
  const from = env[NOTIFICATION_VARIABLES.sesFromAddress];
  if (!from) throw new Error(`${NOTIFICATION_VARIABLES.sesFromAddress} must be set when sending through AWS`);
  const region = env['AWS_REGION'];
  const clientConfig = region ? { region } : {};
  return {
    sender: new ChannelRouter({
      sms: new SnsSmsSender(new SNSClient(clientConfig), env[NOTIFICATION_VARIABLES.smsSenderId]),
      email: new SesEmailSender(
        new SESv2Client(clientConfig),
        from,
        env[NOTIFICATION_VARIABLES.sesConfigurationSet],
      ),
    }),
    devSink: null,
    clinicAlertEmail,
    ...directory,
  };
}
