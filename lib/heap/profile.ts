/*
 * Behaviour profiles: the data that distinguishes CPython 3.11 from 2.7 in
 * the memory manager. A profile is data, not a fork of the code.
 */

import { STATIC_STRINGS_311 } from './static-strings-311.js';

export type PythonVersion = '3.11' | '2.7';

export interface Profile {
  readonly version: PythonVersion;
  /** sizeof(PyGC_Head) as getsizeof reports it (16 in 3.8+, 32 in 2.7). */
  readonly gcHeadSize: number;
  /** 3.11 managed dicts: instances keep attributes inline until __dict__ is asked for. */
  readonly managedDict: boolean;
  /** 2.7: __del__ is a legacy tp_del; cycles holding one are uncollectable. */
  readonly legacyFinalizers: boolean;
  /** Refcount given to static objects (small ints, interned literals, ()). */
  readonly immortalRefcnt: number;
  /** Free list capacities (0 disables). */
  readonly listFreelist: number;
  readonly dictFreelist: number;
  readonly floatFreelist: number;
  readonly tupleFreelist: number;
  readonly tupleFreelistSizes: number;
  /** Small int cache range [smallIntMin, smallIntMax]. */
  readonly smallIntMin: number;
  readonly smallIntMax: number;
  /** sizeof(PyASCIIObject) and sizeof(PyCompactUnicodeObject) (3.11); 2.7 str header. */
  readonly strAsciiHeader: number;
  readonly strCompactHeader: number;
  /** Python-to-Python calls keep an extra reference to each argument on the caller's stack (2.7). */
  readonly callerKeepsArgs: boolean;
  /**
   * Strings the interpreter binary holds as static data (3.11: identifier
   * strings and deep-frozen modules): interning one never allocates.
   */
  readonly staticStrings: ReadonlySet<string> | null;
}

export const PROFILE_311: Profile = {
  version: '3.11',
  staticStrings: new Set(STATIC_STRINGS_311),
  gcHeadSize: 16,
  managedDict: true,
  legacyFinalizers: false,
  immortalRefcnt: 999999999,
  listFreelist: 80,
  dictFreelist: 80,
  floatFreelist: 100,
  tupleFreelist: 2000,
  tupleFreelistSizes: 20,
  smallIntMin: -5,
  smallIntMax: 256,
  strAsciiHeader: 48,
  strCompactHeader: 72,
  callerKeepsArgs: false,
};

export const PROFILE_27: Profile = {
  version: '2.7',
  staticStrings: null,
  gcHeadSize: 32,
  managedDict: false,
  legacyFinalizers: true,
  // 2.7 has no immortal objects, but static objects start with large counts
  // from interpreter start-up; a large base keeps them from ever dying.
  immortalRefcnt: 999999999,
  listFreelist: 80,
  dictFreelist: 80,
  floatFreelist: 100,
  tupleFreelist: 2000,
  tupleFreelistSizes: 20,
  smallIntMin: -5,
  smallIntMax: 256,
  strAsciiHeader: 37,
  strCompactHeader: 37,
  callerKeepsArgs: true,
};

export function profileFor(version: string): Profile {
  if (version === '3.11' || version === '3') return PROFILE_311;
  if (version === '2.7' || version === '2') return PROFILE_27;
  throw new RangeError(`unsupported Python version '${version}' (supported: 3.11, 2.7)`);
}
