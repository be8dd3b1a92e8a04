// Pure text algorithms of CPython on JS primitives: nothing here imports the
// object model. Python objects appear only as an opaque T reached through
// callbacks (strformat.ts, percent.ts); failures are TextError values.
export { TextError, type TextErrorType } from './errors.js';
export { cpLength, cpIndex, cpSlice, cpOffset, cpIndexOf, cpArray, hasAstral, sliceIndices } from './codepoints.js';
export { strRepr, asciiRepr, bytesRepr, strRepr27, unicodeRepr27 } from './repr.js';
export { doubleToString, type DoubleFormat } from './dtoa.js';
export {
  floatRepr, floatStr, floatStr27, floatIsInteger, floatToInt, intToFloat, floatRoundToInt, floatRound,
  floatRound27, parseFloatLiteral, floatFloorDiv, floatMod, floatDivmod, floatTrueDiv, floatPow,
} from './float.js';
export {
  DEFAULT_MAX_STR_DIGITS, parseIntLiteral, intStr, intToBase, intHex, intOct, intOct27, intBin, intBitLength,
  intFloorDiv, intMod, intDivmod, intPow, intPowMod, intTrueDiv,
} from './int.js';
export { parseFormatSpec, formatStr, formatInt, formatBool, formatFloat, type FormatSpec } from './format.js';
export { strFormat, type FormatCallbacks, type FormatKwargs } from './strformat.js';
export { percentFormat, type PercentCallbacks } from './percent.js';
export { encode, decode, lookupCodec, type CodecName } from './codecs.js';
export * as str from './strmethods.js';
