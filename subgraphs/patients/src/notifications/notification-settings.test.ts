import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { DevSinkSender } from './dev-sink';
import { DEFAULT_CLINIC_ALERT_EMAIL, notificationSettingsFromEnv } from './notification-settings';

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
beforeEach(() => {
  sns.reset();
  ses.reset();
});

describe('notificationSettingsFromEnv', () => {
  it('defaults to the development sink in <dataDir>/notifications and the example alert address', () => {
    const settings = notificationSettingsFromEnv({}, '/tmp/clinic-data');
    expect(settings.sender).toBeInstanceOf(DevSinkSender);
    expect(settings.devSink?.file).toBe('/tmp/clinic-data/notifications/sent.jsonl');
    expect(settings.clinicAlertEmail).toBe(DEFAULT_CLINIC_ALERT_EMAIL);
    expect(settings.directory).toBeUndefined();
  });

  it('names clinics and doctors through the gateway at CLINIC_DIRECTORY_URL', () => {
    const settings = notificationSettingsFromEnv({ CLINIC_DIRECTORY_URL: 'http://gateway/graphql' }, '/tmp');
    expect(settings.directory).toBeDefined();
  });

  it('sends SMS through SNS and email through SES from the configured address with aws', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const settings = notificationSettingsFromEnv(
      {
        NOTIFICATIONS_SENDER: 'aws',
        AWS_REGION: 'ap-southeast-2',
        SES_FROM_ADDRESS: 'appointments@example.com',
        CLINIC_ALERT_EMAIL: 'alerts@example.com',
      },
      '/tmp/unused',
    );
    expect(settings.devSink).toBeNull();
    expect(settings.clinicAlertEmail).toBe('alerts@example.com');
    const base = { body: 'Your appointment…', idempotencyKey: 'n-1' };
    await expect(settings.sender.send({ ...base, channel: 'sms', to: '+61255501234' })).resolves.toEqual({
      providerMessageId: 'sns-1',
    });
    await expect(settings.sender.send({ ...base, channel: 'email', to: 'pat@example.com' })).resolves.toEqual(
      {
        providerMessageId: 'ses-1',
      },
    );
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.PhoneNumber).toBe('+61255501234');
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.FromEmailAddress).toBe(
      'appointments@example.com',
    );
  });

  it('in production, wants the sender named and never serves the sink page', () => {
    expect(() => notificationSettingsFromEnv({ NODE_ENV: 'production' }, '/tmp')).toThrow(
      /NOTIFICATIONS_SENDER must be set in production/,
    );
    const sink = notificationSettingsFromEnv(
      { NODE_ENV: 'production', NOTIFICATIONS_SENDER: 'sink' },
      '/tmp',
    );
    expect(sink.sender).toBeInstanceOf(DevSinkSender);
    expect(sink.devSink).toBeNull();
  });

  it('refuses aws without a sender address, and an unknown sender', () => {
    expect(() => notificationSettingsFromEnv({ NOTIFICATIONS_SENDER: 'aws' }, '/tmp')).toThrow(
      /SES_FROM_ADDRESS/,
    );
    expect(() => notificationSettingsFromEnv({ NOTIFICATIONS_SENDER: 'carrier-pigeon' }, '/tmp')).toThrow(
      /"sink" or "aws"/,
    );
  });
});
