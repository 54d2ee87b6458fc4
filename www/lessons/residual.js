// Lesson 7 (primer, core concepts 3): residual networks and growing networks.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'residual',
  title: { en: 'Residual and growing networks', zh: '残差网络与增长网络' },
  summary: {
    en: 'Identity shortcuts that let a deep network train, and a network that grows while it trains without forgetting.',
    zh: '让深层网络能够训练的恒等捷径，以及边训练边增长、且不遗忘已学内容的网络。',
  },
  steps: [
    {
      state: {
        data: { kind: 'circle', n: 300, noise: 0.1, seed: 2 },
        model: { kind: 'mlp', hidden_layers: Array.from({ length: 8 }, () => ({ neurons: 4, activation: 'sigmoid' })), residual: false, train: { learning_rate: 0.1, batch_size: 16, optimizer: { kind: 'sgd' } } },
        steps_per_frame: 5,
      },
      text: {
        en: String.raw`Eight sigmoid layers of four neurons and plain SGD: the gradient is multiplied by $\sigma'(z) \le \tfrac14$ at every layer, so the first layers barely move and the loss stalls. A residual connection adds the layer's input to its output, $h_{l+1} = h_l + f(W_l h_l + b_l)$: the identity carries the signal (and the gradient) through, and each layer only learns a change.`,
        zh: String.raw`八个 Sigmoid 层、每层四个神经元，用普通的 SGD：梯度每经过一层都要乘上 $\sigma'(z) \le \tfrac14$，前面几层几乎不动，损失停滞不降。残差连接把层的输入加到输出上：$h_{l+1} = h_l + f(W_l h_l + b_l)$。恒等映射把信号（和梯度）传过去，每一层只需学习一个变化量。`,
      },
      highlight: 'model.residual',
      task: { en: 'Keep all eight layers and reach a train accuracy above 0.9.', zh: '保留全部八层，让训练集准确率超过 0.9。' },
      check: { all: [{ metric: 'train.accuracy', op: '>', value: 0.9 }, { state: 'model.hidden_layers.length', op: '>=', value: 8 }] },
      solution: { state: { model: { residual: true } }, epochs: 300 },
    },
    {
      state: {
        data: { kind: 'spiral', n: 300, noise: 0.1, seed: 3 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 2, activation: 'tanh' }], train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 20,
      },
      text: {
        en: String.raw`Two neurons cannot wind around a spiral: the loss reaches a plateau. A growing network adds neurons or layers to the network it already has. “+ neuron” under the plot splits a neuron in two (each keeps half of the outgoing weight) and “+ layer” inserts an identity layer, so the predictions are exactly the same right after growing, and training goes on from there.`,
        zh: String.raw`两个神经元绕不过螺旋：损失停在一个平台上。增长网络在已有网络上增加神经元或层。图下方的“+ 神经元”把一个神经元一分为二（各保留一半输出权重），“+ 层”插入一个恒等层，因此增长之后预测完全不变，训练从那里继续。`,
      },
      highlight: 'model.grow_on_plateau',
      task: { en: 'Grow the first layer to at least 8 neurons and reach a train accuracy above 0.8.', zh: '把第一层增长到至少 8 个神经元，并让训练集准确率超过 0.8。' },
      check: { all: [{ state: 'model.hidden_layers.0.neurons', op: '>=', value: 8 }, { metric: 'train.accuracy', op: '>', value: 0.8 }] },
      solution: { state: { model: { hidden_layers: [{ neurons: 16, activation: 'tanh' }] } }, epochs: 600 },
    },
  ],
};
