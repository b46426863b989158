import type { Express } from 'express';
import repositoryManifest from '../../../clients/generated/persisted-documents.json';

/** Where the gateway serves the page a reminder email links to (`<this>#<token>`). */
export const REMINDER_PAGE_PATH = '/reminder';

/**
 * The registered AnswerReminder document (clients/web/answer-reminder.graphql): the page sends its id, so
 * it works when the gateway enforces trusted documents. Found by name in the manifest the gateway is
 * built with, so the two cannot drift apart.
 */
export function answerReminderDocumentId(manifest: Record<string, string> = repositoryManifest): string {
  const found = Object.entries(manifest).find(([, text]) => text.startsWith('mutation AnswerReminder('));
  if (!found) throw new Error('the AnswerReminder document is missing from the trusted-documents manifest');
  return found[0];
}

const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Your appointment</title></head>' +
  '<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem">' +
  '<h1>Your appointment</h1><p>Will you come to your appointment?</p>' +
  '<p><button type="button" data-answer="CONFIRM">Yes, I will come</button> ' +
  '<button type="button" data-answer="CANCEL">No, cancel my appointment</button></p>' +
  '<p id="status" role="status"></p><script src="/reminder/page.js"></script></body></html>';

/**
 * The page's script. The token comes from the URL's fragment, which browsers never send to a server, so it
 * reaches no access log; the script takes it out of the address bar and history at once, and sends it only
 * in the body of the mutation, after the patient chose an answer (opening the link does nothing by itself:
 * mail scanners that follow links change nothing).
 */
function script(documentId: string): string {
  return `(function () {
  var token = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  var status = document.getElementById('status');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-answer]'));
  var enable = function (on) { buttons.forEach(function (b) { b.disabled = !on; }); };
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    enable(false);
    status.textContent = 'This link is incomplete. Please open it again from your email, or contact the clinic.';
    return;
  }
  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      enable(false);
      status.textContent = 'Sending...';
      fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId: ${JSON.stringify(documentId)}, variables: { token: token, answer: button.getAttribute('data-answer') } })
      }).then(function (response) { return response.json(); }).then(function (body) {
        var answer = body && body.data && body.data.answerReminder;
        if (answer && answer.__typename === 'ReminderAnswered') {
          status.textContent = answer.answer === 'CONFIRM'
            ? 'Thank you: your appointment is confirmed.'
            : 'Your appointment is cancelled, and the clinic has been told.';
        } else if (answer && answer.message) {
          status.textContent = answer.message;
        } else {
          status.textContent = 'Something went wrong. Please contact the clinic.';
        }
      }, function () {
        enable(true);
        status.textContent = 'The clinic could not be reached. Please try again.';
      });
    });
  });
})();
`;
}

/**
 * GET /reminder and /reminder/page.js: the small public page a reminder email links to. It asks before it
 * acts and calls the public `answerReminder` mutation through this gateway. Served in production too: it
 * is the patient's page. Nothing on it depends on the request, and no answer is cached or refers onward.
 */
export function mountReminderPage(app: Express): void {
  const js = script(answerReminderDocumentId());
  const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
  app.get(REMINDER_PAGE_PATH, (_request, response) => {
    response.status(200).type('html').set(headers).send(PAGE);
  });
  app.get(`${REMINDER_PAGE_PATH}/page.js`, (_request, response) => {
    response.status(200).type('js').set(headers).send(js);
  });
}
