/*
 * co_stacksize as CPython 3.11's compiler computes it (stackdepth() in
 * compile.c: the deepest value stack over every path through the code).
 *
 * It is observable: sys.getsizeof of a generator, coroutine or frame object
 * counts co_nlocalsplus + co_stacksize slots, and code.co_stacksize shows it.
 *
 * Our bytecode keeps CPython's value stack shape except where exceptions are
 * handled: CPython 3.11 enters a handler with the previous exception pushed
 * below the new one (PUSH_EXC_INFO) and guards it with a cleanup block that
 * copies three items; our VM keeps the previous exception in its block
 * stack. The compiler therefore marks those code ranges with the difference
 * (CodeUnit.depthAdjust): the walk follows our own stack effects, and the
 * maximum is taken with each instruction's depth plus the marks covering it.
 */
import { MakeFunctionFlag, Op } from './opcodes.js';

/**
 * Where CPython's stack is deeper than ours. [first, end (exclusive), extra]:
 * every instruction of the range runs `extra` slots deeper. [at, -1, extra]:
 * CPython reaches `extra` slots above our depth before instruction `at`,
 * plus the ranges covering `at` (in code of its own that we do not have,
 * such as a cleanup block).
 */
export type DepthAdjust = [number, number, number];

interface StackCode {
  code: number[];
  depthAdjust: DepthAdjust[];
}

/** Net stack effect of one instruction when it falls through to the next one. */
function effect(op: Op, arg: number): number {
  switch (op) {
    case Op.NOP:
    case Op.SWAP:
    case Op.DELETE_FAST:
    case Op.DELETE_DEREF:
    case Op.DELETE_GLOBAL:
    case Op.DELETE_NAME:
    case Op.LOAD_ATTR:
    case Op.KW_NAMES:
    case Op.UNARY_POSITIVE:
    case Op.UNARY_NEGATIVE:
    case Op.UNARY_NOT:
    case Op.UNARY_INVERT:
    case Op.LIST_TO_TUPLE:
    case Op.JUMP:
    case Op.GET_ITER:
    case Op.YIELD_VALUE:
    case Op.GET_YIELD_FROM_ITER:
    case Op.SETUP_FINALLY:
    case Op.POP_BLOCK:
    case Op.POP_EXCEPT:
    case Op.CHECK_EXC_MATCH:
    case Op.SETUP_ANNOTATIONS:
      return 0;
    case Op.COPY:
    case Op.LOAD_CONST:
    case Op.LOAD_FAST:
    case Op.LOAD_CLOSURE:
    case Op.LOAD_DEREF:
    case Op.LOAD_CLASSDEREF:
    case Op.LOAD_GLOBAL:
    case Op.LOAD_NAME:
    case Op.LOAD_METHOD:
    case Op.PUSH_NULL:
    case Op.FOR_ITER:
    case Op.BEFORE_WITH:
    case Op.WITH_EXCEPT_START:
    case Op.LOAD_BUILD_CLASS:
    case Op.IMPORT_FROM:
    case Op.LOAD_ASSERTION_ERROR:
      return 1;
    case Op.POP_TOP:
    case Op.STORE_FAST:
    case Op.STORE_DEREF:
    case Op.STORE_GLOBAL:
    case Op.STORE_NAME:
    case Op.DELETE_ATTR:
    case Op.BINARY_SUBSCR:
    case Op.BINARY_OP:
    case Op.COMPARE_OP:
    case Op.IS_OP:
    case Op.CONTAINS_OP:
    case Op.LIST_APPEND:
    case Op.SET_ADD:
    case Op.LIST_EXTEND:
    case Op.SET_UPDATE:
    case Op.DICT_UPDATE:
    case Op.DICT_MERGE:
    case Op.POP_JUMP_IF_FALSE:
    case Op.POP_JUMP_IF_TRUE:
    case Op.JUMP_IF_FALSE_OR_POP:
    case Op.JUMP_IF_TRUE_OR_POP:
    case Op.YIELD_FROM:
    case Op.IMPORT_NAME:
    case Op.IMPORT_STAR:
    case Op.END_FOR:
      return -1;
    case Op.STORE_ATTR:
    case Op.DELETE_SUBSCR:
    case Op.MAP_ADD:
      return -2;
    case Op.STORE_SUBSCR:
    case Op.EXEC_STMT:
      return -3;
    case Op.CALL:
      // 0x10000: a decorator applied to [decorator, function], as CPython's CALL 0.
      return arg & 0x10000 ? -1 : -(arg & 0xffff) - 1;
    case Op.CALL_FUNCTION_EX:
      return -2 - (arg & 1);
    case Op.BUILD_SLICE:
      return 1 - arg;
    case Op.BUILD_TUPLE:
    case Op.BUILD_LIST:
    case Op.BUILD_SET:
    case Op.BUILD_STRING:
      return 1 - arg;
    case Op.BUILD_MAP:
      return 1 - 2 * arg;
    case Op.BUILD_CONST_KEY_MAP:
      return -arg;
    case Op.FORMAT_VALUE:
      return arg & 4 ? -1 : 0;
    case Op.UNPACK_SEQUENCE:
      return arg - 1;
    case Op.UNPACK_EX:
      return (arg & 0xff) + (arg >> 8);
    case Op.MAKE_FUNCTION: {
      let n = 0;
      for (const f of [MakeFunctionFlag.DEFAULTS, MakeFunctionFlag.KWDEFAULTS, MakeFunctionFlag.ANNOTATIONS, MakeFunctionFlag.CLOSURE]) if (arg & f) n++;
      return -n;
    }
    case Op.PRINT_ITEMS:
      return -(arg >> 2) - (arg & 2 ? 1 : 0);
    default:
      return 0;
  }
}

/** Instructions after which control never falls through. */
function isTerminal(op: Op): boolean {
  return op === Op.JUMP || op === Op.RETURN_VALUE || op === Op.RERAISE || op === Op.RAISE_VARARGS;
}

/**
 * The deepest stack CPython 3.11 would compute for this code: a walk over
 * every reachable instruction from the entry (and from each exception
 * handler, entered with the depth its SETUP left plus the exception).
 */
export function stackSize(u: StackCode): number {
  return walkStack(u).max;
}

/**
 * Instructions reached with a negative depth: an instruction whose effect
 * above does not match what the VM does (a bug; the test suite checks that
 * compiled code has none).
 */
export function negativeDepths(u: StackCode): number[] {
  return walkStack(u).negative;
}

function walkStack(u: StackCode): { max: number; negative: number[] } {
  const code = u.code;
  const n = code.length >> 1;
  const adjust = new Int32Array(n + 1);
  const peaks: Array<[number, number]> = [];
  for (const [start, end, extra] of u.depthAdjust) {
    if (end < 0) {
      peaks.push([start, extra]);
      continue;
    }
    adjust[start] += extra;
    adjust[end] -= extra;
  }
  for (let i = 1; i < n; i++) adjust[i] += adjust[i - 1];
  const UNSEEN = -0x7fffffff;
  const depth = new Int32Array(n).fill(UNSEEN);
  const work: number[] = [];
  const negative: number[] = [];
  const reach = (i: number, d: number) => {
    if (i < n && depth[i] === UNSEEN) {
      if (d < 0) negative.push(i);
      depth[i] = d;
      work.push(i);
    }
  };
  reach(0, 0);
  let max = 0;
  while (work.length) {
    const i = work.pop()!;
    const op = code[i * 2] as Op;
    const arg = code[i * 2 + 1];
    const d = depth[i];
    const after = d + effect(op, arg);
    const peak = Math.max(d, after) + adjust[i];
    if (peak > max) max = peak;
    switch (op) {
      case Op.SETUP_FINALLY:
        reach(arg, d + 1);
        break;
      case Op.BEFORE_WITH:
        // The handler sees __exit__ and the exception in place of the manager.
        reach(arg, d + 1);
        break;
      case Op.FOR_ITER:
        // Exhausted: the iterator is popped.
        reach(arg, d - 1);
        break;
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP:
        // Jumping keeps the tested value.
        reach(arg, d);
        break;
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE:
      case Op.JUMP:
        reach(arg, after);
        break;
    }
    if (!isTerminal(op)) reach(i + 1, after);
  }
  // A peak counts the ranges around it as well (a try inside a handler).
  for (const [at, extra] of peaks) if (at < n && depth[at] !== UNSEEN && depth[at] + adjust[at] + extra > max) max = depth[at] + adjust[at] + extra;
  return { max, negative };
}
