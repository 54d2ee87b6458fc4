// Lesson 4 (primer, core concepts 3): neurons, activation functions and back-propagation.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'activations',
  title: { en: 'Activation functions and back-propagation', zh: '激活函数与反向传播' },
  summary: {
    en: 'Why a network needs a non-linear activation, and how the chain rule sends the error back through the layers.',
    zh: '网络为什么需要非线性激活函数，以及链式法则如何把误差逐层传回。',
  },
  steps: [
    {
      state: {
        data: { kind: 'circle', n: 300, noise: 0.1, seed: 1 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 6, activation: 'linear' }], train: { learning_rate: 0.03, optimizer: { kind: 'adam' } } },
        steps_per_frame: 10,
      },
      text: {
        en: String.raw`A neuron computes $a = f(z)$ with $z = \sum_i w_i x_i + b$. With the linear activation $f(z) = z$ a stack of layers is still one linear map, so the boundary stays a straight line. Non-linear choices: $\tanh(z)$, $\mathrm{ReLU}(z) = \max(0, z)$, $\sigma(z) = \frac{1}{1+e^{-z}}$.`,
        zh: String.raw`一个神经元计算 $a = f(z)$，其中 $z = \sum_i w_i x_i + b$。若激活函数是线性的 $f(z) = z$，多层叠加仍然只是一个线性映射，边界仍是直线。非线性的选择有：$\tanh(z)$、$\mathrm{ReLU}(z) = \max(0, z)$、$\sigma(z) = \frac{1}{1+e^{-z}}$。`,
      },
      highlight: 'model.hidden_layers',
      task: { en: 'Change the activation (keep one hidden layer) and train until the test accuracy exceeds 0.9.', zh: '换一个激活函数（保持一个隐藏层），训练到测试集准确率超过 0.9。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }, { state: 'model.hidden_layers.length', op: '<=', value: 1 }] },
      solution: { state: { model: { hidden_layers: [{ neurons: 6, activation: 'tanh' }] } }, epochs: 300 },
    },
    {
      state: {
        data: { kind: 'circle', n: 300, noise: 0.1, seed: 1 },
        model: { kind: 'mlp', hidden_layers: [{ neurons: 6, activation: 'tanh' }, { neurons: 6, activation: 'tanh' }], train: { learning_rate: 0.1, optimizer: { kind: 'sgd' }, batch_size: 16 } },
        steps_per_frame: 5,
      },
      text: {
        en: String.raw`Back-propagation finds every weight's gradient with the chain rule, layer by layer from the loss backwards: $\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z}\,\frac{\partial z}{\partial w}$, where $\frac{\partial a}{\partial z} = f'(z)$. Press Step a few times: the line widths in the network diagram are the weights the gradients move.`,
        zh: String.raw`反向传播用链式法则，从损失出发逐层向后求出每个权重的梯度：$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z}\,\frac{\partial z}{\partial w}$，其中 $\frac{\partial a}{\partial z} = f'(z)$。多按几次“单步”：网络图中线条的粗细就是梯度推动的权重。`,
      },
      task: { en: 'Train until the train accuracy exceeds 0.95.', zh: '训练到训练集准确率高于 0.95。' },
      check: { all: [{ metric: 'train.accuracy', op: '>', value: 0.95 }] },
      solution: { state: {}, epochs: 300 },
    },
  ],
};
