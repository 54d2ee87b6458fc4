//! The model descriptor the page builds its model panel from cannot lie: every control's path is a
//! field of the family's params, every value it offers is accepted by `check`, and each family's
//! flags match what its params do.

use ml_playground::model::describe::{Control, Show, TaskKind, Value, Widget};
use ml_playground::model::descriptor;
use ml_playground::model::ModelParams;
use serde_json::{json, Value as Json};

fn to_json(v: &Value) -> Json {
    serde_json::to_value(v).unwrap()
}

fn defaults(kind: &str) -> Json {
    let params: ModelParams = serde_json::from_value(json!({ "kind": kind })).unwrap();
    serde_json::to_value(&params).unwrap()
}

fn at<'a>(value: &'a mut Json, path: &str) -> Option<&'a mut Json> {
    path.split('.').try_fold(value, |v, key| v.get_mut(key))
}

/// Sets `path` to `value` in the defaults of `kind` and checks the params are read and accepted.
fn accepts(kind: &str, path: &str, value: Json) {
    let mut params = defaults(kind);
    *at(&mut params, path).unwrap_or_else(|| panic!("{kind}: no field `{path}`")) = value.clone();
    let read: ModelParams =
        serde_json::from_value(params).unwrap_or_else(|e| panic!("{kind}.{path} = {value}: not read: {e}"));
    read.check().unwrap_or_else(|e| panic!("{kind}.{path} = {value}: refused: {e}"));
}

fn check_control(kind: &str, c: &Control) {
    match &c.widget {
        Widget::Select { options, .. } => {
            assert!(options.len() >= 2, "{kind}.{}: a select of fewer than two values", c.path);
            for option in options {
                accepts(kind, c.path, to_json(option));
            }
        }
        Widget::Range { min, max, step } => {
            assert!(min < max && *step > 0.0, "{kind}.{}", c.path);
            accepts(kind, c.path, to_json(&Value::Number(*min)));
            accepts(kind, c.path, to_json(&Value::Number(*max)));
        }
        Widget::Toggles { options } => {
            for field in options {
                accepts(kind, &format!("{}.{field}", c.path), json!(true));
                accepts(kind, &format!("{}.{field}", c.path), json!(false));
            }
        }
        Widget::Checkbox => {
            accepts(kind, c.path, json!(true));
            accepts(kind, c.path, json!(false));
        }
        Widget::Layers { max_layers, max_neurons, activations } => {
            for activation in activations {
                let layer = json!({ "neurons": max_neurons, "activation": activation });
                accepts(kind, c.path, Json::Array(vec![layer; *max_layers]));
            }
        }
    }
    for path in show_paths(&c.show) {
        assert!(at(&mut defaults(kind), path).is_some(), "{kind}: a condition names `{path}`, not a field");
    }
}

fn show_paths(show: &Show) -> Vec<&'static str> {
    match show {
        Show::Equals(path, _) | Show::Differs(path, _) => vec![path],
        Show::All(all) => all.iter().flat_map(show_paths).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn every_control_edits_a_field_and_every_offered_value_is_accepted() {
    let d = descriptor();
    assert_eq!(
        d.families.iter().map(|f| f.kind).collect::<Vec<_>>(),
        ["linear", "logistic", "tree", "mlp", "knn", "naive_bayes", "forest", "boosting", "ensemble", "svm", "kmeans"]
    );
    for family in &d.families {
        for control in &family.controls {
            check_control(family.kind, control);
        }
        if family.gradient != Show::Never {
            for control in &d.train_controls {
                check_control(family.kind, control);
            }
        }
    }
}

#[test]
fn flags_match_the_params() {
    for family in descriptor().families {
        let params: ModelParams = serde_json::from_value(json!({ "kind": family.kind })).unwrap();
        assert_eq!(family.gradient != Show::Never, params.train_params().is_some(), "{}", family.kind);
        let weighted: ModelParams =
            serde_json::from_value(json!({ "kind": family.kind, "class_weight": "balanced" })).unwrap_or(params);
        assert_eq!(family.class_weight, weighted.class_weight().is_some(), "{}", family.kind);
        assert!(!family.tasks.is_empty());
    }
    // each task has a default family (the first registered for it)
    for task in [TaskKind::Regression, TaskKind::Classification] {
        assert!(descriptor().families.iter().any(|f| f.tasks.contains(&task)));
    }
}

#[test]
fn the_descriptor_serialises_as_the_page_reads_it() {
    let json = serde_json::to_value(descriptor()).unwrap();
    let tree = &json["families"][2];
    assert_eq!(tree["kind"], "tree");
    assert_eq!(tree["animation"], "splits");
    assert_eq!(
        tree["controls"][0],
        json!({ "path": "criterion", "type": "select", "options": ["gini", "entropy"], "show": { "task": "classification" } })
    );
    assert_eq!(tree["controls"][1]["options"][0], Json::Null);
    let logistic = &json["families"][1];
    assert_eq!(logistic["gradient"], json!({ "path": "solver", "equals": "gradient" }));
    assert_eq!(logistic["controls"][1]["options"][3], json!({ "kind": "elastic_net", "l1_ratio": 0.5 }));
    assert_eq!(json["limits"]["max_neurons"], 32);
    assert_eq!(json["train_controls"][0]["path"], "train.optimizer");
}
