import { scrubAttributes } from './tracing';

describe('scrubAttributes', () => {
  it('drops header values, addresses, query strings and error texts, and keeps the rest', () => {
    expect(
      scrubAttributes({
        'http.user_agent': 'Mozilla/5.0 (Philippa)',
        'user_agent.original': 'Mozilla/5.0 (Philippa)',
        'client.address': '203.0.113.7',
        'network.peer.address': '203.0.113.7',
        'url.query': 'email=someone@example.com',
        'http.target': '/graphql?query={findPatient(email:"someone@example.com")}',
        'url.full': 'http://gateway/graphql?variables=x#frag',
        'exception.message': 'invalid input syntax for type uuid: "someone@example.com"',
        'exception.stacktrace': 'Error: someone@example.com\n    at x',
        'graphql.document': 'query { findPatient(email: "someone@example.com") { clientId } }',
        'exception.type': 'DatabaseError',
        'http.route': '/graphql',
        'http.response.status_code': 200,
        'db.query.text': 'SELECT "id" FROM "patient" WHERE "email_index" = $1',
      }),
    ).toEqual({
      'http.target': '/graphql',
      'url.full': 'http://gateway/graphql',
      'exception.type': 'DatabaseError',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'db.query.text': 'SELECT "id" FROM "patient" WHERE "email_index" = $1',
    });
  });
});
