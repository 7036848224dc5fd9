/** An IAM policy statement as JSON: one or many actions and resources. */
interface PolicyStatement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
}

const PYTHON_TOKEN = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(True|False|None)\b|(-?\d+(?:\.\d+)?)|([{}[\]:,]))/y;
const PYTHON_CONSTANTS: Readonly<Record<string, string>> = { True: 'true', False: 'false', None: 'null' };

/**
 * A Python literal of dicts, lists, strings, numbers and constants, as JSON text. moto (5.2.5) returns the
 * inline policies of a role CloudFormation created (the role's `Policies`) as a Python dict's repr,
 * `{'Version': '2012-10-17', …}`, where AWS returns URL-encoded JSON.
 * @throws SyntaxError at the first character that is not part of such a literal
 */
function pythonLiteralToJson(text: string): string {
  let json = '';
  for (let at = 0; at < text.length && text.slice(at).trim() !== '';) {
    PYTHON_TOKEN.lastIndex = at;
    const m = PYTHON_TOKEN.exec(text);
    if (!m) throw new SyntaxError(`not a Python literal at ${at}: ${text.slice(at, at + 30)}`);
    at = PYTHON_TOKEN.lastIndex;
    const quoted = m[1] ?? m[2];
    json += quoted !== undefined ? JSON.stringify(quoted.replace(/\\(.)/g, '$1')) : m[3] ? PYTHON_CONSTANTS[m[3]] : (m[4] ?? m[5]);
  }
  return json;
}

/**
 * Parses a policy document as IAM's API returns it: URL-encoded JSON (AWS), plain JSON, or the Python repr
 * moto gives for some (see {@link pythonLiteralToJson}).
 * @throws SyntaxError when the document is none of these
 */
export function parsePolicyDocument(document: string): { Statement: PolicyStatement | PolicyStatement[] } {
  const text = document.trimStart().startsWith('{') ? document.trim() : decodeURIComponent(document).trim();
  return JSON.parse(text.startsWith("{'") ? pythonLiteralToJson(text) : text) as { Statement: PolicyStatement | PolicyStatement[] };
}

/**
 * What the `Allow` statements of some policy documents grant: each action with the sorted resources it is
 * allowed on. Two statements granting one action merge. `Deny` statements are returned apart, unmerged.
 */
export function allowedGrants(documents: readonly string[]): { allow: Record<string, string[]>; deny: PolicyStatement[] } {
  const allow: Record<string, Set<string>> = {};
  const deny: PolicyStatement[] = [];
  for (const document of documents) {
    for (const statement of ([] as PolicyStatement[]).concat(parsePolicyDocument(document).Statement)) {
      if (statement.Effect !== 'Allow') {
        deny.push(statement);
        continue;
      }
      for (const action of ([] as string[]).concat(statement.Action ?? [])) {
        const resources = (allow[action] ??= new Set());
        for (const resource of ([] as string[]).concat(statement.Resource ?? [])) resources.add(resource);
      }
    }
  }
  return { allow: Object.fromEntries(Object.entries(allow).map(([action, resources]) => [action, [...resources].sort()])), deny };
}
