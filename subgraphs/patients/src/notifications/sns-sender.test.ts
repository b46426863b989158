import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsSmsSender } from './sns-sender';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

const message = {
  channel: 'sms' as const,
  to: '+61255501234',
  body: 'Your appointment on Tue, 1 Dec 2026, 9:00 am is now with Dr Jane Citizen, at the same time.',
  idempotencyKey: '019ab1c2-0000-7000-8000-000000000001',
};

describe('SnsSmsSender', () => {
  it('publishes one transactional SMS to the phone number and returns the SNS message id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
    const sender = new SnsSmsSender(new SNSClient({ region: 'ap-southeast-2' }));

    await expect(sender.send(message)).resolves.toEqual({ providerMessageId: 'sns-message-1' });

    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      PhoneNumber: '+61255501234',
      Message: message.body,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      },
    });
  });

  it('names the sender when a sender id is configured', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-2' });
    await new SnsSmsSender(new SNSClient({ region: 'ap-southeast-2' }), 'Clinic').send(message);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Clinic' },
    });
  });

  it('passes a provider failure on to the dispatcher, which retries it', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    sns.on(PublishCommand).rejects(throttled);
    await expect(
      new SnsSmsSender(new SNSClient({ region: 'ap-southeast-2' })).send(message),
    ).rejects.toMatchObject({
      name: 'ThrottledException',
    });
  });

  it('refuses an email rather than publishing it as a text', async () => {
    const sender = new SnsSmsSender(new SNSClient({ region: 'ap-southeast-2' }));
    await expect(sender.send({ ...message, channel: 'email', to: 'pat@example.com' })).rejects.toThrow(
      /cannot send email/,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
