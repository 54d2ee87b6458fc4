# Generates the scikit-learn reference numbers in tests/native/knn.rs (run once: python3 tests/parity/knn.py).
# scikit-learn 1.9.1, algorithm='kd_tree' (exact Minkowski distances; no tie occurs in this data).
import numpy as np
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

rng = np.random.RandomState(0)
X = np.round(rng.randn(12, 2), 4)
yc = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 1, 0])
yr = np.round(rng.randn(12), 4)
Q = np.vstack([np.round(rng.randn(5, 2), 4), X[3:4]])  # the last query is training point 3 itself

def rs(a):
    return "[" + ", ".join(repr(float(v)) for v in np.ravel(a)) + "]"

print("const X: [f64; 24] =", rs(X) + ";")
print("const Y_CLASS: [f64; 12] =", rs(yc) + ";")
print("const Y_REG: [f64; 12] =", rs(yr) + ";")
print("const Q: [f64; 12] =", rs(Q) + ";")
for p in [1, 2, 3]:
    for w in ["uniform", "distance"]:
        c = KNeighborsClassifier(n_neighbors=4, weights=w, p=p, algorithm="kd_tree").fit(X, yc)
        r = KNeighborsRegressor(n_neighbors=4, weights=w, p=p, algorithm="kd_tree").fit(X, yr)
        d, i = c.kneighbors(Q)
        print(f"// p = {p}, weights = {w}")
        print(f"(\"{w}\", {p}.0, {rs(i)}, {rs(d)}, {rs(c.predict_proba(Q))}, {rs(r.predict(Q))}),")
