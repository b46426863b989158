/** One message to one address. `to` is an E.164 phone number for sms and an email address for email. */
export interface OutgoingMessage {
  channel: 'sms' | 'email';
  to: string;
  /** Email only. */
  subject?: string;
  body: string;
  /** The notification row's id: the same on every attempt, so a provider or sink can recognise a resend. */
  idempotencyKey: string;
}

/** Where messages go: the development sink, or AWS (SNS for SMS, SES for email). */
export interface NotificationSender {
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
}
