import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { NotificationSender, OutgoingMessage } from './sender';

/** Email through Amazon SES (v2 API), plain text, from one verified address. */
export class SesEmailSender implements NotificationSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly fromAddress: string,
    /** An SES configuration set, for delivery and bounce events; optional. */
    private readonly configurationSetName?: string,
  ) {}

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    if (message.channel !== 'email') throw new Error(`SesEmailSender cannot send ${message.channel}`);
    const output = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.fromAddress,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject ?? 'Your appointment', Charset: 'UTF-8' },
            Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
            // Lets support match a message to its notification row without any personal information.
            Headers: [{ Name: 'X-Notification-Id', Value: message.idempotencyKey }],
          },
        },
        ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
      }),
    );
    if (!output.MessageId) throw new Error('SES accepted the message but returned no MessageId');
    return { providerMessageId: output.MessageId };
  }
}
