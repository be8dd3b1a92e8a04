// Which live-heap capture the recorder uses: lib/snapshot/capture.ts's
// captureSnapshot (objgraph's labels and reprs, runs no Python code). A test
// can pass its own through RecordOptions.capture.
import type { Interpreter } from '../python/interp.js';
import { captureSnapshot } from '../snapshot/capture.js';
import type { Snapshot } from '../snapshot/model.js';

/** Live heap → snapshot, as lib/snapshot/capture.ts's captureSnapshot. */
export type CaptureFn = (it: Interpreter, label: string, step: number) => Snapshot;

export const defaultCapture: CaptureFn = (it, label, step) => captureSnapshot(it, label, step);
