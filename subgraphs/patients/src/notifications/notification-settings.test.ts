import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { DevSinkSender } from './dev-sink';
import { DEFAULT_CLINIC_ALERT_EMAIL, notificationSettings } from './notification-settings';

const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
beforeEach(() => {
  sns.reset();
  ses.reset();
});

describe('notificationSettings', () => {
  it('defaults to the development sink in <dataDir>/notifications and the example alert address', () => {
    const settings = notificationSettings(
      { sender: 'sink' },
      { production: false, dataDir: '/tmp/clinic-data' },
    );
    expect(settings.sender).toBeInstanceOf(DevSinkSender);
    expect(settings.devSink?.file).toBe('/tmp/clinic-data/notifications/sent.jsonl');
    expect(settings.clinicAlertEmail).toBe(DEFAULT_CLINIC_ALERT_EMAIL);
    expect(settings.directory).toBeUndefined();
  });

  it('names clinics and doctors through the gateway at the directory URL', () => {
    const settings = notificationSettings(
      { sender: 'sink', directoryUrl: 'http://gateway/graphql' },
      { production: false, dataDir: '/tmp' },
    );
    expect(settings.directory).toBeDefined();
  });

  it('sends SMS through SNS and email through SES from the configured address with aws', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const settings = notificationSettings(
      {
        sender: 'aws',
        awsRegion: 'ap-southeast-2',
        sesFromAddress: 'appointments@example.com',
        clinicAlertEmail: 'alerts@example.com',
      },
      { production: true, dataDir: '/tmp/unused' },
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

  it('in production, never serves the sink page', () => {
    const sink = notificationSettings({ sender: 'sink' }, { production: true, dataDir: '/tmp' });
    expect(sink.sender).toBeInstanceOf(DevSinkSender);
    expect(sink.devSink).toBeNull();
  });

  it('refuses aws without a sender address', () => {
    expect(() => notificationSettings({ sender: 'aws' }, { production: true, dataDir: '/tmp' })).toThrow(
      /SES sender address/,
    );
  });
});
