// Lesson 5 (primer, core concepts 3): update rules (SGD, Momentum, Adam) and learning-rate schedules.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'optimizers',
  title: { en: 'Optimisers and learning-rate schedules', zh: '参数更新规则与学习率调节器' },
  summary: {
    en: 'SGD, Momentum and Adam on the same network; a learning rate too large; schedules that lower it as training goes on.',
    zh: '同一个网络上的 SGD、动量法与 Adam；过大的学习率；随训练逐步降低学习率的调节器。',
  },
  steps: [
    {
      state: {
        data: { kind: 'spiral', n: 300, noise: 0.1, seed: 2 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 16, activation: 'tanh' }, { neurons: 16, activation: 'tanh' }], train: { learning_rate: 0.01, batch_size: 16, optimizer: { kind: 'sgd' } } },
        steps_per_frame: 10,
      },
      text: {
        en: String.raw`Plain SGD steps against the gradient of a mini-batch: $w \leftarrow w - \eta\, g$. Momentum keeps a running direction, $v \leftarrow \beta v + g$, $w \leftarrow w - \eta v$. Adam scales each weight's step by its own gradient size: $\hat m / (\sqrt{\hat v} + \epsilon)$, with $m, v$ running means of $g$ and $g^2$.`,
        zh: String.raw`随机梯度下降法（SGD）沿小批量梯度的反方向走一步：$w \leftarrow w - \eta\, g$。动量法保留一个累积方向：$v \leftarrow \beta v + g$，$w \leftarrow w - \eta v$。Adam 按每个权重自己的梯度大小缩放步长：$\hat m / (\sqrt{\hat v} + \epsilon)$，$m, v$ 是 $g$ 与 $g^2$ 的滑动平均。`,
      },
      highlight: 'model.train.optimizer',
      task: { en: 'Reach a train accuracy above 0.9 within 300 epochs (choose the optimiser).', zh: '在 300 轮以内让训练集准确率超过 0.9（选择参数更新规则）。' },
      check: { all: [{ metric: 'train.accuracy', op: '>', value: 0.9 }, { metric: 'epoch', op: '<=', value: 300 }] },
      solution: { state: { model: { train: { optimizer: { kind: 'adam' }, learning_rate: 0.03 } } }, epochs: 300 },
    },
    {
      state: {
        data: { kind: 'moons', n: 300, noise: 0.2, seed: 4 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 8, activation: 'tanh' }], train: { learning_rate: 0.5, batch_size: 16, optimizer: { kind: 'adam' }, schedule: { kind: 'constant' } } },
        steps_per_frame: 10,
      },
      text: {
        en: String.raw`A large learning rate moves fast but keeps jumping over the minimum: the loss curve stays noisy. A learning-rate schedule lowers $\eta_t$ as training goes on, e.g. cosine $\eta_t = \eta_{\min} + \tfrac12(\eta_0-\eta_{\min})\bigl(1+\cos\tfrac{\pi t}{T}\bigr)$ or exponential $\eta_t = \eta_0\,\gamma^t$. The schedule chart shows $\eta_t$.`,
        zh: String.raw`学习率大时走得快，却总是跳过最低点：损失曲线一直抖动。学习率调节器随训练降低 $\eta_t$，例如余弦 $\eta_t = \eta_{\min} + \tfrac12(\eta_0-\eta_{\min})\bigl(1+\cos\tfrac{\pi t}{T}\bigr)$ 或指数 $\eta_t = \eta_0\,\gamma^t$。学习率图显示 $\eta_t$。`,
      },
      highlight: 'model.train.schedule',
      task: { en: 'Choose a schedule that is not constant and train until the test accuracy exceeds 0.9.', zh: '选择一个非恒定的学习率调节器，训练到测试集准确率超过 0.9。' },
      check: { all: [{ state: 'model.train.schedule.kind', op: '!=', value: 'constant' }, { metric: 'test.accuracy', op: '>', value: 0.9 }] },
      solution: { state: { model: { train: { schedule: { kind: 'exponential', gamma: 0.995 } } } }, epochs: 400 },
    },
  ],
};
