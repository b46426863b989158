import { ERROR_CODES, type ErrorCode } from '@clinic/contracts';

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** What graphql-js quotes besides values: a name, a variable, an input path, a type reference, a directive. */
const SAFE_QUOTED = new RegExp(
  `^(?:\\$?${NAME}(?:\\.${NAME}|\\[\\d+\\])*|\\[*${NAME}!?(?:\\]!?)*|@${NAME})$`,
);
const ENUM_VALUE = new RegExp(`^Value [\\s\\S]* does not exist in ("${NAME}") enum\\.[\\s\\S]*$`);

/**
 * graphql-js words a refused variable as `Variable "$input" got invalid value { …every field the caller
 * typed… } at "input.phone"; <reason>`, and some reasons end with the value again (`…: "abc"`,
 * `…, found "abc"`). Those values can be a patient's name, email or phone, and error messages reach
 * clients, logs and traces, so the values are cut out and the field path and the reason kept. graphql-js
 * has no option to leave values out, hence this.
 */
export function redactInputValues(message: string): string {
  const variable = /^Variable "\$([^"]+)" got invalid value [\s\S]*$/.exec(message);
  // Validation of literals in the document: `Expected value of type "Int!", found "abc".`
  if (!variable)
    return message
      .replace(ENUM_VALUE, 'Value does not exist in $1 enum.')
      .replace(/, found [\s\S]*$/, '.')
      .replace(/ value: [\s\S]*$/, ' value.');
  const name = variable[1] ?? '';
  // The path names the variable (` at "input.phone"; `); without one, the reason follows the last "; ".
  const at = new RegExp(` at "(${name}[\\w.[\\]]*)"; `).exec(message);
  const reason = at ? message.slice(at.index + at[0].length) : message.slice(message.lastIndexOf('; ') + 2);
  return `Variable "$${name}" got an invalid value${at ? ` at "${at[1]}"` : ''}; ${reasonWithoutValue(reason)}`;
}

function reasonWithoutValue(reason: string): string {
  return reason
    .replace(ENUM_VALUE, 'Value does not exist in $1 enum.')
    .replace(/, found [\s\S]*$/, '.')
    .replace(/: [\s\S]*$/, '.');
}

/** graphql-js's wordings about a document or its values, as opposed to messages our services write. */
const GRAPHQL_WORDING = /^(Variable "\$|Argument "|Expected value of type|Value |\w+ cannot represent)/;

/**
 * The message a client (and the log) may see for an error with a client code: parse errors by position
 * only (graphql-js quotes the token it stopped at), values cut out of graphql-js's wording, and a
 * graphql-js message still quoting something that is not a name (a value in a wording this code does not
 * know how to cut) replaced by the code's fixed meaning. Our services' own messages are written without
 * values in the first place.
 */
export function clientMessage(
  code: ErrorCode,
  message: string,
  locations?: readonly { line: number; column: number }[],
): string {
  if (message.startsWith('Syntax Error')) {
    const at = locations?.[0];
    return at ? `Syntax error at line ${at.line}, column ${at.column}.` : 'Syntax error.';
  }
  const redacted = redactInputValues(message);
  if (!code.startsWith('GRAPHQL_') && !GRAPHQL_WORDING.test(message)) return redacted;
  const quoted = [...redacted.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
  const unquoted = redacted.replace(/"[^"]*"/g, '""');
  // Control characters (a NUL) or a value graphql-js printed without quotes (`{ a: 1 }`) are left only by
  // a wording this code has not met.
  const suspicious = [...unquoted].some((char) => char < ' ' || char === '{' || char === '}');
  return quoted.every((piece) => SAFE_QUOTED.test(piece)) && !suspicious
    ? redacted
    : ERROR_CODES[code].meaning;
}
