/**
 * Documents' token types as a compact segment keeps them: 16-bit units, a type below 2^15 in one unit, a
 * larger one in two (the first with its high bit set). A segment numbers its types by first sight, and a
 * merge by how often they occur, so most tokens take one unit: ANT's 6.1 million take 13 MB, where
 * 32-bit types took 24.
 */
import { type GrowableArray, growableUint16 } from './growable.js';

/** Types below this take one unit; the high bit of a unit marks the first of two. */
const ONE_UNIT_TYPES = 0x8000;

/** The largest token type two units hold. */
export const MAX_TOKEN_TYPE = 0x7fffffff;

/** Appends a type's units. */
export function pushTokenType(units: GrowableArray<Uint16Array>, type: number): void {
  if (type < ONE_UNIT_TYPES) {
    units.push(type);
    return;
  }
  if (type > MAX_TOKEN_TYPE) throw new RangeError(`bug: token type ${type} is beyond ${MAX_TOKEN_TYPE}`);
  units.push(ONE_UNIT_TYPES | (type >>> 16));
  units.push(type & 0xffff);
}

/**
 * Writes the types of `units[from, to)` in order into `into` from its start and returns how many there
 * are: a caller that reads many documents passes the same array each time, which is never shortened
 * (shortening an array lets go of its storage, which the next document then grows again).
 */
export function readTokenTypes(units: Uint16Array, from: number, to: number, into: number[]): number {
  let count = 0;
  for (let at = from; at < to; at += 1) {
    const unit = units[at]!;
    into[count++] = unit < ONE_UNIT_TYPES ? unit : ((unit & (ONE_UNIT_TYPES - 1)) << 16) | units[++at]!;
  }
  return count;
}

/** Whether `units` is a whole number of types: no type's second unit missing at its end. */
export function wholeTypes(units: Uint16Array): boolean {
  let at = 0;
  while (at < units.length) at += units[at]! < ONE_UNIT_TYPES ? 1 : 2;
  return at === units.length;
}

/**
 * Documents' token types as 32-bit values (as segment files before format 7 kept them), in units: the
 * documents' new starts and the units.
 */
export function inTokenUnits(
  starts: Uint32Array,
  types: Uint32Array,
): { docTokenStart: Uint32Array; docTokens: Uint16Array } {
  const units = growableUint16();
  const docTokenStart = new Uint32Array(starts.length);
  for (let doc = 0; doc + 1 < starts.length; doc += 1) {
    for (let at = starts[doc]!; at < starts[doc + 1]!; at += 1) pushTokenType(units, types[at]!);
    docTokenStart[doc + 1] = units.length;
  }
  return { docTokenStart, docTokens: units.finish() };
}
