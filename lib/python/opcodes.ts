/*
 * The instruction set: CPython-3.11-shaped stack machine instructions.
 * Each instruction is two numbers in the code array: opcode, argument.
 * Jump arguments are absolute instruction indexes (not byte offsets).
 */
export const enum Op {
  NOP,
  POP_TOP,
  /** Swap TOS with the item `arg` below it (arg >= 2). */
  SWAP,
  /** Push a new reference to the item `arg` deep (1 = TOS). */
  COPY,
  LOAD_CONST,
  LOAD_FAST,
  STORE_FAST,
  DELETE_FAST,
  /** Push the cell object in localsplus slot arg. */
  LOAD_CLOSURE,
  LOAD_DEREF,
  STORE_DEREF,
  DELETE_DEREF,
  /** Class bodies: look in the locals mapping, then the cell. */
  LOAD_CLASSDEREF,
  LOAD_GLOBAL,
  STORE_GLOBAL,
  DELETE_GLOBAL,
  LOAD_NAME,
  STORE_NAME,
  DELETE_NAME,
  LOAD_ATTR,
  STORE_ATTR,
  DELETE_ATTR,
  /** 3.11 LOAD_METHOD: pushes [unbound func, self] or [NULL, attribute]. */
  LOAD_METHOD,
  /** Pushes NULL (for CALL on a plain callable). */
  PUSH_NULL,
  /** CALL argc: stack is [NULL|self-func, callable|self, args...]; kw names from KW_NAMES. */
  CALL,
  /** Sets the keyword names tuple (a constant index) for the next CALL. */
  KW_NAMES,
  /** CALL_FUNCTION_EX flags: stack [NULL, callable, args tuple, (kwargs dict)]. */
  CALL_FUNCTION_EX,
  BINARY_SUBSCR,
  STORE_SUBSCR,
  DELETE_SUBSCR,
  BUILD_SLICE,
  /** arg: BinOpCode (+ INPLACE flag). */
  BINARY_OP,
  UNARY_POSITIVE,
  UNARY_NEGATIVE,
  UNARY_NOT,
  UNARY_INVERT,
  /** arg: CmpCode */
  COMPARE_OP,
  /** arg 1 = `is not` */
  IS_OP,
  /** arg 1 = `not in` */
  CONTAINS_OP,
  BUILD_TUPLE,
  BUILD_LIST,
  BUILD_SET,
  /** arg = number of key/value pairs on the stack. */
  BUILD_MAP,
  /** Keys tuple on TOS, arg values below. */
  BUILD_CONST_KEY_MAP,
  BUILD_STRING,
  LIST_APPEND,
  SET_ADD,
  MAP_ADD,
  LIST_EXTEND,
  SET_UPDATE,
  DICT_UPDATE,
  DICT_MERGE,
  LIST_TO_TUPLE,
  /** arg: conversion (0 none, 1 str, 2 repr, 3 ascii) | 4 when a spec is on the stack. */
  FORMAT_VALUE,
  UNPACK_SEQUENCE,
  /** arg = before | (after << 8) */
  UNPACK_EX,
  JUMP,
  POP_JUMP_IF_FALSE,
  POP_JUMP_IF_TRUE,
  JUMP_IF_FALSE_OR_POP,
  JUMP_IF_TRUE_OR_POP,
  GET_ITER,
  /** Next item or, when exhausted, pop the iterator and jump to arg. */
  FOR_ITER,
  /** arg: MakeFunctionFlag bits; stack: [defaults] [kwdefaults] [closure tuple] code qualname */
  MAKE_FUNCTION,
  RETURN_VALUE,
  YIELD_VALUE,
  /** Delegate to the sub-iterator on TOS1 with the value on TOS (yield from). */
  YIELD_FROM,
  GET_YIELD_FROM_ITER,
  /** Push a handler block: jump target arg, current stack depth. */
  SETUP_FINALLY,
  POP_BLOCK,
  /** Push an except-handler block and the exception (after the handler is entered). */
  POP_EXCEPT,
  /** Re-raise the exception on TOS. */
  RERAISE,
  /** TOS is an exception type (or tuple); TOS1 the exception: push the match result. */
  CHECK_EXC_MATCH,
  /** arg: 0 bare raise, 1 raise exc, 2 raise exc from cause */
  RAISE_VARARGS,
  /** with: pushes __exit__ (bound) and the result of __enter__, then a handler block to arg. */
  BEFORE_WITH,
  /** Calls __exit__(type, value, tb) with the exception on TOS; pushes the result. */
  WITH_EXCEPT_START,
  LOAD_BUILD_CLASS,
  /** arg: name index; stack: level, fromlist */
  IMPORT_NAME,
  IMPORT_FROM,
  IMPORT_STAR,
  LOAD_ASSERTION_ERROR,
  /** 2.7 print statement: arg bit 1 = newline, bit 2 = has dest; values on stack (count in next NOP arg). */
  PRINT_ITEMS,
  /** 2.7 exec statement: stack body, globals, locals (None when not given). */
  EXEC_STMT,
  /** Module and class bodies with annotated names: create `__annotations__` in the namespace if missing. */
  SETUP_ANNOTATIONS,
  /** Deletes the exception variable `except E as e` binds (store None then delete) — plain DELETE. */
  END_FOR,
}

export const enum MakeFunctionFlag {
  DEFAULTS = 1,
  KWDEFAULTS = 2,
  ANNOTATIONS = 4,
  CLOSURE = 8,
}

/** Binary operators, in ast order; INPLACE is added for augmented assignment. */
export const enum BinOpCode {
  Add,
  Sub,
  Mult,
  MatMult,
  Div,
  Mod,
  Pow,
  LShift,
  RShift,
  BitOr,
  BitXor,
  BitAnd,
  FloorDiv,
  /** 2.7 `/` under `from __future__ import division`. */
  TrueDiv,
  INPLACE = 16,
}

export const enum CmpCode {
  Lt,
  LtE,
  Eq,
  NotEq,
  Gt,
  GtE,
}

export const BINOP_CODES: Record<string, BinOpCode> = {
  Add: BinOpCode.Add,
  Sub: BinOpCode.Sub,
  Mult: BinOpCode.Mult,
  MatMult: BinOpCode.MatMult,
  Div: BinOpCode.Div,
  Mod: BinOpCode.Mod,
  Pow: BinOpCode.Pow,
  LShift: BinOpCode.LShift,
  RShift: BinOpCode.RShift,
  BitOr: BinOpCode.BitOr,
  BitXor: BinOpCode.BitXor,
  BitAnd: BinOpCode.BitAnd,
  FloorDiv: BinOpCode.FloorDiv,
};

/** The operator symbols of TypeError messages ("unsupported operand type(s) for +"). */
export const BINOP_SYMBOLS = ['+', '-', '*', '@', '/', '%', '** or pow()', '<<', '>>', '|', '^', '&', '//', '/'];
export const BINOP_DUNDERS = ['add', 'sub', 'mul', 'matmul', 'truediv', 'mod', 'pow', 'lshift', 'rshift', 'or', 'xor', 'and', 'floordiv', 'truediv'];
export const CMP_SYMBOLS = ['<', '<=', '==', '!=', '>', '>='];
export const CMP_DUNDERS = ['__lt__', '__le__', '__eq__', '__ne__', '__gt__', '__ge__'];
/** Reflected comparison for each CmpCode. */
export const CMP_SWAPPED = [4, 5, 2, 3, 0, 1];
