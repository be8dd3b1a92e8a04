/*
 * The standard-library modules refscope implements in Python, by import name.
 * Each file exports the module's source text; ../pysource.ts compiles and runs
 * it on first import.
 */
import abcSource from './abc.js';
import bisectSource from './bisect.js';
import contextlibSource from './contextlib.js';
import dataclassesSource from './dataclasses.js';
import enumSource from './enum.js';
import heapqSource from './heapq.js';
import loggingSource from './logging.js';
import operatorSource from './operator.js';
import randomSource from './random.js';
import random27Source from './random27.js';
import stringSource from './string.js';
import threadingSource from './threading.js';
import tracebackSource from './traceback.js';
import typesSource from './types.js';
import typingSource from './typing.js';

export const PY_SOURCES: Readonly<Record<string, string>> = {
  abc: abcSource,
  bisect: bisectSource,
  contextlib: contextlibSource,
  dataclasses: dataclassesSource,
  enum: enumSource,
  heapq: heapqSource,
  logging: loggingSource,
  operator: operatorSource,
  random: randomSource,
  string: stringSource,
  threading: threadingSource,
  traceback: tracebackSource,
  types: typesSource,
  typing: typingSource,
};

/** The modules written in Python for the 2.7 profile (2.7 source text). */
export const PY27_SOURCES: Readonly<Record<string, string>> = {
  random: random27Source,
};
