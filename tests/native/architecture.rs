//! The crate's import directions, checked from its source so they stay true (README,
//! Architecture): data flows one way, data → pipeline → model → evaluate → session → web, with
//! render drawing what it is handed.
//!
//! Every `crate::…`, `super::…` or `self::…` path in the non-test code of `src/` (a `use` line,
//! grouped or not, or a path written inline) is an import of the module it names; between two
//! sibling modules (`data` and `model`, or `render::scene` and `render::point_layer`) it is an
//! edge of the import graph. Test code is left out: `#[cfg(test)] mod …` blocks and the files
//! such declarations name, which may reach anywhere to build fixtures. Forbidden:
//! - `data` and `pipeline` importing `model`, `evaluate`, `render` or `session` (they know
//!   nothing of models);
//! - `model` importing `evaluate`, `render`, `session` or `compress` (compression sits above the
//!   models: it reads and rebuilds them);
//! - `render` importing `session` or `evaluate`, or running a model (`predict`, `logits`, the
//!   models' grid paths): prediction happens before rendering, render draws values it is handed;
//! - any import cycle, between top-level modules or between the files of one module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its path relative to `src/` (with `/`) and its text.
type Source = (String, String);

/// The files that `#[cfg(test)] mod name;` declarations make test-only, as paths beside the
/// declaring file (`name.rs` or `name/mod.rs`), and every file under such a `name/` folder.
fn test_only_files(sources: &[Source]) -> BTreeSet<String> {
    let mut test_dirs = Vec::new();
    let mut files = BTreeSet::new();
    for (path, text) in sources {
        let dir = match path.rsplit_once('/') {
            // `mod.rs` and `lib.rs` declare children in their own folder; `a/b.rs` in `a/b/`.
            Some((dir, "mod.rs")) => format!("{dir}/"),
            Some((_, _)) => format!("{}/", path.trim_end_matches(".rs")),
            None if path == "lib.rs" => String::new(),
            None => format!("{}/", path.trim_end_matches(".rs")),
        };
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (k, line) in lines.iter().enumerate() {
            if !line.starts_with("#[cfg(test)]") {
                continue;
            }
            let next = lines[k + 1..].iter().find(|l| !l.starts_with("#[")).copied().unwrap_or("");
            let declared = next.strip_prefix("pub(crate) ").or_else(|| next.strip_prefix("pub ")).unwrap_or(next);
            if let Some(name) = declared.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                files.insert(format!("{dir}{name}.rs"));
                test_dirs.push(format!("{dir}{name}/"));
            }
        }
    }
    for (path, _) in sources {
        if test_dirs.iter().any(|d| path.starts_with(d.as_str())) {
            files.insert(path.clone());
        }
    }
    files
}

/// The code of a file without its comments and its inline `#[cfg(test)] mod … { … }` blocks.
fn production_code(text: &str) -> String {
    let mut out = String::new();
    let mut skip_depth: Option<i64> = None;
    let mut depth = 0i64;
    let mut pending_test = false;
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim();
        if trimmed.starts_with("#[cfg(test)]") {
            pending_test = true;
            continue;
        }
        let opens = code.matches('{').count() as i64;
        let closes = code.matches('}').count() as i64;
        if pending_test && !trimmed.starts_with("#[") && !trimmed.is_empty() {
            pending_test = false;
            if trimmed.contains('{') {
                skip_depth = Some(depth);
            } else {
                continue; // `mod tests;` or one test-only item on one line
            }
        }
        depth += opens - closes;
        match skip_depth {
            Some(d) if depth <= d => skip_depth = None,
            Some(_) => {}
            None => {
                out.push_str(code);
                out.push('\n');
            }
        }
    }
    out
}

/// The module a file defines: `data/generate.rs` → `[data, generate]`, `data/mod.rs` → `[data]`,
/// `lib.rs` → `[]`.
fn module_of(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.trim_end_matches(".rs").split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a `use` tree or inline path names from `rest` on, below `prefix`: `a::b` gives
/// `prefix::a::b`, `a::{b, c::d}` gives `prefix::a::b` and `prefix::a::c::d`.
fn path_tree(rest: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let (mut depth, mut start) = (0, 0);
        for (k, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    path_tree(&group[start..k], prefix.clone(), out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    path_tree(&group[start..k], prefix.clone(), out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
    if name.is_empty() || name == "self" {
        out.push(prefix);
        return;
    }
    let mut path = prefix;
    path.push(name.clone());
    match rest[name.len()..].strip_prefix("::") {
        Some(more) => path_tree(more, path, out),
        None => out.push(path),
    }
}

/// Every path named from `crate::`, `super::` or `self::` in `code` (of `module`), made absolute.
/// A path may end in an item (a type, a function) rather than a module.
fn imported_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (k, _) in code.match_indices("::") {
        let before = &code[..k];
        let word_start = before.rfind(|c: char| !is_ident(c)).map_or(0, |p| p + 1);
        let word = &before[word_start..];
        // Only the first segment of a path: not preceded by `::` (e.g. `super::super`).
        if before[..word_start].ends_with("::") {
            continue;
        }
        let mut base: Vec<String> = match word {
            "crate" => Vec::new(),
            "self" => module.to_vec(),
            "super" => module[..module.len().saturating_sub(1)].to_vec(),
            _ => continue,
        };
        let mut rest = &code[k + 2..];
        while let Some(more) = rest.strip_prefix("super::") {
            base.pop();
            rest = more;
        }
        path_tree(rest, base, &mut out);
    }
    out
}

/// The imports between modules at every level (a module imports a sibling when one of its files
/// names the sibling or anything inside it), and every broken rule as a sentence. The graph's
/// nodes are module paths (`data`, `render::scene`).
fn check(sources: &[Source]) -> (BTreeMap<String, BTreeSet<String>>, Vec<String>) {
    let tests = test_only_files(sources);
    let production: Vec<&Source> = sources.iter().filter(|(p, _)| !tests.contains(p)).collect();
    let modules: BTreeSet<Vec<String>> = production.iter().map(|(p, _)| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    let forbidden: &[(&str, &[&str])] = &[
        ("data", &["model", "evaluate", "render", "session", "compress"]),
        ("pipeline", &["model", "evaluate", "render", "session", "compress"]),
        ("model", &["evaluate", "render", "session", "compress"]),
        ("render", &["session", "evaluate", "compress"]),
    ];
    for (path, text) in production {
        let from = module_of(path);
        let code = production_code(text);
        for mut to in imported_paths(&code, &from) {
            // Up to the module the path names (the rest is an item inside it).
            while !to.is_empty() && !modules.contains(&to) {
                to.pop();
            }
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if from.len() == common || to.len() == common {
                continue; // a module using its own parent or children
            }
            let (a, b) = (from[..=common].join("::"), to[..=common].join("::"));
            if common == 0 {
                if let Some((_, banned)) = forbidden.iter().find(|(m, _)| *m == a) {
                    if banned.contains(&b.as_str()) {
                        broken.push(format!("src/{path}: {a} imports {b}"));
                    }
                }
            }
            graph.entry(a).or_default().insert(b);
        }
        // Render draws values it is handed: it runs no model (predict, or a model's fast grid paths).
        let runs_a_model = |c: &str| {
            [
                ".predict(",
                ".logits(",
                ".grid_probabilities(",
                ".grid_values(",
                ".grid_neuron_outputs(",
                ".neuron_outputs(",
            ]
            .iter()
            .find(|call| c.contains(**call))
        };
        if let Some(call) = runs_a_model(&code).filter(|_| from.first().is_some_and(|m| m == "render")) {
            broken.push(format!(
                "src/{path}: render calls {} (predict before rendering and hand it the values)",
                call.trim_matches(|c| c == '.' || c == '(')
            ));
        }
    }
    for cycle in cycles(&graph) {
        broken.push(format!("import cycle: {}", cycle.join(" → ")));
    }
    (graph, broken)
}

/// One cycle through each group of modules that import each other (directly or not).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // The shortest way back to `start`, breadth-first: `start → … → start`.
    let way_back = |start: &String| -> Option<Vec<String>> {
        let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(m) = queue.pop_front() {
            for next in graph.get(m).into_iter().flatten() {
                if next == start {
                    let mut path = vec![start.clone(), m.clone()];
                    let mut at = m;
                    while at != start {
                        at = came_from[at];
                        path.push(at.clone());
                    }
                    path.reverse();
                    return Some(path);
                }
                if !came_from.contains_key(next) {
                    came_from.insert(next, m);
                    queue.push_back(next);
                }
            }
        }
        None
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut found = Vec::new();
    for m in graph.keys() {
        if seen.contains(m) {
            continue;
        }
        if let Some(path) = way_back(m) {
            seen.extend(path.iter().cloned());
            found.push(path);
        }
    }
    found
}

fn read_sources(dir: &Path, root: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn imports_flow_one_way_with_no_cycle_at_any_level() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_sources(&root, &root, &mut sources);
    assert!(sources.len() > 50, "read {} files", sources.len());
    let (graph, broken) = check(&sources);
    // The check sees the imports that exist.
    assert!(graph["model"].contains("data") && graph["session"].contains("pipeline"), "{graph:?}");
    assert!(graph["evaluate"].contains("model"));
    assert!(graph["compress"].contains("model"));
    assert!(broken.is_empty(), "imports against the architecture:\n{}", broken.join("\n"));
}

fn sources(files: &[(&str, &str)]) -> Vec<Source> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn the_check_finds_forbidden_imports_predict_calls_and_cycles_but_not_in_test_code() {
    let (graph, broken) = check(&sources(&[
        ("data/mod.rs", "pub mod folds;\n"),
        ("data/folds.rs", "use crate::{error::Result, model::ModelParams};\nfn f() {}\n"),
        ("model/mod.rs", "use crate::data::Dataset;\n"),
        ("render/mod.rs", "pub mod decision;\npub mod point_layer;\npub mod scene;\npub use scene::Scene;\n"),
        ("render/decision.rs", "use crate::model::AnyModel;\nfn f(m: &AnyModel) { m.predict(&x); }\n"),
        ("render/scene.rs", "use super::point_layer::{self, cached_layer};\n"),
        ("render/point_layer.rs", "use super::Scene;\nfn f(s: &super::super::render::scene::Scene) {}\n"),
        ("metrics.rs", "pub fn f() { crate::state::g() }\n"),
        ("state.rs", "use crate::metrics;\n"),
        ("error.rs", ""),
    ]));
    assert_eq!(graph["data"], BTreeSet::from(["error".to_string(), "model".to_string()]), "{graph:?}");
    assert_eq!(broken.len(), 5, "{broken:#?}");
    assert!(broken[0].contains("data imports model"));
    assert!(broken[1].contains("render calls predict"));
    let cycles: Vec<&String> = broken.iter().filter(|b| b.contains("cycle")).collect();
    assert!(cycles.iter().any(|b| b.ends_with("data → model → data")), "{broken:#?}");
    assert!(cycles.iter().any(|b| b.ends_with("metrics → state → metrics")));
    assert!(cycles.iter().any(|b| b.ends_with("render::point_layer → render::scene → render::point_layer")));
    // Test code reaches anywhere: an inline test module, and the files a test module declares.
    let (_, broken) = check(&sources(&[
        ("data/mod.rs", "pub mod x;\n#[cfg(test)]\nmod tests;\n"),
        ("data/x.rs", "fn f() {}\n\n#[cfg(test)]\nmod tests {\n    use crate::model::AnyModel;\n    fn g() {}\n}\n"),
        ("data/tests.rs", "use crate::session::Session;\n"),
        ("model/mod.rs", "use crate::data::Dataset;\n"),
        ("session/mod.rs", ""),
        ("render/mod.rs", "#[cfg(test)]\nmod tests;\n"),
        ("render/tests/mod.rs", "use crate::session::Session;\nmod points;\n"),
        ("render/tests/points.rs", "fn f() { model.predict(&x); }\n"),
    ]));
    assert!(broken.is_empty(), "{broken:#?}");
}
