// Lesson 8 (primer, building models 4): feature engineering (missing values, outliers, transforms)
// and feature selection.
/** @type {import('./index.js').Lesson} */
export default {
  id: 'features',
  title: { en: 'Feature engineering and selection', zh: '特征工程与特征选择' },
  summary: {
    en: 'Filling missing values, handling outliers, transforming features and leaving out the ones that do not help.',
    zh: '缺失值填补、异常值处理、特征变换，以及去掉没有帮助的特征。',
  },
  steps: [
    {
      state: { data: { kind: 'linear', n: 150, noise: 0.2, seed: 5, outliers: 0.15 }, model: { kind: 'linear' } },
      text: {
        en: String.raw`Squared errors make a few far-off points pull the whole line: a residual of 5 costs as much as 25 residuals of 1. Outlier handling first flags them, e.g. by the z-score $z_i = \frac{x_i - \bar x}{s} $ with $|z_i| > 3$, or by Tukey's rule (outside $[Q_1 - 1.5\,\mathrm{IQR},\ Q_3 + 1.5\,\mathrm{IQR}]$), then clips them or leaves them out of training. Leaving them out changes only the training rows; clipping is part of the preparation, so it also tames the test rows — and every request a deployed model will answer.`,
        zh: String.raw`平方误差让少数远离的点拉动整条直线：一个大小为 5 的残差，代价等于 25 个大小为 1 的残差。异常值处理先把它们找出来，例如用 z 分数 $z_i = \frac{x_i - \bar x}{s}$，$|z_i| > 3$；或用 Tukey 规则（落在 $[Q_1 - 1.5\,\mathrm{IQR},\ Q_3 + 1.5\,\mathrm{IQR}]$ 之外），再截断它们或不用它们训练。剔除只改变训练行；截断是数据准备的一部分，所以它也会处理测试行——以及部署后模型要回答的每一个请求。`,
      },
      highlight: 'data.outlier_rule',
      task: { en: 'Detect the outliers and handle them so that the test R² exceeds 0.8.', zh: '检测并处理异常值，使测试集 R² 超过 0.8。' },
      check: { all: [{ metric: 'test.r2', op: '>', value: 0.8 }, { state: 'data.outlier_action', op: '!=', value: 'keep' }] },
      solution: { state: { data: { outlier_rule: { kind: 'iqr', factor: 1.5 }, outlier_action: 'clip' } } },
    },
    {
      state: { data: { kind: 'circle', n: 300, noise: 0.1, seed: 3, missing: 0.2 }, model: { kind: 'logistic' } },
      text: {
        en: String.raw`A fifth of the cells are missing, and rows with a gap are dropped — from the test set too (see “points” in the table): a deployed model would have to refuse those requests. Missing-value filling keeps every row, with the column's mean or median or the nearest rows' values, fitted on the training rows only so no test statistic leaks in. A filled value is a guess, so the score is more honest, not higher.

Then the features: a circle is not linear in $x_1, x_2$, but it is in the transformed features $x_1^2, x_2^2$, since $x_1^2 + x_2^2 = r^2$.`,
        zh: String.raw`有五分之一的单元格缺失，带缺失的行会被丢弃——测试集里的也一样（看表中的“点数”）：部署后的模型只能拒绝这些请求。缺失值填补保留每一行，用该列的均值、中位数或最近邻行的值来填，并且只在训练行上拟合，测试集的统计量不会泄漏进来。填入的值是猜测，所以分数更诚实，而不是更高。

然后是特征：圆对 $x_1, x_2$ 不是线性的，但对变换后的特征 $x_1^2, x_2^2$ 是，因为 $x_1^2 + x_2^2 = r^2$。`,
      },
      highlight: 'data.impute',
      task: { en: 'Keep all 60 test points (fill the gaps) and transform the features so that the test accuracy exceeds 0.9.', zh: '保留全部 60 个测试点（填补缺失值），并变换特征，使测试集准确率超过 0.9。' },
      check: { all: [{ metric: 'test.n', op: '>=', value: 60 }, { metric: 'test.accuracy', op: '>', value: 0.9 }] },
      solution: { state: { data: { impute: { kind: 'median' } }, model: { features: { x1: true, x2: true, x1_squared: true, x2_squared: true } } } },
    },
    {
      state: { data: { kind: 'moons', n: 300, noise: 0.2, seed: 1 }, model: { kind: 'tree', max_depth: 6 } },
      text: {
        en: String.raw`Feature selection keeps the features that carry information. The permutation importance of a feature is how much the score drops when its column is shuffled: $I_j = s - s_{\pi(j)}$. Leave a feature out with its checkbox and compare.`,
        zh: String.raw`特征选择保留带有信息的特征。一个特征的置换重要性，是把它那一列打乱后分数下降的多少：$I_j = s - s_{\pi(j)}$。用复选框去掉一个特征，比较前后的结果。`,
      },
      highlight: 'data.drop_features',
      task: { en: 'Leave one feature out and see the test accuracy fall below 0.9: both features carry information.', zh: '去掉一个特征，看测试集准确率降到 0.9 以下：两个特征都带有信息。' },
      check: { all: [{ state: 'data.drop_features.length', op: '>=', value: 1 }, { metric: 'test.accuracy', op: '<', value: 0.9 }] },
      solution: { state: { data: { drop_features: [1] } }, epochs: 100 },
    },
  ],
};
