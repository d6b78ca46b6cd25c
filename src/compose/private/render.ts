/**
 * Writes a compose document as YAML text (internal).
 */
import * as YAML from 'yaml';
import { ComposeSynthResult } from './conversion';

/** Plain words a YAML 1.1 reader takes for a boolean or null (`restart: no` would be false). */
const YAML_11_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/**
 * The YAML text: the header as comments, then the document. Strings that a YAML 1.1 reader could
 * take for something else ("3000:3000", "1000:1000", "yes") are double-quoted, multi-line strings
 * are literal blocks; nothing is folded.
 */
export function renderCompose(result: ComposeSynthResult): string {
  const doc = new YAML.Document(result.document, { version: '1.1' });
  YAML.visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string') return;
      if (node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
      else if (/[:#$]|^[\d.+-]|^$/.test(node.value) || YAML_11_WORDS.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  doc.commentBefore = result.header.map((line) => (line === '' ? '' : ` ${line}`)).join('\n');
  return doc.toString({ lineWidth: 0 });
}
