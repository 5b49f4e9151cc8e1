// TensorFlow.js (wasm backend) training in a Web Worker: the same net and
// step as on the main thread (tfjs-model.js), driven by messages.
importScripts('lib/tf.min.js', 'lib/tf-backend-wasm.min.js', 'tfjs-model.js');

let runner;
onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.cmd) {
      case 'init':
        runner = await self.tfjsBench.makeRunner(self.tf, 'wasm', m.threads, 'worker');
        postMessage({ label: runner.label });
        break;
      case 'steps':
        postMessage({ loss: await runner.steps(m.k) });
        break;
      case 'info':
        postMessage({ info: await runner.info() });
        break;
    }
  } catch (err) {
    postMessage({ error: String(err && err.stack || err) });
  }
};
