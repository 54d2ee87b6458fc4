"""The peer side of the benchmarks: scikit-learn, timed natively on the same data.

    python3 bench/peer.py TASK DATA_FILE N_FEATURES REPEATS [PARAMS_JSON]

DATA_FILE holds float64 little-endian values: n rows of N_FEATURES features, then n targets.
PARAMS_JSON (optional) is a JSON object with the task's settings (penalty, depth, grid, the path
of a held-out test file in the same layout, ...).
Prints, as JSON, the median time in milliseconds of REPEATS runs (after one warm-up run) and any
figures the task reports about its last run (final loss, accuracy, tree size).

Each task is `setup(x, y, params) -> (timed, report)`: `timed()` is the timed call (its result is
kept), `report(result)` returns a dict of extra figures, computed outside the timing.
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np


def read_xy(path, n_features):
    raw = np.fromfile(path, dtype="<f8")
    n = raw.size // (n_features + 1)
    return raw[: n * n_features].reshape(n, n_features), raw[n * n_features :]


def grid(spec):
    """The same points as the wasm side's 512×512 grids (`evaluate::grid::grid_probabilities`):
    pixel (row r, column c) at x = xmin + (xmax − xmin)·c/(w − 1), y = ymax − (ymax − ymin)·r/(h − 1),
    row-major."""
    xmin, xmax, ymin, ymax, w, h = (spec[k] for k in ("xmin", "xmax", "ymin", "ymax", "w", "h"))
    xs = xmin + (xmax - xmin) * np.arange(w) / (w - 1)
    ys = ymax - (ymax - ymin) * np.arange(h) / (h - 1)
    return np.column_stack([np.tile(xs, h), np.repeat(ys, w)])


def logistic_pipeline(n, params):
    """Our objective is mean cross-entropy + λ·½‖w‖² on standardised features (intercept free);
    scikit-learn's lbfgs minimises the same divided by n·C, so C = 1/(n·λ), and its `tol` is the
    same max-|gradient| test on the mean-scaled objective."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        LogisticRegression(solver="lbfgs", C=1.0 / (n * params["strength"]), tol=params["tolerance"], max_iter=10_000),
    )


def logistic_objective(pipe, x, y, strength):
    """Our objective, evaluated on scikit-learn's fitted pipeline."""
    scaler, clf = pipe[0], pipe[-1]
    z = scaler.transform(x) @ clf.coef_[0] + clf.intercept_[0]
    ce = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(ce + 0.5 * strength * np.dot(clf.coef_[0], clf.coef_[0]))


def mlp_pipeline(params):
    """Our MLP standardises its inputs, so scikit-learn gets a StandardScaler in front. Its L2 term
    is alpha/(2·B)·‖W‖² per mini-batch of B rows; ours is l2·‖W‖² per batch, so l2 = alpha/(2·32)
    (set on the JS side); only the last, short batch of an epoch differs."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=tuple(params["hidden"]),
            activation="relu",
            solver="adam",
            batch_size=params["batch_size"],
            learning_rate_init=params["learning_rate"],
            max_iter=params["epochs"],
            tol=0.0,
            n_iter_no_change=params["epochs"],
            alpha=params["alpha"],
            shuffle=True,
            random_state=0,
        ),
    )


def tree_classifier(params):
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(criterion=params.get("criterion", "gini"), max_depth=params.get("max_depth"), random_state=0)


def tree_report(tree):
    return {"peer_nodes": int(tree.tree_.node_count), "peer_leaves": int(tree.get_n_leaves()), "peer_depth": int(tree.get_depth())}


def linear_fit(x, y, params):
    from sklearn.linear_model import LinearRegression

    return (lambda: LinearRegression().fit(x, y)), None


def logistic_fit(x, y, params):
    pipe = logistic_pipeline(len(y), params)

    def report(fitted):
        return {"peer_loss": logistic_objective(fitted, x, y, params["strength"]), "peer_iterations": int(fitted[-1].n_iter_[0])}

    return (lambda: pipe.fit(x, y)), report


def logistic_cv(x, y, params):
    """5-fold stratified cross_val_score of the same pipeline as `logistic_fit`, with C set for the
    training folds' size (4/5 of n) so both sides minimise the same objective per fold."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    k = params["k"]
    pipe = logistic_pipeline(len(y) * (k - 1) // k, params)
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=0)

    def report(scores):
        return {"peer_mean": float(np.mean(scores)), "peer_std": float(np.std(scores))}

    return (lambda: cross_val_score(pipe, x, y, cv=cv, scoring="accuracy", n_jobs=1)), report


def tree_fit(x, y, params):
    tree = tree_classifier(params)
    return (lambda: tree.fit(x, y)), tree_report


def tree_grid(x, y, params):
    tree = tree_classifier(params).fit(x, y)
    g = grid(params["grid"])
    return (lambda: tree.predict_proba(g)), (lambda _: tree_report(tree))


def logistic_grid(x, y, params):
    pipe = logistic_pipeline(len(y), params).fit(x, y)
    g = grid(params["grid"])
    return (lambda: pipe.predict_proba(g)), None


def mlp_fit(x, y, params):
    pipe = mlp_pipeline(params)
    xt, yt = read_xy(params["test_file"], x.shape[1])

    def report(fitted):
        clf = fitted[-1]
        return {
            "peer_accuracy": float(np.mean(fitted.predict(xt) == yt)),
            "peer_epochs": int(clf.n_iter_),
            "peer_train_loss": float(clf.loss_),
        }

    return (lambda: pipe.fit(x, y)), report


def mlp_grid(x, y, params):
    pipe = mlp_pipeline(params).fit(x, y)
    g = grid(params["grid"])
    return (lambda: pipe.predict_proba(g)), None


def tree_search(x, y, params):
    """Hyper-parameter search of a tree's max_depth (1 to depth_high) and min_samples_leaf (1 to
    leaf_high), both uniform integers, each trial scored by stratified k-fold accuracy (folds in row
    order, as ours with `shuffle: false`; n_jobs = 1), `trials` trials: RandomizedSearchCV, Optuna's TPE or scikit-optimize's
    BayesSearchCV (`method`). Reports the best mean accuracy and its settings."""
    from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    k, trials, method = params["k"], params["trials"], params["method"]
    depth_high, leaf_high = params["depth_high"], params["leaf_high"]
    cv = StratifiedKFold(n_splits=k)  # in row order: the same folds as ours with shuffle: false
    tree = DecisionTreeClassifier(random_state=0)
    if method == "random":
        from scipy.stats import randint

        space = {"max_depth": randint(1, depth_high + 1), "min_samples_leaf": randint(1, leaf_high + 1)}

        def run():
            s = RandomizedSearchCV(tree, space, n_iter=trials, cv=cv, scoring="accuracy", n_jobs=1, random_state=0)
            return s.fit(x, y)

        return run, lambda s: {"peer_best": float(s.best_score_), "peer_params": {k: int(v) for k, v in s.best_params_.items()}}
    if method == "skopt":
        from skopt import BayesSearchCV
        from skopt.space import Integer

        # it warns each time its GP proposes a point already tried (integers repeat): not our business
        warnings.filterwarnings("ignore", message=".*has been evaluated at point.*")

        space = {"max_depth": Integer(1, depth_high), "min_samples_leaf": Integer(1, leaf_high)}

        def run():
            s = BayesSearchCV(tree, space, n_iter=trials, cv=cv, scoring="accuracy", n_jobs=1, random_state=0)
            return s.fit(x, y)

        return run, lambda s: {"peer_best": float(s.best_score_), "peer_params": {k: int(v) for k, v in s.best_params_.items()}}
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial):
        t = DecisionTreeClassifier(
            max_depth=trial.suggest_int("max_depth", 1, depth_high),
            min_samples_leaf=trial.suggest_int("min_samples_leaf", 1, leaf_high),
            random_state=0,
        )
        return cross_val_score(t, x, y, cv=cv, scoring="accuracy", n_jobs=1).mean()

    def run():
        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
        study.optimize(objective, n_trials=trials)
        return study

    return run, lambda s: {"peer_best": float(s.best_value), "peer_params": s.best_params}


def svm_fit(x, y, params):
    from sklearn.svm import SVC
    svc = SVC(kernel=params.get("kernel", "rbf"), C=params.get("C", 1.0), gamma=params.get("gamma", "scale"))

    def report(fitted):
        return {"peer_support_vectors": int(fitted.support_.size)}

    return (lambda: svc.fit(x, y)), report


def kmeans_fit(x, y, params):
    from sklearn.cluster import KMeans
    km = KMeans(n_clusters=len(params["init"]), init=np.array(params["init"]), n_init=1, algorithm="lloyd",
                max_iter=params["max_iter"], tol=params["tol"])

    def report(fitted):
        return {"peer_iterations": int(fitted.n_iter_), "peer_inertia": float(fitted.inertia_)}

    return (lambda: km.fit(x)), report


def knn_fit(x, y, params):
    """k-NN fit: the k-d tree built over the training points (ours builds one at fit too)."""
    from sklearn.neighbors import KNeighborsClassifier
    knn = KNeighborsClassifier(n_neighbors=params.get("k", 5), algorithm="kd_tree")
    return (lambda: knn.fit(x, y.astype(int))), None


def nb_fit(x, y, params):
    from sklearn.naive_bayes import GaussianNB
    nb = GaussianNB()
    return (lambda: nb.fit(x, y.astype(int))), None


def forest_fit(x, y, params):
    """Ours always keeps the out-of-bag sums while growing; scikit-learn's default (oob_score=False)
    does not, so the peer does less work than ours here."""
    from sklearn.ensemble import RandomForestClassifier
    forest = RandomForestClassifier(n_estimators=params.get("trees", 100), max_features=params.get("max_features"),
                                    max_depth=params.get("max_depth"), bootstrap=True, n_jobs=1, random_state=0)

    def report(fitted):
        return {"peer_mean_leaves": float(np.mean([t.get_n_leaves() for t in fitted.estimators_]))}

    return (lambda: forest.fit(x, y.astype(int))), report


def boosting_fit(x, y, params):
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import log_loss
    gb = GradientBoostingClassifier(n_estimators=params.get("stages", 100), learning_rate=params.get("learning_rate", 0.1),
                                    max_depth=params.get("max_depth", 3), subsample=1.0, random_state=0)

    def report(fitted):
        return {"peer_train_log_loss": float(log_loss(y.astype(int), fitted.predict_proba(x)))}

    return (lambda: gb.fit(x, y.astype(int))), report


def kmeans_grid(x, y, params):
    fitted = kmeans_fit(x, y, params)[0]()
    points = grid(params["grid"])
    return (lambda: fitted.predict(points)), None


def predict_rows(x, y, params):
    """bench/predict.mjs: the family's scikit-learn counterpart fitted on (x, y), then timed on
    the rows of `rows_file` (512 × 512 rows of x's width): predict_proba for classifiers,
    predict for regression and k-means. Models that standardise their inputs on our side get a
    StandardScaler in front, as ours does inside."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows = np.fromfile(params["rows_file"], dtype="<f8").reshape(-1, x.shape[1])
    family = params["family"]
    labels = y.astype(int)
    if family == "linear":
        from sklearn.linear_model import LinearRegression
        model, call = LinearRegression().fit(x, y), "predict"
    elif family == "logistic":
        from sklearn.linear_model import LogisticRegression
        model, call = make_pipeline(StandardScaler(), LogisticRegression()).fit(x, labels), "predict_proba"
    elif family == "tree":
        from sklearn.tree import DecisionTreeClassifier
        model, call = DecisionTreeClassifier(random_state=0).fit(x, labels), "predict_proba"
    elif family == "mlp":
        from sklearn.neural_network import MLPClassifier
        warnings.filterwarnings("ignore")
        clf = MLPClassifier(hidden_layer_sizes=tuple(params["hidden"]), activation="relu", max_iter=params["epochs"], random_state=0)
        model, call = make_pipeline(StandardScaler(), clf).fit(x, labels), "predict_proba"
    elif family == "knn":
        from sklearn.neighbors import KNeighborsClassifier
        model, call = KNeighborsClassifier(n_neighbors=5).fit(x, labels), "predict_proba"
    elif family == "naive_bayes":
        from sklearn.naive_bayes import GaussianNB
        model, call = GaussianNB().fit(x, labels), "predict_proba"
    elif family == "forest":
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(n_estimators=100, max_features=None, max_depth=params.get("max_depth"), n_jobs=1, random_state=0)
        model, call = model.fit(x, labels), "predict_proba"
    elif family == "boosting":
        from sklearn.ensemble import GradientBoostingClassifier
        model, call = GradientBoostingClassifier(n_estimators=100, learning_rate=0.1, max_depth=3, random_state=0).fit(x, labels), "predict_proba"
    elif family == "svm":
        from sklearn.svm import SVC
        warnings.filterwarnings("ignore", category=FutureWarning)  # probability=True: still the Platt path timed
        model, call = SVC(kernel="rbf", C=1.0, gamma="scale", probability=True, random_state=0).fit(x, labels), "predict_proba"
    elif family == "kmeans":
        from sklearn.cluster import KMeans
        model, call = KMeans(n_clusters=params["k"], n_init=1, random_state=0).fit(x), "predict"
    else:
        raise ValueError(f"unknown family {family}")
    call = params.get("call", call)
    fn = getattr(model, call)
    name = f"{type(model[-1] if hasattr(model, 'steps') else model).__name__}.{call}"
    return (lambda: fn(rows)), (lambda _: {"peer_call": name})


TASKS = {
    "tree_search": tree_search,
    "linear_fit": linear_fit,
    "logistic_fit": logistic_fit,
    "logistic_cv": logistic_cv,
    "tree_fit": tree_fit,
    "tree_grid": tree_grid,
    "logistic_grid": logistic_grid,
    "mlp_fit": mlp_fit,
    "mlp_grid": mlp_grid,
    "svm_fit": svm_fit,
    "kmeans_fit": kmeans_fit,
    "kmeans_grid": kmeans_grid,
    "knn_fit": knn_fit,
    "nb_fit": nb_fit,
    "forest_fit": forest_fit,
    "boosting_fit": boosting_fit,
    "predict_rows": predict_rows,
}


def main():
    task, path, n_features, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    params = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
    x, y = read_xy(path, n_features)
    # MLPClassifier warns that 50 epochs did not "converge": that is the setting being timed.
    warnings.filterwarnings("ignore", message=".*Maximum iterations.*")
    timed, report = TASKS[task](x, y, params)
    result = timed()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = timed()
        times.append((time.perf_counter() - t0) * 1000)
    out = {"median_ms": statistics.median(times), "runs": repeats}
    if report is not None:
        out.update(report(result))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
