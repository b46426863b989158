import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { NotificationSender, OutgoingMessage } from './sender';

/** SMS through Amazon SNS, sent as Transactional (delivered ahead of promotional traffic, opt-outs kept). */
export class SnsSmsSender implements NotificationSender {
  constructor(
    private readonly sns: SNSClient,
    /** Shown as the sender on handsets where alphanumeric sender ids are allowed (Australia allows them). */
    private readonly senderId?: string,
  ) {}

  async send(message: OutgoingMessage): Promise<{ providerMessageId: string }> {
    if (message.channel !== 'sms') throw new Error(`SnsSmsSender cannot send ${message.channel}`);
    const output = await this.sns.send(
      new PublishCommand({
        PhoneNumber: message.to,
        Message: message.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.senderId
            ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } }
            : {}),
        },
      }),
    );
    if (!output.MessageId) throw new Error('SNS accepted the message but returned no MessageId');
    return { providerMessageId: output.MessageId };
  }
}
