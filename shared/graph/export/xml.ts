/**
 * XML text for the draw.io and SVG exports. Resource names, tags and file names are user data: a
 * name like `a"><script>` must stay a name, so every attribute value and text node goes through
 * `xmlEscape`, never string concatenation of raw input.
 */

/**
 * Characters XML 1.0 forbids even as references (C0 controls other than tab/LF/CR, lone
 * surrogates, U+FFFE/U+FFFF): dropped, because a single one makes the whole file unreadable.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escapes text for an attribute value or element content. Tab, LF and CR become character
 * references: inside an attribute a literal newline would be normalised to a space by the
 * reader, and draw.io labels use `&#xa;` for their line breaks.
 */
export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"'\t\n\r]/g, (ch) => {
    switch (ch) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&apos;';
      case '\t': return '&#x9;';
      case '\n': return '&#xa;';
      default: return '&#xd;';
    }
  });
}

/** `name="value" ...` with every value escaped; undefined values are left out. */
export function xmlAttributes(attributes: Readonly<Record<string, string | number | undefined>>): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${xmlEscape(String(value))}"`)
    .join(' ');
}

/** Numbers in coordinates: at most two decimals, no `-0`. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
