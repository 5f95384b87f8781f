/**
 * Reads an assessment-results document too large to parse whole: the array items the writer puts
 * one per line are handed to `onItem`, and the rest (with the first item of each array) is parsed
 * as the document's skeleton, so it can be validated as a whole.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const SECTION = /^ {8}"([a-z-]+)": (?:\{ "([a-z-]+)": )?\[$/;
const ITEM = /^ {8}\{/;

export async function readOscalStreamed(
  path: string,
  onItem: (section: string, item: Record<string, unknown>) => void,
): Promise<{ skeleton: unknown; counts: Record<string, number> }> {
  const kept: string[] = [];
  const counts: Record<string, number> = {};
  let section: string | undefined;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const opened = SECTION.exec(line);
    if (opened) {
      section = opened[2] ?? opened[1];
      kept.push(line);
      continue;
    }
    if (section && ITEM.test(line)) {
      const text = line.trim().replace(/,$/, '');
      const item = JSON.parse(text) as Record<string, unknown>;
      onItem(section, item);
      counts[section] = (counts[section] ?? 0) + 1;
      if (counts[section] === 1) kept.push(text);
      continue;
    }
    if (/^ {8}\]/.test(line)) section = undefined;
    kept.push(line);
  }
  return { skeleton: JSON.parse(kept.join('\n')), counts };
}
