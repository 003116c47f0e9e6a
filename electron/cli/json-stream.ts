/**
 * `JSON.stringify(value, null, 2)`, written in pieces: the top-level object's array members go out
 * element by element, so a 180 MB resolve result never exists as one string (nor as one Buffer
 * on its way to stdout). The bytes are the same as JSON.stringify's.
 */

const CHUNK_CHARS = 1 << 20;

/** What JSON.stringify leaves out of an object (and turns into null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function indented(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2);
  return text.includes('\n') ? text.replace(/\n/g, `\n${indent}`) : text;
}

export function writePrettyJson(value: unknown, write: (chunk: string) => void): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'toJSON' in value) {
    write(JSON.stringify(value, null, 2));
    return;
  }
  let buffer = '';
  const push = (text: string): void => {
    buffer += text;
    if (buffer.length >= CHUNK_CHARS) {
      write(buffer);
      buffer = '';
    }
  };
  const entries = Object.entries(value).filter(([, member]) => !isOmitted(member));
  if (entries.length === 0) {
    write('{}');
    return;
  }
  push('{\n');
  entries.forEach(([key, member], i) => {
    push(`  ${JSON.stringify(key)}: `);
    if (Array.isArray(member) && member.length > 0) {
      push('[\n');
      member.forEach((element: unknown, j) => {
        push(`    ${isOmitted(element) ? 'null' : indented(element, '    ')}${j < member.length - 1 ? ',' : ''}\n`);
      });
      push('  ]');
    } else {
      push(indented(member, '  '));
    }
    push(i < entries.length - 1 ? ',\n' : '\n');
  });
  push('}');
  write(buffer);
}
