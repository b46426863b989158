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
      'exception.type': 'DatabaseError',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'db.query.text': 'SELECT "id" FROM "patient" WHERE "email_index" = $1',
    });
  });

  it('keeps a path only when the services serve it, and drops the Host header wherever it went', () => {
    expect(
      scrubAttributes({
        'url.path': '/graphql/philippa.tracewell@example.com',
        'http.target': '/0355501234?x=1',
        'server.address': 'philippa-0355501234.example.com',
        'http.host': 'philippa-0355501234.example.com:4000',
        'net.host.name': 'philippa-0355501234.example.com',
        'http.url': 'http://philippa-0355501234.example.com/graphql',
        'http.request.method_original': 'PHILIPPA',
        'server.port': 4000,
      }),
    ).toEqual({ 'url.path': 'other', 'http.target': 'other', 'server.port': 4000 });
    expect(scrubAttributes({ 'url.path': '/readyz', 'http.target': '/graphql?x=1' })).toEqual({
      'url.path': '/readyz',
      'http.target': '/graphql',
    });
    // One segment under a served path is still the caller's text; an asset is its route.
    expect(
      scrubAttributes({ 'url.path': '/console/jane.doe', 'http.target': '/console/assets/0355501234.js' }),
    ).toEqual({
      'url.path': 'other',
      'http.target': '/console/assets/:file',
    });
  });
});
