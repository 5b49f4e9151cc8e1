// Tessera's runners: 1 worker training alone, or n data-parallel workers
// that each compute the gradient of their shard of the batch and average
// every step, through SharedArrayBuffer + Atomics ('sab': the workers meet at
// a barrier and never involve this thread) or through postMessage ('msg':
// gradients are transferred here, averaged, and sent back).
import { BATCH } from './common.js';

// Worker wraps a worker whose replies come in request order.
class Worker1 {
  constructor() {
    this.w = new Worker('tessera-worker.js');
    this.pending = [];
    this.w.onmessage = (e) => this.pending.shift()(e.data);
    this.w.onerror = (e) => { throw new Error('tessera worker: ' + e.message); };
  }
  call(msg, transfer = []) {
    return new Promise((resolve) => { this.pending.push(resolve); this.w.postMessage(msg, transfer); });
  }
  post(msg, transfer = []) { this.w.postMessage(msg, transfer); }
}

// shard is nn.ShardRange: contiguous shards, sizes differing by one.
function shard(n, shards, i) {
  const q = Math.floor(n / shards), r = n % shards;
  const lo = i * q + Math.min(i, r);
  return [lo, lo + q + (i < r ? 1 : 0)];
}

// task '' trains on a fixed batch; 'rotation' or 'jigsaw' makes every
// step's batch with that pretext task in the worker (end to end).
export async function tesseraRunner(n, mode, task = '') {
  if (mode === 'sab' && n > 1 && !self.crossOriginIsolated) mode = 'msg';
  const ws = Array.from({ length: n }, () => new Worker1());
  const inits = await Promise.all(ws.map((w, i) => w.call({ cmd: 'init', index: i, workers: n, seed: 42, task })));
  const P = inits[0].params;
  const weights = ws.map((_, i) => { const [lo, hi] = shard(BATCH, n, i); return (hi - lo) / BATCH; });
  if (mode === 'sab' && n > 1) {
    const slots = new SharedArrayBuffer(2 * n * (P + 1) * 4);
    const ctrl = new SharedArrayBuffer(4);
    await Promise.all(ws.map((w) => w.call({ cmd: 'share', slots, ctrl })));
  }
  let label = n === 1 ? 'Tessera, 1 worker (Go→wasm SIMD)'
    : `Tessera, ${n} workers data-parallel (${mode === 'sab' ? 'SharedArrayBuffer+Atomics' : 'postMessage'})`;
  if (task) label = `Tessera ${task} pretext end to end, ${n} worker${n > 1 ? 's' : ''} (generation + training)`;
  const avg = new Float32Array(P);
  const steps = mode === 'sab' || n === 1
    ? async (k) => (await Promise.all(ws.map((w) => w.call({ cmd: 'run', steps: k }))))[0].loss
    : async (k) => {
      let loss = 0;
      for (let s = 0; s < k; s++) {
        const rs = await Promise.all(ws.map((w) => w.call({ cmd: 'grad' })));
        avg.fill(0);
        loss = 0;
        rs.forEach((r, i) => {
          const g = r.grad, wi = weights[i];
          for (let j = 0; j < P; j++) avg[j] += wi * g[j];
          loss += wi * r.loss;
        });
        ws.forEach((w) => { const c = avg.slice(); w.post({ cmd: 'apply', avg: c }, [c.buffer]); });
      }
      return loss;
    };
  return {
    label, steps,
    // Every replica must hold the same weights: the same update everywhere.
    info: async () => {
      const rs = await Promise.all(ws.map((w) => w.call({ cmd: 'checksum' })));
      const sums = rs.map((r) => r.sum);
      return { workers: n, mode, params: P, replicasAgree: sums.every((s) => s === sums[0]), checksums: sums, times: rs.map((r) => r.times) };
    },
    close: () => ws.forEach((w) => w.w.terminate()),
  };
}
