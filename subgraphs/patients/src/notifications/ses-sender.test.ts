import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { SesEmailSender } from './ses-sender';

const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());

const message = {
  channel: 'email' as const,
  to: 'pat.citizen@example.com',
  subject: 'Your appointment has a new doctor',
  body: 'Your appointment on Tue, 1 Dec 2026, 9:00 am is now with Dr Jane Citizen, at the same time.',
  idempotencyKey: '019ab1c2-0000-7000-8000-000000000002',
};

describe('SesEmailSender', () => {
  it('sends one plain-text email from the configured address and returns the SES message id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const sender = new SesEmailSender(
      new SESv2Client({ region: 'ap-southeast-2' }),
      'appointments@example.com',
    );

    await expect(sender.send(message)).resolves.toEqual({ providerMessageId: 'ses-message-1' });

    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      FromEmailAddress: 'appointments@example.com',
      Destination: { ToAddresses: ['pat.citizen@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Your appointment has a new doctor', Charset: 'UTF-8' },
          Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
          Headers: [{ Name: 'X-Notification-Id', Value: message.idempotencyKey }],
        },
      },
    });
  });

  it('uses the configuration set when one is given', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-2' });
    await new SesEmailSender(
      new SESv2Client({ region: 'ap-southeast-2' }),
      'appointments@example.com',
      'clinic-notifications',
    ).send(message);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.ConfigurationSetName).toBe(
      'clinic-notifications',
    );
  });

  it('passes a provider failure on to the dispatcher', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Sending paused'), { name: 'SendingPausedException' }));
    const sender = new SesEmailSender(
      new SESv2Client({ region: 'ap-southeast-2' }),
      'appointments@example.com',
    );
    await expect(sender.send(message)).rejects.toMatchObject({ name: 'SendingPausedException' });
  });

  it('refuses an SMS', async () => {
    const sender = new SesEmailSender(
      new SESv2Client({ region: 'ap-southeast-2' }),
      'appointments@example.com',
    );
    await expect(sender.send({ ...message, channel: 'sms', to: '+61255501234' })).rejects.toThrow(
      /cannot send sms/,
    );
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
