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
  if (!variable) return message.replace(/, found [\s\S]*$/, '.').replace(/ value: [\s\S]*$/, ' value.');
  const name = variable[1] ?? '';
  // The path names the variable (` at "input.phone"; `); without one, the reason follows the last "; ".
  const at = new RegExp(` at "(${name}[\\w.[\\]]*)"; `).exec(message);
  const reason = at ? message.slice(at.index + at[0].length) : message.slice(message.lastIndexOf('; ') + 2);
  return `Variable "$${name}" got an invalid value${at ? ` at "${at[1]}"` : ''}; ${reasonWithoutValue(reason)}`;
}

function reasonWithoutValue(reason: string): string {
  return reason.replace(/, found [\s\S]*$/, '.').replace(/: [\s\S]*$/, '.');
}
