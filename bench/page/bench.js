// The benchmark page: runs the configuration named in the query string
// (?run=…), once, and resolves window.benchDone with its result. The driver
// (bench/main.go) loads the page once per configuration and round.
import { tesseraRunner } from './tessera.js';
import { tfjsRunner, tfjsWorkerRunner } from './tfjs.js';
import { convnetjsRunner } from './convnetjs-bench.js';
import { BATCH } from './common.js';

const q = new URLSearchParams(location.search);
const run = q.get('run') || 'tessera-1';
const seconds = Number(q.get('seconds') || 2);
const out = document.getElementById('out');

// measure warms a runner up, picks a step count that fills `seconds`, and
// times it, counting the ticks of a 10 ms interval timer meanwhile (how often
// the main thread was free to run a task). Slow runners (a step of seconds)
// skip the separate calibration and take the warm-up's time as the estimate.
async function measure(r, { warmup = 2, minSteps = 2, maxSteps = 400, calibrate = true } = {}) {
  let t0 = performance.now();
  const lossWarm = await r.steps(warmup);
  if (calibrate) {
    t0 = performance.now();
    await r.steps(warmup);
  }
  const per = (performance.now() - t0) / warmup;
  const steps = Math.max(minSteps, Math.min(maxSteps, Math.ceil(seconds * 1000 / per)));
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const t1 = performance.now();
  const loss = await r.steps(steps);
  const ms = performance.now() - t1;
  clearInterval(timer);
  return {
    steps, ms, samplesPerSec: steps * BATCH * 1000 / ms,
    lossWarm, loss,
    tickFraction: Math.min(1, ticks / Math.floor(ms / 10)),
  };
}

// idleTicks is the fraction of 10 ms ticks delivered while nothing runs: the
// baseline for tickFraction on a busy machine.
async function idleTicks(ms = 500) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await new Promise((ok) => setTimeout(ok, ms));
  clearInterval(timer);
  return Math.min(1, ticks / Math.floor(ms / 10));
}

async function main() {
  const env = {
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated,
    userAgent: navigator.userAgent,
  };
  let runner;
  const n = navigator.hardwareConcurrency || 1;
  switch (run) {
    case 'tessera-1': runner = await tesseraRunner(1, 'sab'); break;
    case 'tessera-n-sab': runner = await tesseraRunner(n, 'sab'); break;
    case 'tessera-n-msg': runner = await tesseraRunner(n, 'msg'); break;
    case 'tessera-rotation-1': runner = await tesseraRunner(1, 'sab', 'rotation'); break;
    case 'tessera-jigsaw-1': runner = await tesseraRunner(1, 'sab', 'jigsaw'); break;
    case 'tfjs-wasm': runner = await tfjsRunner('wasm', Number(q.get('threads') || 1)); break;
    case 'tfjs-cpu': runner = await tfjsRunner('cpu', 1); break;
    case 'tfjs-wasm-worker': runner = await tfjsWorkerRunner(Number(q.get('threads') || 1)); break;
    case 'convnetjs': runner = await convnetjsRunner(); break;
    default: throw new Error('unknown configuration ' + run);
  }
  const idleTickFraction = await idleTicks();
  const slow = run === 'tfjs-cpu' || run === 'convnetjs';
  const m = await measure(runner, slow ? { warmup: 1, minSteps: 1, calibrate: false } : {});
  const info = runner.info ? await runner.info() : {};
  if (runner.close) runner.close();
  return { run, label: runner.label, ...m, idleTickFraction, env, info };
}

window.benchDone = main().then(
  (r) => { out.textContent = JSON.stringify(r, null, 2); return r; },
  (e) => { out.textContent = 'error: ' + (e && e.stack || e); return { run, error: String(e && e.message || e) }; });
