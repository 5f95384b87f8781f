import type { FileHandle } from 'node:fs/promises';
import { TextDecoder } from 'node:util';

import { unreadableFileError } from './inventoryFileError.js';

/**
 * The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence: the rest
 * (at most three bytes, starting at a lead byte) is decoded with the bytes that follow. Cutting
 * before a lead byte decodes exactly as decoding the whole does, valid or not: a decoder starts
 * afresh at every byte that is not a continuation byte.
 */
function completeUtf8(bytes: Buffer, end: number): number {
  for (let at = end - 1; at >= 0 && at >= end - 4; at--) {
    const byte = bytes[at] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return at + length > end ? at : end;
  }
  return end;
}

type Decode = (bytes: Buffer, last: boolean) => string;

/** UTF-8 as the whole-file reader decodes it (invalid bytes become U+FFFD; Buffer's decoder agrees with TextDecoder's). */
function utf8(): Decode {
  let carry = Buffer.alloc(0);
  return (bytes, last) => {
    const all = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
    const cut = last ? all.length : completeUtf8(all, all.length);
    carry = Buffer.from(all.subarray(cut));
    return all.toString('utf8', 0, cut);
  };
}

function utf16(encoding: 'utf-16le' | 'utf-16be'): Decode {
  const decoder = new TextDecoder(encoding);
  return (bytes, last) => (last ? decoder.decode(bytes) : decoder.decode(bytes, { stream: true }));
}

/**
 * A file's text, piece by piece, decoded as `decodeInventoryBytes` decodes it whole: UTF-16 with a
 * byte order mark, else UTF-8 without its byte order mark. A read failure is an
 * {@link InventoryFileError} naming the file.
 */
export async function* inventoryTextPieces(
  path: string,
  handle: FileHandle,
  pieceBytes: number,
): AsyncGenerator<string> {
  let decode: Decode | undefined;
  let head = Buffer.alloc(0);
  /** The whole-file decoder drops up to two byte order marks from UTF-8: TextDecoder's and one more. */
  let marksToDrop = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(pieceBytes);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, pieceBytes, null));
    } catch (error) {
      throw unreadableFileError(path, error);
    }
    let bytes = buffer.subarray(0, bytesRead);
    const last = bytesRead === 0;
    if (decode === undefined) {
      // The byte order mark needs the first two bytes.
      bytes = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
      if (!last && bytes.length < 2) {
        head = Buffer.from(bytes);
        continue;
      }
      if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        decode = utf16('utf-16le');
        bytes = bytes.subarray(2);
      } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        decode = utf16('utf-16be');
        bytes = bytes.subarray(2);
      } else {
        decode = utf8();
        marksToDrop = 2;
      }
    }
    let text = decode(bytes, last);
    while (marksToDrop > 0 && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        marksToDrop--;
      } else marksToDrop = 0;
    }
    if (text !== '') yield text;
    if (last) return;
  }
}
