//! What the page needs to know about a model family, as data: the tasks it serves, whether it
//! takes class weights and gradient-training settings, how its training animates, and a
//! description of its controls (the path into its params, the widget, the values offered and when
//! the control applies).
//!
//! Each family's params type describes itself ([`super::Hyperparams::describe`]); the registry
//! collects them into [`super::families`], which the wasm exports as `models()`. The page builds its
//! model list and model controls from it, so adding a family adds no page code. Labels are not
//! here: the page names a control by `model.<path>` and an option by its value, through its message
//! catalog (so Rust returns no English to translate).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A task a family can learn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Regression,
    Classification,
    /// Learning groups from the features alone: the targets are ignored for training (and
    /// compared with the clusters when they are classes). A family that clusters is offered on
    /// data of every task.
    Clustering,
}

impl TaskKind {
    /// True when a family that learns `tasks` can train on data of task `data`: it learns that
    /// task, or it clusters (which reads no targets).
    pub fn serves(tasks: &[TaskKind], data: TaskKind) -> bool {
        tasks.contains(&data) || tasks.contains(&TaskKind::Clustering)
    }
}

impl From<crate::data::Task> for TaskKind {
    fn from(task: crate::data::Task) -> TaskKind {
        match task {
            crate::data::Task::Regression => TaskKind::Regression,
            crate::data::Task::Classification { .. } => TaskKind::Classification,
        }
    }
}

/// How a family trains on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Animation {
    /// Gradient epochs, one `step` per epoch (Step / Play; instant when `fits_instantly`).
    Epochs,
    /// One split per `step` (a tree grown best-first).
    Splits,
}

/// A JSON value offered by a control (a number, text, `null`, or a small object such as an
/// optimiser with its constants).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(&'static str),
    Object(Vec<(&'static str, Value)>),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            // whole numbers as integers, so a count reads into a `usize` field
            Value::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => s.serialize_i64(*x as i64),
            Value::Number(x) => s.serialize_f64(*x),
            Value::Text(t) => s.serialize_str(t),
            Value::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Number(x)
    }
}

impl From<&'static str> for Value {
    fn from(t: &'static str) -> Self {
        Value::Text(t)
    }
}

/// `{"kind": kind}` plus other fields: the shape of every small tagged enum in params.
pub fn tagged(kind: &'static str, fields: &[(&'static str, Value)]) -> Value {
    let mut all = vec![("kind", Value::Text(kind))];
    all.extend(fields.iter().cloned());
    Value::Object(all)
}

/// Numbers as values.
pub fn numbers(list: &[f64]) -> Vec<Value> {
    list.iter().map(|&x| Value::Number(x)).collect()
}

/// When a control applies (and is shown).
#[derive(Debug, Clone, PartialEq)]
pub enum Show {
    Always,
    Never,
    /// Only on data of this task.
    Task(TaskKind),
    /// Only while the params value at `path` (`.`-separated) equals the value; for an object, its
    /// `kind` is compared when the value is text.
    Equals(&'static str, Value),
    /// Only while the params value at `path` differs from the value (compared as `Equals`).
    Differs(&'static str, Value),
    /// Only when every condition holds.
    All(Vec<Show>),
}

impl Serialize for Show {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        match self {
            Show::Always => map.serialize_entry("always", &true)?,
            Show::Never => map.serialize_entry("always", &false)?,
            Show::Task(task) => map.serialize_entry("task", task)?,
            Show::Equals(path, value) => {
                map.serialize_entry("path", path)?;
                map.serialize_entry("equals", value)?;
            }
            Show::Differs(path, value) => {
                map.serialize_entry("path", path)?;
                map.serialize_entry("differs", value)?;
            }
            Show::All(all) => map.serialize_entry("all", &ShowList(all))?,
        }
        map.end()
    }
}

struct ShowList<'a>(&'a [Show]);

impl Serialize for ShowList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for show in self.0 {
            seq.serialize_element(show)?;
        }
        seq.end()
    }
}

/// How a control is drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Widget {
    /// One of a list of values; with `from_view`, also every number the page's views hold at that
    /// path (e.g. `pruning.alphas`: each α of the tree's pruning path), so the control covers them.
    Select {
        options: Vec<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        from_view: Option<&'static str>,
    },
    /// A slider over whole steps from `min` to `max`.
    Range { min: f64, max: f64, step: f64 },
    /// A checkbox per named boolean field of an object at the path.
    Toggles { options: Vec<&'static str> },
    /// A boolean.
    Checkbox,
    /// The hidden layers of a network: neurons and an activation per layer.
    Layers { max_layers: usize, max_neurons: usize, activations: Vec<&'static str> },
}

/// One control of a family: the params path it edits (`.`-separated, e.g. `train.learning_rate`),
/// its widget and when it applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    pub path: &'static str,
    #[serde(flatten)]
    pub widget: Widget,
    pub show: Show,
}

impl Control {
    pub fn new(path: &'static str, widget: Widget) -> Control {
        Control { path, widget, show: Show::Always }
    }
    pub fn select(path: &'static str, options: Vec<Value>) -> Control {
        Control::new(path, Widget::Select { options, from_view: None })
    }
    /// A select that also offers the numbers the page's views hold at `view_path`.
    pub fn select_from_view(path: &'static str, options: Vec<Value>, view_path: &'static str) -> Control {
        Control::new(path, Widget::Select { options, from_view: Some(view_path) })
    }
    /// Shown only when `show` holds.
    pub fn when(mut self, show: Show) -> Control {
        self.show = show;
        self
    }
}

/// A model family as the page sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Family {
    /// The registry name, the `kind` in params and model files.
    pub kind: &'static str,
    /// The tasks it learns, in the order the page offers it (the first family registered for a
    /// task is that task's default).
    pub tasks: Vec<TaskKind>,
    /// Whether it takes `class_weight` (on classification data).
    pub class_weight: bool,
    /// When the shared gradient-training controls (`train.*`) apply.
    pub gradient: Show,
    pub animation: Animation,
    /// The pictures it makes besides its surface ([`super::view::ViewKind`]), in display order:
    /// the page lists its views from these.
    pub views: Vec<super::view::ViewKind>,
    /// For families that grow while they train ([`super::Model::grow`]): the params path of the
    /// layer list the page's grow tools add to (a network's `hidden_layers`).
    pub growth: Option<&'static str>,
    /// Its own controls, in display order (the gradient ones come after, from
    /// [`train_controls`]).
    pub controls: Vec<Control>,
}

impl Default for Family {
    /// No tasks, views, growth or controls; trained by epochs without the gradient controls.
    /// Families fill in what they have and end with `..Family::default()`.
    fn default() -> Family {
        Family {
            kind: "",
            tasks: Vec::new(),
            class_weight: false,
            gradient: Show::Never,
            animation: Animation::Epochs,
            views: Vec::new(),
            growth: None,
            controls: Vec::new(),
        }
    }
}

/// The controls of the shared gradient-training settings (`optim::TrainParams`, paths under
/// `train.`), for the page's model panel.
pub fn train_controls() -> Vec<Control> {
    let optimizers = vec![
        tagged("sgd", &[]),
        tagged("momentum", &[("beta", Value::Number(0.9)), ("nesterov", Value::Bool(false))]),
        tagged("momentum", &[("beta", Value::Number(0.9)), ("nesterov", Value::Bool(true))]),
        tagged("adam", &[("beta1", Value::Number(0.9)), ("beta2", Value::Number(0.999)), ("epsilon", 1e-8.into())]),
    ];
    let schedules = vec![
        tagged("constant", &[]),
        tagged("step", &[("every", Value::Number(100.0)), ("gamma", Value::Number(0.5))]),
        tagged("exponential", &[("gamma", Value::Number(0.995))]),
        tagged("cosine", &[("period", Value::Number(1000.0)), ("min_fraction", Value::Number(0.05))]),
        tagged("warmup", &[("steps", Value::Number(200.0))]),
    ];
    let rates = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0];
    vec![
        Control::select("train.optimizer", optimizers),
        Control::select("train.learning_rate", numbers(&rates)),
        Control::select("train.batch_size", numbers(&[0.0, 1.0, 8.0, 16.0, 32.0, 64.0, 128.0])),
        Control::select("train.schedule", schedules),
    ]
}

/// Everything the page learns from the wasm about models: the families in registry order, the
/// shared gradient-training controls, and the limits its widgets must respect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Descriptor {
    pub families: Vec<Family>,
    pub train_controls: Vec<Control>,
    pub limits: Limits,
}

/// Limits the page's widgets respect (the core refuses anything past them anyway).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limits {
    pub max_hidden_layers: usize,
    pub max_neurons: usize,
    pub max_points: usize,
    pub max_csv_rows: usize,
}
