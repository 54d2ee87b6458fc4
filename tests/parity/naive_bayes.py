# Generates the scikit-learn reference numbers in tests/native/naive_bayes.rs (run once:
# python3 tests/parity/naive_bayes.py). scikit-learn 1.9.1, GaussianNB.
import numpy as np
from sklearn.naive_bayes import GaussianNB

rng = np.random.RandomState(1)
X = np.round(rng.randn(15, 3) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0], 4)
y = np.array([0, 1, 2] * 5)
# zero variance: feature 3 is constant within class 0, so only the smoothing keeps its variance > 0
X[y == 0, 2] = 0.25
Q = np.round(rng.randn(4, 3) * 1.5, 4)

def rs(a):
    return "[" + ", ".join(repr(float(v)) for v in np.ravel(a)) + "]"

print("const X: [f64; 45] =", rs(X) + ";")
print("const Y: [f64; 15] =", rs(y) + ";")
print("const Q: [f64; 12] =", rs(Q) + ";")
for name, kw in [("default", {}), ("priors_and_smoothing", {"priors": [0.2, 0.3, 0.5], "var_smoothing": 1e-3})]:
    m = GaussianNB(**kw).fit(X, y)
    print(f"// {name}: {kw}")
    print(f"const {name.upper()}: Reference = Reference {{ epsilon: {float(m.epsilon_)!r}, theta: {rs(m.theta_)}, var: {rs(m.var_)}, prior: {rs(m.class_prior_)}, proba: {rs(m.predict_proba(Q))} }};")
