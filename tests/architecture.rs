//! The crate's import directions, checked from its source so they stay true (README,
//! Architecture): data flows one way, data → pipeline → model → evaluate → session → web, with
//! render drawing what it is handed.
//!
//! Every `crate::<module>` path in the non-test code of `src/` (a `use` line or a path written
//! inline) is an import of that top-level module. Test code is left out: `#[cfg(test)] mod …`
//! blocks and the files such declarations name, which may reach anywhere to build fixtures.
//! Forbidden:
//! - `data` and `pipeline` importing `model`, `evaluate`, `render` or `session` (they know
//!   nothing of models);
//! - `model` importing `evaluate`, `render` or `session`;
//! - `render` importing `session` or `evaluate`, or calling `predict` (prediction happens before
//!   rendering: render draws values it is handed);
//! - any import cycle between top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its path relative to `src/` (with `/`) and its text.
type Source = (String, String);

/// The top-level module a file belongs to: `data` for `data/mod.rs` or `data/cleaning.rs`,
/// `metrics` for `metrics.rs`; `None` for `lib.rs`.
fn top_module(path: &str) -> Option<String> {
    match path.split_once('/') {
        Some((dir, _)) => Some(dir.to_string()),
        None if path == "lib.rs" => None,
        None => Some(path.trim_end_matches(".rs").to_string()),
    }
}

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

/// Every top-level module named by a `crate::<module>` path in `code`.
fn imported_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (k, _) in code.match_indices("crate::") {
        // `$crate::` in a macro names this crate's own module too; skip nothing else.
        let rest = &code[k + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            found.insert(name);
        }
    }
    found
}

/// The imports between top-level modules, and every broken rule as a sentence.
fn check(sources: &[Source]) -> (BTreeMap<String, BTreeSet<String>>, Vec<String>) {
    let tests = test_only_files(sources);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    let forbidden: &[(&str, &[&str])] = &[
        ("data", &["model", "evaluate", "render", "session"]),
        ("pipeline", &["model", "evaluate", "render", "session"]),
        ("model", &["evaluate", "render", "session"]),
        ("render", &["session", "evaluate"]),
    ];
    for (path, text) in sources.iter().filter(|(p, _)| !tests.contains(p)) {
        let Some(from) = top_module(path) else { continue };
        let code = production_code(text);
        for to in imported_modules(&code) {
            if to == from {
                continue;
            }
            if let Some((_, banned)) = forbidden.iter().find(|(m, _)| *m == from) {
                if banned.contains(&to.as_str()) {
                    broken.push(format!("src/{path}: {from} imports {to}"));
                }
            }
            graph.entry(from.clone()).or_default().insert(to);
        }
        if from == "render" && code.contains(".predict(") {
            broken.push(format!("src/{path}: render calls predict (predict before rendering and hand it the values)"));
        }
    }
    for cycle in cycles(&graph) {
        broken.push(format!("import cycle between top-level modules: {}", cycle.join(" → ")));
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
fn imports_between_top_level_modules_flow_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_sources(&root, &root, &mut sources);
    assert!(sources.len() > 50, "read {} files", sources.len());
    let (graph, broken) = check(&sources);
    // The check sees the imports that exist.
    assert!(graph["model"].contains("data") && graph["session"].contains("pipeline"), "{graph:?}");
    assert!(graph["evaluate"].contains("model"));
    assert!(broken.is_empty(), "imports against the architecture:\n{}", broken.join("\n"));
}

fn sources(files: &[(&str, &str)]) -> Vec<Source> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn the_check_finds_forbidden_imports_predict_calls_and_cycles_but_not_in_test_code() {
    let (_, broken) = check(&sources(&[
        ("data/folds.rs", "use crate::model::ModelParams;\nfn f() {}\n"),
        ("model/mod.rs", "use crate::data::Dataset;\n"),
        ("render/decision.rs", "use crate::model::AnyModel;\nfn f(m: &AnyModel) { m.predict(&x); }\n"),
        ("metrics.rs", "pub fn f() { crate::state::g() }\n"),
        ("state.rs", "use crate::metrics;\n"),
    ]));
    assert_eq!(broken.len(), 4, "{broken:#?}");
    assert!(broken[0].contains("data imports model"));
    assert!(broken[1].contains("render calls predict"));
    assert!(broken.iter().any(|b| b.contains("cycle") && b.contains("data → model → data")), "{broken:#?}");
    assert!(broken.iter().any(|b| b.contains("cycle") && b.contains("metrics → state → metrics")));
    // Test code reaches anywhere: an inline test module, and a file a test module declares.
    let (_, broken) = check(&sources(&[
        ("data/mod.rs", "pub mod x;\n#[cfg(test)]\nmod tests;\n"),
        ("data/x.rs", "fn f() {}\n\n#[cfg(test)]\nmod tests {\n    use crate::model::AnyModel;\n    fn g() {}\n}\n"),
        ("data/tests.rs", "use crate::session::Session;\n"),
        ("render/mod.rs", "#[cfg(test)]\nmod tests;\n"),
        ("render/tests/mod.rs", "use crate::session::Session;\nmod points;\n"),
        ("render/tests/points.rs", "fn f() { model.predict(&x); }\n"),
    ]));
    assert!(broken.is_empty(), "{broken:#?}");
}
