//! The modules form layers: no module uses one that uses it back. A cycle is how a bottom layer
//! (settings, the terminal basics) quietly grows a dependency on the layers above it, so these
//! tests read the source and fail naming the cycle and the files that close it. They also keep
//! the AWS layer free of prompts: asking the user is the caller's decision.
//!
//! The scan is textual and deliberately simple: every `crate::name` (a `use` or a path, `{a, b}`
//! groups included) outside comments counts; `super::` does not, since a child using its parent
//! is not a cycle between modules. In ssmgo a top-level module is `src/name.rs` or `src/name/`;
//! in the policy crate each file is one. A `crate::name!` of an exported macro counts as a use of
//! the module that defines it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn sources(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut stack = vec![path.clone()];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "rs") {
                        found.push((name.clone(), p));
                    }
                }
            }
        } else if let Some(stem) = name.strip_suffix(".rs") {
            found.push((stem.to_owned(), path));
        }
    }
    found.sort();
    found
}

/// The line without its `//` comment (a `//` inside a string literal is kept).
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The first names after each `crate::` in `code`: `crate::a::b` gives `a`, `crate::{a, b::c}`
/// gives `a` and `b`; a name followed by `!` is a macro and comes back as `name!`.
fn crate_names(code: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        if start > 0 && is_ident(bytes[start - 1]) {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, b) in group.bytes().enumerate() {
                match b {
                    b'{' => depth += 1,
                    b'}' if depth == 0 => break,
                    b'}' => depth -= 1,
                    b',' if depth == 0 => item_start = true,
                    _ if item_start && is_ident(b) => {
                        let len = group[i..].bytes().take_while(|&c| is_ident(c)).count();
                        names.push(group[i..i + len].to_owned());
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let len = rest.bytes().take_while(|&c| is_ident(c)).count();
            let bang = if rest[len..].starts_with('!') {
                "!"
            } else {
                ""
            };
            names.push(format!("{}{bang}", &rest[..len]));
        }
    }
    names
}

/// Who uses whom in the crate whose sources are in `dir`: module → used module → the files.
fn graph(dir: &Path) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let files = sources(dir);
    let modules: BTreeSet<&str> = files.iter().map(|(m, _)| m.as_str()).collect();
    let texts: Vec<(&str, &Path, String)> = files
        .iter()
        .map(|(m, p)| (m.as_str(), p.as_path(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let mut macros = BTreeMap::new();
    for (module, _, text) in &texts {
        let mut exported = false;
        for line in text.lines().map(str::trim) {
            if let Some(name) = line.strip_prefix("macro_rules! ") {
                if exported {
                    let name = name.trim_end_matches(|c: char| !is_ident(c as u8));
                    macros.insert(format!("{name}!"), module.to_string());
                }
            }
            exported = line == "#[macro_export]";
        }
    }
    let mut uses: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, path, text) in &texts {
        // The crate roots are the top, not a layer; main.rs is the binary, outside the library.
        if matches!(*module, "lib" | "main") {
            continue;
        }
        let file = path.strip_prefix(root()).unwrap().display().to_string();
        for line in text.lines() {
            for name in crate_names(code_of(line)) {
                let used = match macros.get(&name) {
                    Some(definer) => definer.as_str(),
                    None if modules.contains(name.as_str()) => name.as_str(),
                    None => continue,
                };
                if used != *module && !matches!(used, "lib" | "main") {
                    uses.entry(module.to_string())
                        .or_default()
                        .entry(used.to_owned())
                        .or_default()
                        .insert(file.clone());
                }
            }
        }
    }
    uses
}

/// Each group of modules that reach one another (a strongly connected component of more than
/// one module), with the uses inside it.
fn cycles(uses: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Vec<String> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for next in uses.get(&m).into_iter().flat_map(|u| u.keys()) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut found = Vec::new();
    for module in uses.keys() {
        if done.contains(module) {
            continue;
        }
        let from_here = reach(module);
        if !from_here.contains(module) {
            continue;
        }
        let group: BTreeSet<String> = from_here
            .into_iter()
            .filter(|other| reach(other).contains(module))
            .collect();
        let mut lines = vec![format!(
            "{}:",
            group.iter().cloned().collect::<Vec<_>>().join(", ")
        )];
        for m in &group {
            for (used, files) in &uses[m] {
                if group.contains(used) {
                    let files: Vec<&str> = files.iter().map(String::as_str).collect();
                    lines.push(format!("  {m} → {used} ({})", files.join(", ")));
                }
            }
        }
        found.push(lines.join("\n"));
        done.extend(group);
    }
    found
}

fn assert_no_cycles(crate_sources: &str) {
    let found = cycles(&graph(&root().join(crate_sources)));
    assert!(
        found.is_empty(),
        "modules in a cycle in {crate_sources}:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_module_of_ssmgo_uses_one_that_uses_it_back() {
    assert_no_cycles("src");
}

#[test]
fn no_module_of_the_policy_crate_uses_one_that_uses_it_back() {
    assert_no_cycles("crates/ssmgo-policy/src");
}

#[test]
fn the_aws_layer_never_asks_the_user() {
    for (_, path) in sources(&root().join("src/aws")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            for asking in ["can_ask", "dialoguer", "io::stdin"] {
                assert!(
                    !code.contains(asking),
                    "{}:{}: the AWS layer asks the user ({asking}); return an error and let the \
                     caller ask",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

#[test]
fn the_scan_finds_uses_in_paths_groups_and_macros() {
    assert_eq!(
        crate_names("use crate::{aws::Aws, error::{Error, Result}}; crate::say!(\"x\");"),
        ["aws", "error", "say!"]
    );
    assert_eq!(crate_names("$crate::output::to_stderr(x)"), ["output"]);
    assert!(crate_names("ssmgo_policy_crate::x").is_empty());
    assert_eq!(
        code_of("let url = \"a//b\"; // crate::x"),
        "let url = \"a//b\"; "
    );
}
