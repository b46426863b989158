import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_NAMES, databaseUrlVariable } from '@clinic/contracts';
import { createTestDatabases, realInfra, type TestDatabases } from '@clinic/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '@clinic/testing/infra';
import { startTestSystem, type TestSystem } from '../test-system';

const ARTIFACTS = path.resolve(__dirname, '..', '..', '.data', 'artifacts');

let databases: TestDatabases;
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  databases = await createTestDatabases();
  system = await startTestSystem(
    {},
    {
      ...Object.fromEntries(DATABASE_NAMES.map((name) => [databaseUrlVariable(name), databases.urls[name]])),
      KAFKA_BROKERS: realInfra().kafkaBrokers.join(','),
      KAFKA_GROUP_PREFIX: `console-${randomUUID()}-`,
      // This file's own streams: other tests publish slot changes on the shared topics.
      KAFKA_TOPIC_PREFIX: `console-${randomUUID()}-`,
    },
  );
  // Running as root (CI containers) needs --no-sandbox; the page is our own console on loopback.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await databases?.drop();
});

/** GraphiQL's editors are CodeMirror 5 instances; their API is the reliable way to type and read. */
async function setEditor(page: Page, selector: string, text: string): Promise<void> {
  await page
    .locator(`${selector} .CodeMirror`)
    .first()
    .evaluate((element, value) => {
      (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value);
    }, text);
}

async function responseText(page: Page): Promise<string> {
  return page
    .locator('.graphiql-response .CodeMirror')
    .first()
    .evaluate((element) =>
      (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
    );
}

describe('the console in a real browser', () => {
  it('runs a query, subscribes to slot availability, and shows a booking made elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(system.gatewayUrl.replace(/\/graphql$/, '/console'));
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 60_000 });

    await page.selectOption('select[aria-label="role"]', 'Patient');
    await page.getByText('signed in as Patient').waitFor();

    await setEditor(
      page,
      '.graphiql-query-editor',
      'query FreeSlots($from: DateTime!, $to: DateTime!) { freeSlots(from: $from, to: $to, first: 3) { id start doctor { name } } }',
    );
    // Choosing a role swaps the fetcher and GraphiQL fetches the schema again; run once that has settled.
    await page.waitForLoadState('networkidle');
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(
      () => (document.querySelector('.graphiql-response .CodeMirror')?.textContent ?? '').includes('}'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await responseText(page)).toContain('freeSlots');
    const slots = (JSON.parse(await responseText(page)) as { data: { freeSlots: { id: string }[] } }).data
      .freeSlots;
    const slotId = slots[0]?.id;
    expect(slotId).toEqual(expect.any(String));

    await setEditor(
      page,
      '.graphiql-query-editor',
      `subscription Availability($from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(from: $from, to: $to) { slotId status slot { start doctor { name clinic { name } } } }
}`,
    );
    // The event stream's response headers come once the gateway has registered the subscription.
    const streamOpened = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.headers()['content-type'] ?? '').includes('text/event-stream'),
    );
    await page.locator('.graphiql-execute-button').click();
    await streamOpened;

    const patient = await system.token({ role: 'Patient', subject: randomUUID() });
    const booking = await system.graphql(
      `mutation($slotId: ID!) { bookAppointment(input: { slotId: $slotId, idempotencyKey: "console-e2e-1" }) { __typename } }`,
      { token: patient, variables: { slotId } },
    );
    expect(booking.body.data?.['bookAppointment']).toEqual({ __typename: 'AppointmentBooked' });

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .waitForFunction(
        (id) => {
          const text = document.querySelector('.graphiql-response')?.textContent ?? '';
          return text.includes(id) && text.includes('busy');
        },
        slotId ?? '',
        { timeout: 60_000 },
      )
      .catch(async (error: unknown) => {
        // Kept to see what the page showed instead.
        await page.screenshot({ path: path.join(ARTIFACTS, 'console-subscription-failed.png') });
        throw new Error(`${String(error)}; the response pane shows: ${await responseText(page)}`);
      });
    const update = JSON.parse(await responseText(page)) as {
      data: {
        slotAvailabilityChanged: { slotId: string; status: string; slot: { doctor: { name: string } } };
      };
    };
    expect(update.data.slotAvailabilityChanged).toMatchObject({ slotId, status: 'busy' });
    expect(update.data.slotAvailabilityChanged.slot.doctor.name).toMatch(/^Dr /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-subscription.png') });
  });

  it('issues no development tokens for an unknown role', async () => {
    const response = await fetch(system.gatewayUrl.replace(/\/graphql$/, '/console/token?role=Root'));
    expect(response.status).toBe(400);
  });
});
