import path from 'node:path';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { createLogger, type Logger } from '@clinic/platform';
import { gatewayClinicDirectory, type ClinicDirectory } from './clinic-directory';
import { DevSinkSender } from './dev-sink';
import type { NotificationSender, OutgoingMessage } from './sender';
import { SesEmailSender } from './ses-sender';
import { SnsSmsSender } from './sns-sender';

/** How notifications are sent, as configured (the launcher reads NOTIFICATIONS_SENDER, SES_FROM_ADDRESS, ...). */
export interface NotificationConfig {
  /** `sink`: the development sink in the data folder; `aws`: SNS for SMS and SES for email. */
  sender: 'sink' | 'aws';
  /** The verified SES sender address; required with `aws`. */
  sesFromAddress?: string;
  /** Optional SES configuration set (delivery and bounce events). */
  sesConfigurationSet?: string;
  /** Optional alphanumeric SMS sender id (up to 11 characters). */
  smsSenderId?: string;
  /** Where alerts for clinic admins go (appointments needing attention). */
  clinicAlertEmail?: string;
  /** The gateway's GraphQL URL, for clinic and doctor names in messages (its public `clinics` query). */
  directoryUrl?: string;
  /** The AWS region of SNS and SES; the standard chain's when absent. */
  awsRegion?: string;
  /** The public URL of the gateway's reminder page (REMINDER_PAGE_URL), linked from reminder emails. */
  reminderPageUrl?: string;
}

export const DEFAULT_CLINIC_ALERT_EMAIL = 'clinic-admins@example.com';

export interface NotificationSettings {
  sender: NotificationSender;
  /** Set when messages go to the development sink outside production: the page /dev/notifications lists it. */
  devSink: DevSinkSender | null;
  clinicAlertEmail: string;
  /** Clinic and doctor names; without one, messages say "another doctor" and give times in UTC. */
  directory?: ClinicDirectory;
  /** Where reminder emails link to answer (docs/reminders.md); without one, they carry no link. */
  reminderPageUrl?: () => string | null;
}

/** Sends each message through the sender for its channel. */
export class ChannelRouter implements NotificationSender {
  constructor(private readonly byChannel: Record<OutgoingMessage['channel'], NotificationSender>) {}

  send(message: OutgoingMessage) {
    return this.byChannel[message.channel].send(message);
  }
}

/**
 * The sender as configured. AWS clients take their credentials from the standard chain (the pod's IAM
 * role). The sink writes to `<dataDir>/notifications/sent.jsonl`; in production its page, which shows
 * addresses to anyone who can reach the service, is never served.
 */
export function notificationSettings(
  config: NotificationConfig,
  options: { production: boolean; dataDir: string; logger?: Logger },
): NotificationSettings {
  const logger = options.logger ?? createLogger('patients');
  const directoryUrl = config.directoryUrl;
  const directory = directoryUrl ? { directory: gatewayClinicDirectory(() => directoryUrl, logger) } : {};
  const clinicAlertEmail = config.clinicAlertEmail ?? DEFAULT_CLINIC_ALERT_EMAIL;
  const pageUrl = config.reminderPageUrl;
  const page = pageUrl ? { reminderPageUrl: () => pageUrl } : {};
  if (config.sender === 'sink') {
    const sink = new DevSinkSender(path.join(options.dataDir, 'notifications'));
    return {
      sender: sink,
      devSink: options.production ? null : sink,
      clinicAlertEmail,
      ...directory,
      ...page,
    };
  }
  const from = config.sesFromAddress;
  if (!from) throw new Error('Sending through AWS needs the SES sender address');
  const clientConfig = config.awsRegion ? { region: config.awsRegion } : {};
  return {
    sender: new ChannelRouter({
      sms: new SnsSmsSender(new SNSClient(clientConfig), config.smsSenderId),
      email: new SesEmailSender(new SESv2Client(clientConfig), from, config.sesConfigurationSet),
    }),
    devSink: null,
    clinicAlertEmail,
    ...directory,
    ...page,
  };
}
