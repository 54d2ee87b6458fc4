// Lesson 1 (primer, core algorithms 1): linear regression and least squares.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'linear',
  title: { en: 'Linear regression and least squares', zh: '线性回归与最小二乘法' },
  summary: {
    en: 'A straight line through noisy points, the least-squares formula, polynomial features and gradient descent.',
    zh: '穿过带噪声数据点的直线、最小二乘公式、多项式特征与梯度下降。',
  },
  steps: [
    {
      state: { data: { kind: 'linear', n: 60, noise: 0.3, seed: 4 }, model: { kind: 'linear' }, view: { residuals: true, band: false } },
      text: {
        en: String.raw`Linear regression assumes $Y = aX + b + \varepsilon$: a line plus noise. Least squares picks the line with the smallest sum of squared residuals $\sum_i (y_i - \hat y_i)^2$ — the red segments on the plot.

The minimum has a closed form: $\hat a = \frac{\sum_i (x_i-\bar x)(y_i-\bar y)}{\sum_i (x_i-\bar x)^2}$, $\hat b = \bar y - \hat a\,\bar x$. Drag a point and watch the line and the formula on the right follow at once.`,
        zh: String.raw`线性回归假设 $Y = aX + b + \varepsilon$：一条直线加上噪声。最小二乘法选出残差平方和 $\sum_i (y_i - \hat y_i)^2$ 最小的直线——图上的红色线段就是残差。

这个最小值有解析解：$\hat a = \frac{\sum_i (x_i-\bar x)(y_i-\bar y)}{\sum_i (x_i-\bar x)^2}$，$\hat b = \bar y - \hat a\,\bar x$。拖动一个点，看直线和右侧的公式如何立刻跟着变化。`,
      },
      highlight: 'view.residuals',
    },
    {
      state: { data: { kind: 'sine', n: 80, noise: 0.15, seed: 2 }, model: { kind: 'linear', degree: 1 } },
      text: {
        en: String.raw`A sine wave is not a line, but the model can still be linear in its weights: with features $x, x^2, \dots, x^d$ it fits $\hat y = \sum_{k=1}^{d} w_k x^k + b$, and least squares still solves it in one step.`,
        zh: String.raw`正弦波不是直线，但模型对权重仍可以是线性的：用特征 $x, x^2, \dots, x^d$ 拟合 $\hat y = \sum_{k=1}^{d} w_k x^k + b$，最小二乘法依然一步求解。`,
      },
      highlight: 'model.degree',
      task: {
        en: 'Make the test R² exceed 0.9 with a degree of at most 5.',
        zh: '让测试集 R² 超过 0.9，且次数不超过 5。',
      },
      check: { all: [{ metric: 'test.r2', op: '>', value: 0.9 }, { state: 'model.degree', op: '<=', value: 5 }] },
      solution: { state: { model: { degree: 5 } } },
    },
    {
      state: {
        data: { kind: 'linear', n: 100, noise: 0.2, seed: 3 },
        model: { kind: 'linear', solver: 'gradient_descent', train: { learning_rate: 0.001, batch_size: 0, optimizer: { kind: 'sgd' } } },
        steps_per_frame: 5,
      },
      text: {
        en: String.raw`Instead of solving, gradient descent walks downhill on the mean squared error: $w \leftarrow w - \eta\,\frac{2}{N}\sum_i (\hat y_i - y_i)\,x_i$. The learning rate $\eta$ sets the stride. Press Play and watch the loss curve.`,
        zh: String.raw`梯度下降不直接求解，而是沿均方误差下坡走：$w \leftarrow w - \eta\,\frac{2}{N}\sum_i (\hat y_i - y_i)\,x_i$。学习率 $\eta$ 决定步长。点击“运行”，观察损失曲线。`,
      },
      highlight: 'model.train.learning_rate',
      task: {
        en: 'Train by gradient descent until the test R² exceeds 0.9 within 200 epochs.',
        zh: '用梯度下降训练，在 200 轮以内让测试集 R² 超过 0.9。',
      },
      check: { all: [{ metric: 'test.r2', op: '>', value: 0.9 }, { metric: 'epoch', op: '<=', value: 200 }, { state: 'model.solver', op: '==', value: 'gradient_descent' }] },
      solution: { state: { model: { train: { learning_rate: 0.1 } } }, epochs: 200 },
    },
  ],
};
