/// <reference lib="dom" />
// The console's browser code, bundled by esbuild (see bundle.ts). Plain createElement keeps it free of
// a JSX build step.
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { createClient, type Client } from 'graphql-sse';
import { createElement as h, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface ConsoleConfig {
  /** development: role picker with dev tokens; admin: paste a SystemAdministrator token. */
  mode: 'development' | 'admin';
  roles: string[];
  endpoint: string;
}

const config = JSON.parse(document.getElementById('console-config')?.textContent ?? '{}') as ConsoleConfig;

const DEFAULT_QUERY = `# Live slot availability: run the query, then the subscription, then book a slot elsewhere.
query FreeSlots($from: DateTime!, $to: DateTime!) {
  freeSlots(from: $from, to: $to, first: 5) { id start status doctor { name clinic { name } } }
}

subscription Availability($from: DateTime!, $to: DateTime!) {
  slotAvailabilityChanged(from: $from, to: $to) {
    slotId status occurredAt
    slot { start doctor { name clinic { name timeZone } } }
  }
}
`;

const OPERATION = /\b(query|mutation|subscription)\s*([A-Za-z_][A-Za-z0-9_]*)?/g;

/** GraphiQL can pass the previous document's operation name for a moment; keep it only if it is here. */
function operationNameIn(query: string, operationName?: string | null): string | undefined {
  const names = [...query.matchAll(OPERATION)].map((match) => match[2]);
  return operationName && names.includes(operationName) ? operationName : undefined;
}

function isSubscription(query: string, operationName?: string): boolean {
  const operations = [...query.matchAll(OPERATION)];
  const chosen = operations.find((match) => !operationName || match[2] === operationName) ?? operations[0];
  return chosen?.[1] === 'subscription';
}

function Console() {
  const [token, setToken] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('anonymous');
  const sse: Client = useMemo(
    () =>
      createClient({
        url: config.endpoint,
        headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    [token],
  );
  const fetcher = useMemo(
    () =>
      async (params: {
        query: string;
        operationName?: string | null;
        variables?: Record<string, unknown>;
      }) => {
        const operationName = operationNameIn(params.query, params.operationName);
        if (isSubscription(params.query, operationName)) {
          return sse.iterate({
            query: params.query,
            variables: params.variables ?? {},
            ...(operationName ? { operationName } : {}),
          });
        }
        const response = await fetch(config.endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ ...params, operationName }),
        });
        return response.json();
      },
    [sse, token],
  );
  const pick = async (next: string) => {
    setRole(next);
    if (!next) {
      setToken('');
      setStatus('anonymous');
      return;
    }
    const response = await fetch(`/console/token?role=${encodeURIComponent(next)}`);
    const body = (await response.json()) as { token?: string; error?: string };
    setToken(body.token ?? '');
    setStatus(body.token ? `signed in as ${next}` : (body.error ?? 'no token'));
  };
  const header = h(
    'div',
    {
      className: 'console-bar',
      style: { padding: '6px 12px', fontFamily: 'sans-serif', display: 'flex', gap: '8px' },
    },
    h('strong', null, 'Clinic scheduling console'),
    config.mode === 'development'
      ? h(
          'select',
          {
            'aria-label': 'role',
            value: role,
            onChange: (event: { target: { value: string } }) => void pick(event.target.value),
          },
          h('option', { value: '' }, 'anonymous'),
          ...config.roles.map((name) => h('option', { key: name, value: name }, name)),
        )
      : h('input', {
          'aria-label': 'token',
          placeholder: 'SystemAdministrator bearer token',
          value: token,
          onChange: (event: { target: { value: string } }) => {
            setToken(event.target.value.trim());
            setStatus('token set');
          },
        }),
    h('span', { 'data-testid': 'console-status' }, status),
  );
  // From now: a slot earlier today has passed and can no longer be booked.
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  return h(
    'div',
    { style: { height: '100vh', display: 'flex', flexDirection: 'column' } },
    header,
    h(
      'div',
      { style: { flex: 1 } },
      h(GraphiQL, {
        fetcher,
        defaultQuery: DEFAULT_QUERY,
        variables: JSON.stringify({ from, to: `${to}T00:00:00Z` }, null, 2),
      }),
    ),
  );
}

const root = document.getElementById('console');
if (root) createRoot(root).render(h(Console));
