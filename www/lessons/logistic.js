// Lesson 2 (primer, core algorithms 2): logistic regression and the sigmoid.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'logistic',
  title: { en: 'Logistic regression and the sigmoid', zh: '逻辑回归与 Sigmoid 函数' },
  summary: {
    en: 'A linear score squashed into a probability, the cross-entropy loss, and feature maps that bend the boundary.',
    zh: '把线性得分压成概率、交叉熵损失，以及让决策边界弯曲的特征映射。',
  },
  steps: [
    {
      state: { data: { kind: 'separable', n: 200, noise: 0.3, seed: 1 }, model: { kind: 'logistic' } },
      text: {
        en: String.raw`Logistic regression computes a score $z = w^\top x + b$ and turns it into a probability with the sigmoid $p = \sigma(z) = \frac{1}{1+e^{-z}}$. The decision boundary is where $p = 0.5$, i.e. $z = 0$: a straight line. The sigmoid chart on the right puts every point at its score.`,
        zh: String.raw`逻辑回归先算得分 $z = w^\top x + b$，再用 Sigmoid 函数 $p = \sigma(z) = \frac{1}{1+e^{-z}}$ 把它变成概率。决策边界是 $p = 0.5$ 处，也就是 $z = 0$：一条直线。右侧的 Sigmoid 图把每个点放在它的得分处。`,
      },
    },
    {
      state: { data: { kind: 'xor', n: 300, noise: 0.2, seed: 2 }, model: { kind: 'logistic' } },
      text: {
        en: String.raw`XOR cannot be split by one line, so the model guesses. But the score may use any features: with the product $x_1 x_2$ the score $z = w_1 x_1 + w_2 x_2 + w_3 x_1 x_2 + b$ changes sign exactly between the quadrants.`,
        zh: String.raw`XOR 无法用一条直线分开，模型只能乱猜。但得分可以用任何特征：加上乘积 $x_1 x_2$ 后，$z = w_1 x_1 + w_2 x_2 + w_3 x_1 x_2 + b$ 恰好在象限之间改变符号。`,
      },
      highlight: 'model.features',
      task: { en: 'Make the test accuracy exceed 0.9.', zh: '让测试集准确率超过 0.9。' },
      check: { all: [{ metric: 'test.accuracy', op: '>', value: 0.9 }] },
      solution: { state: { model: { features: { x1: true, x2: true, x1_x2: true } } } },
    },
    {
      state: { data: { kind: 'moons', n: 200, noise: 0.3, seed: 5 }, model: { kind: 'logistic', features: { x1: true, x2: true, x1_squared: true, x2_squared: true, x1_x2: true, sin_x1: true, sin_x2: true }, penalty: { kind: 'none' } } },
      text: {
        en: String.raw`The weights are chosen to maximise the likelihood, i.e. to minimise the cross-entropy $L = -\frac{1}{N}\sum_i [y_i \ln p_i + (1-y_i)\ln(1-p_i)]$. With many features and no penalty the weights grow to fit the noise; a penalty $\lambda \lVert w\rVert^2$ keeps them small.`,
        zh: String.raw`权重的选择是让似然最大，也就是让交叉熵 $L = -\frac{1}{N}\sum_i [y_i \ln p_i + (1-y_i)\ln(1-p_i)]$ 最小。特征多又没有正则化时，权重会变大去拟合噪声；正则化项 $\lambda \lVert w\rVert^2$ 让权重保持较小。`,
      },
      highlight: 'model.penalty',
      task: { en: 'Bring the test log-loss below 0.3 by adding a penalty.', zh: '加上正则化，让测试集对数损失低于 0.3。' },
      check: { all: [{ metric: 'test.log_loss', op: '<', value: 0.3 }, { state: 'model.penalty.kind', op: '!=', value: 'none' }] },
      solution: { state: { model: { penalty: { kind: 'l2' }, strength: 0.01 } } },
    },
  ],
};
