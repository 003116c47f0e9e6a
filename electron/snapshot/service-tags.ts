/**
 * `--service-tags FILE`: Microsoft's `ServiceTags_Public_*.json` download, a saved
 * `az network list-service-tags` / REST `serviceTags` answer, or a `serviceTagDetails` page,
 * read into the ServiceTagSet a snapshot stores. Bad input is an InputError naming the file.
 * [TAG] https://learn.microsoft.com/azure/virtual-network/service-tags-overview
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../shared/model/errors';
import { readNestedJson } from '../../shared/model/nesting';
import { parseServiceTags, type ServiceTagSet } from '../../shared/model/service-tags';
import { decodeText } from './files';
import { parseJsonText } from './snapshot';

/**
 * Parses service tag JSON text; `fileName` is what errors name. A text nested too deep to read is
 * an InputError saying so, as for snapshot inputs.
 */
export function parseServiceTagsText(text: string, fileName: string): ServiceTagSet {
  return readNestedJson(fileName, text, () => parseServiceTags(parseJsonText(text, fileName), fileName));
}

/** Reads and parses a service tag file; a missing or unreadable file is an InputError too (exit 2). */
export async function readServiceTagsFile(path: string): Promise<ServiceTagSet> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InputError(name, '$', 'a readable service tags JSON file', typeof code === 'string' ? code : 'an unreadable path');
  }
  return parseServiceTagsText(decodeText(bytes), name);
}
