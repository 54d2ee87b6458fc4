// TensorFlow Playground's engine (nn.ts beside this file, Apache-2.0, vendored unchanged from
// github.com/tensorflow/playground src/nn.ts) bundled at bench time with esbuild and run in Node,
// trained the way the playground's own `oneStep` does: every training point in order through
// forwardProp + backProp (square error), the weights updated after every `batch` points with the
// accumulated derivatives averaged (updateWeights, no regularisation). The playground shuffles its
// points once when it makes them, not per epoch; like it, a last short batch's derivatives carry
// over into the next epoch's first update.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The engine's module (`buildNetwork`, `forwardProp`, `backProp`, `updateWeights`, …). */
export async function loadTfp() {
  const out = await build({
    entryPoints: [path.join(here, 'nn.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** A network of TFP's `buildNetwork` ([2, …hidden, 1], hidden and output activation `activation`,
 * no regularisation, inputs x and y) whose random initial weights come from `rand` (TFP draws
 * them from Math.random: weights U(−0.5, 0.5), biases 0.1). */
export function buildTfp(nn, hidden, activation, output, rand) {
  const saved = Math.random;
  Math.random = rand;
  try {
    return nn.buildNetwork([2, ...hidden, 1], activation, output, null, ['x', 'y'], false);
  } finally {
    Math.random = saved;
  }
}

/** `epochs` passes of TFP's training loop over `inputs` ([x, y] arrays) and `labels`. */
export function trainTfp(nn, network, inputs, labels, epochs, batch, learningRate) {
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < inputs.length; i++) {
      nn.forwardProp(network, inputs[i]);
      nn.backProp(network, labels[i], nn.Errors.SQUARE);
      if ((i + 1) % batch === 0) nn.updateWeights(network, learningRate, 0);
    }
  }
}

/** TFP's `getLoss`: the mean of ½(output − label)² over the points. */
export function lossTfp(nn, network, inputs, labels) {
  let total = 0;
  for (let i = 0; i < inputs.length; i++) total += nn.Errors.SQUARE.error(nn.forwardProp(network, inputs[i]), labels[i]);
  return total / inputs.length;
}

/** The network's parameters in our layout (per layer: the fan-in × fan-out weights column-major,
 * then the fan-out biases; see src/model/mlp/network.rs). */
export function paramsOf(network) {
  const params = [];
  for (let l = 1; l < network.length; l++) {
    for (const node of network[l]) for (const link of node.inputLinks) params.push(link.weight);
    for (const node of network[l]) params.push(node.bias);
  }
  return params;
}
