// ConvNetJS 0.3.0 on the reference net: its conv layers (3×3, pad 1, ReLU),
// 2×2 max pools and a softmax layer (ConvNetJS puts a fully connected layer
// with 10 outputs in front of it); SGDTrainer with momentum and batch_size
// 32 (it averages the 32 per-sample gradients and then updates).
import { BATCH } from './common.js';

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error('cannot load ' + src));
    document.head.appendChild(s);
  });
}

export async function convnetjsRunner() {
  await loadScript('lib/convnet.js');
  const cj = window.convnetjs;
  const defs = [{ type: 'input', out_sx: 32, out_sy: 32, out_depth: 3 }];
  for (const f of [16, 32, 64]) {
    defs.push({ type: 'conv', sx: 3, filters: f, stride: 1, pad: 1, activation: 'relu' });
    defs.push({ type: 'pool', sx: 2, stride: 2 });
  }
  defs.push({ type: 'softmax', num_classes: 10 });
  const net = new cj.Net();
  net.makeLayers(defs);
  const trainer = new cj.SGDTrainer(net, { method: 'sgd', learning_rate: 0.01, momentum: 0.9, batch_size: BATCH, l2_decay: 0 });
  const xs = Array.from({ length: BATCH }, () => {
    const v = new cj.Vol(32, 32, 3, 0);
    for (let i = 0; i < v.w.length; i++) v.w[i] = Math.random();
    return v;
  });
  const labels = xs.map((_, i) => (i * 7) % 10);
  return {
    label: 'ConvNetJS 0.3.0',
    steps: async (k) => {
      let loss = 0;
      for (let s = 0; s < k; s++) {
        loss = 0;
        for (let i = 0; i < BATCH; i++) loss += trainer.train(xs[i], labels[i]).cost_loss / BATCH;
      }
      return loss;
    },
  };
}
