// Which live-heap capture the recorder uses. The one integration point with
// lib/snapshot/capture.ts: when `captureSnapshot(it, label, step)` lands,
// `defaultCapture` becomes `(it, label, step) => captureSnapshot(it, label, step)`
// and interim-capture.ts goes away.
import type { Interpreter } from '../python/interp.js';
import type { Snapshot } from '../snapshot/model.js';
import { interimCapture } from './interim-capture.js';

/** Live heap → snapshot, as lib/snapshot/capture.ts's captureSnapshot. */
export type CaptureFn = (it: Interpreter, label: string, step: number) => Snapshot;

export const defaultCapture: CaptureFn = (it, label, step) => interimCapture(it, label, step);
