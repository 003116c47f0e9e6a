/**
 * A strict, minimal XML reader for the JUnit tests: elements, attributes, text and the five
 * predefined entities (plus numeric references). It throws on anything malformed (a bare `&` or
 * `<`, a mismatched tag), which is the point: the writer's escaping is tested by reading it back.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  if (/[<]/.test(raw)) throw new Error(`unescaped < in ${JSON.stringify(raw.slice(0, 40))}`);
  return raw.replace(/&([^;\s]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & in ${JSON.stringify(raw.slice(0, 40))}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity &${name};`);
    return value;
  });
}

export function parseXml(text: string): XmlElement {
  let at = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(text.slice(at));
    if (!open?.[1]) throw new Error(`expected an element at ${at}`);
    const name = open[1];
    at += open[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      const attr = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(text.slice(at));
      if (!attr?.[1]) break;
      if (attr[1] in attributes) throw new Error(`duplicate attribute ${attr[1]}`);
      attributes[attr[1]] = decode(attr[2] ?? '');
      at += attr[0].length;
    }
    if (text.startsWith('/>', at)) {
      at += 2;
      return { name, attributes, children: [], text: '' };
    }
    if (text[at] !== '>') throw new Error(`malformed start tag <${name} at ${at}`);
    at++;
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      const next = text.indexOf('<', at);
      if (next < 0) throw new Error(`unclosed <${name}>`);
      content += decode(text.slice(at, next));
      at = next;
      if (text.startsWith(`</${name}>`, at)) {
        at += name.length + 3;
        return { name, attributes, children, text: content };
      }
      if (text.startsWith('</', at)) throw new Error(`mismatched end tag at ${at} (open: ${name})`);
      children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== text.length) throw new Error('content after the root element');
  return root;
}

export function childrenNamed(element: XmlElement, name: string): readonly XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
