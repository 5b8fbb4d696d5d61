//! The checker: loads imports, builds scopes of `let`s and presets, and checks
//! every statement of the root sources into a [`Study`].
//!
//! It needs no engine knowledge beyond the stdlib's list of engines and versions;
//! per-engine checks plug in after it through [`crate::EngineChecks`].

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Loc, Source, SourceMap};
use crate::study::*;
use crate::value::{coerce, Mismatch, Ty};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tune_stdlib::QUANT_FIELDS;
use tune_syntax::suggest::did_you_mean;
use tune_syntax::{Entry, Expr, ExprKind, Ident, Record, SloEntry, Span, Statement, StatementKind};

/// Index of a scope (one per imported module, one for the root sources).
type ScopeId = usize;

/// A `let` or `preset` definition.
#[derive(Clone)]
struct Def {
    name: Ident,
    value: Expr,
    file: FileId,
    /// The scope its value is resolved in.
    scope: ScopeId,
}

#[derive(Default, Clone)]
struct Scope {
    lets: HashMap<String, Def>,
    presets: HashMap<String, Def>,
}

/// Where an expression is read: its file and scope.
#[derive(Clone, Copy)]
struct Cx {
    file: FileId,
    scope: ScopeId,
}

/// One parsed source.
struct Unit {
    file: FileId,
    ast: tune_syntax::SourceFile,
}

pub(crate) struct Checker<'a> {
    pub sources: &'a mut SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    units: HashMap<FileId, std::rc::Rc<Unit>>,
    scopes: Vec<Scope>,
    /// The scope of each loaded module, by file.
    module_scopes: HashMap<FileId, ScopeId>,
    /// Modules being loaded, for cycle detection.
    loading: Vec<FileId>,
    /// `let`s being resolved, for cycle detection.
    resolving: Vec<(ScopeId, String)>,
    reported_cycles: HashSet<(ScopeId, String)>,
    /// Base directory for relative imports of in-memory sources.
    base_dir: PathBuf,
    /// Sources of a notebook session (later cells replace earlier settings).
    cells: bool,
    /// Where the `quant` and `precision` axes were set, for duplicates across `sweep` blocks.
    quant_loc: Option<Loc>,
    precision_loc: Option<Loc>,
    /// Engine names of `engine` statements, also those with errors (so that an
    /// unknown version does not make `args ENGINE` look unused).
    declared_engines: Vec<String>,
    /// Scopes with an import that failed: an unknown name there may be one the
    /// missing file defines, so it is not reported again.
    failed_imports: HashSet<ScopeId>,
}

const WEIGHT_FORMATS: &[&str] = &["fp8", "int8", "int4", "fp4", "mxfp4", "nvfp4"];
const ACTIVATION_FORMATS: &[&str] = &["fp8", "int8", "fp16", "bf16"];
const MODEL_QUANT: &[&str] = &[
    "none",
    "awq",
    "gptq",
    "gguf",
    "fp8",
    "nvfp4",
    "mxfp4",
    "bitsandbytes",
    "detect",
];
const SWEEP_AXES: &[&str] = &[
    "quant",
    "precision",
    "tp",
    "pp",
    "dp",
    "ep",
    "memory",
    "max-seqs",
    "context",
    "prefix-cache",
];
const DEPLOY_TARGETS: &[&str] = &["script", "compose", "k8s"];
const STRATEGIES: &[&str] = &["grid", "random"];
const METRICS: &[&str] = &["ttft", "tpot", "itl", "e2e", "error-rate", "throughput"];
const STATISTICS: &[&str] = &["mean", "p50", "p90", "p95", "p99"];
const SLO_OPTIONS: &[&str] = &["weight", "hard", "fail-ratio"];
const OBJECTIVES: &[(&str, &str)] = &[
    ("maximize", "throughput"),
    ("minimize", "latency"),
    ("minimize", "ttft"),
    ("minimize", "tpot"),
    ("maximize", "goodput"),
];
const ENDPOINTS: &[&str] = &["completions", "chat"];
const POSITIVE: Ty = Ty::Int {
    min: 1,
    max: i64::MAX,
};

/// Other spellings people use for names the language knows.
const ALIASES: &[(&str, &str)] = &[
    ("kubernetes", "k8s"),
    ("docker-compose", "compose"),
    ("bash", "script"),
    ("shell", "script"),
    ("tensorrt", "trtllm"),
    ("tensorrt-llm", "trtllm"),
    ("trt-llm", "trtllm"),
    ("trt", "trtllm"),
    ("fp16", "float16"),
    ("half", "float16"),
    ("bf16", "bfloat16"),
    ("fp32", "float32"),
    ("float", "float32"),
    ("p999", "p99"),
    ("median", "p50"),
    ("avg", "mean"),
    ("average", "mean"),
    ("latency", "e2e"),
];

fn suggestion_help(word: &str, list: &[&str], what: &str) -> String {
    let alias = ALIASES
        .iter()
        .find(|(a, target)| a.eq_ignore_ascii_case(word) && list.contains(target))
        .map(|(_, t)| *t);
    match alias.or_else(|| did_you_mean(word, list.iter().copied())) {
        Some(s) => format!("did you mean `{s}`? {what}: {}", list.join(", ")),
        None => format!("{what}: {}", list.join(", ")),
    }
}

impl<'a> Checker<'a> {
    pub fn new(sources: &'a mut SourceMap, base_dir: PathBuf, cells: bool) -> Self {
        Checker {
            sources,
            diagnostics: Vec::new(),
            units: HashMap::new(),
            scopes: Vec::new(),
            module_scopes: HashMap::new(),
            loading: Vec::new(),
            resolving: Vec::new(),
            reported_cycles: HashSet::new(),
            base_dir,
            cells,
            quant_loc: None,
            precision_loc: None,
            declared_engines: Vec::new(),
            failed_imports: HashSet::new(),
        }
    }

    fn emit(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn parse(&mut self, file: FileId) -> std::rc::Rc<Unit> {
        if let Some(u) = self.units.get(&file) {
            return u.clone();
        }
        let ast = tune_syntax::parse(&self.sources.get(file).text);
        for e in &ast.errors {
            self.diagnostics.push(Diagnostic::from_syntax(file, e));
        }
        let unit = std::rc::Rc::new(Unit { file, ast });
        self.units.insert(file, unit.clone());
        unit
    }

    // ----- modules and scopes ---------------------------------------------------

    /// Checks the root sources (a file, or the cells of a session) into a study.
    pub fn check_roots(&mut self, roots: &[FileId]) -> Study {
        let units: Vec<_> = roots.iter().map(|&f| self.parse(f)).collect();
        let scope = self.new_scope();
        for unit in &units {
            self.loading.push(unit.file);
            self.fill_scope(scope, unit);
            self.loading.pop();
        }
        for unit in &units {
            self.check_let_cycles(scope, unit.file);
        }
        let mut study = Study::default();
        let mut singles: HashMap<&'static str, (Loc, FileId)> = HashMap::new();
        for unit in &units {
            for stmt in &unit.ast.statements {
                let cx = Cx {
                    file: unit.file,
                    scope,
                };
                self.statement(stmt, cx, &mut study, &mut singles);
            }
        }
        self.study_checks(&study);
        study
    }

    fn new_scope(&mut self) -> ScopeId {
        self.scopes.push(Scope::default());
        self.scopes.len() - 1
    }

    /// Loads an imported module (once) and returns its scope.
    fn module(&mut self, file: FileId) -> ScopeId {
        if let Some(&s) = self.module_scopes.get(&file) {
            return s;
        }
        let unit = self.parse(file);
        let scope = self.new_scope();
        self.module_scopes.insert(file, scope);
        self.loading.push(file);
        self.fill_scope(scope, &unit);
        self.loading.pop();
        self.check_let_cycles(scope, file);
        // Statements other than definitions have no effect in an imported module.
        for stmt in &unit.ast.statements {
            if !matches!(
                stmt.kind,
                StatementKind::Import { .. }
                    | StatementKind::Let { .. }
                    | StatementKind::Preset { .. }
            ) {
                let kw = stmt.kind.keyword();
                self.emit(
                    Diagnostic::warning("W0103", format!("`{kw}` in an imported file is ignored"))
                        .primary(Loc::new(file, stmt.keyword), "ignored")
                        .help("an import brings only `let`s and `preset`s; move this statement into the study"),
                );
            }
        }
        scope
    }

    /// Adds a unit's imports and definitions to `scope`.
    fn fill_scope(&mut self, scope: ScopeId, unit: &Unit) {
        let file = unit.file;
        // Imports first: the unit's own definitions shadow imported ones.
        for stmt in &unit.ast.statements {
            if let StatementKind::Import { path } = &stmt.kind {
                let resolved = self.resolve_import(file, path);
                if resolved.is_none() {
                    self.failed_imports.insert(scope);
                }
                if let Some(target) = resolved {
                    if self.loading.contains(&target) {
                        let mut chain: Vec<String> = self
                            .loading
                            .iter()
                            .skip_while(|f| **f != target)
                            .map(|f| self.sources.get(*f).name.clone())
                            .collect();
                        chain.push(self.sources.get(target).name.clone());
                        self.emit(
                            Diagnostic::error("E0402", "import cycle")
                                .primary(
                                    Loc::new(file, path.span),
                                    "this import leads back to a file being imported",
                                )
                                .help(format!("the cycle: {}", chain.join(" → "))),
                        );
                        continue;
                    }
                    let module_scope = self.module(target);
                    let imported = self.scopes[module_scope].clone();
                    let own = |d: &Def| d.file == target;
                    for (is_let, table) in [(true, &imported.lets), (false, &imported.presets)] {
                        let mut defs: Vec<&Def> = table.values().filter(|d| own(d)).collect();
                        defs.sort_by_key(|d| d.name.span.start);
                        for d in defs {
                            let existing = if is_let {
                                &self.scopes[scope].lets
                            } else {
                                &self.scopes[scope].presets
                            }
                            .get(&d.name.node)
                            .cloned();
                            match existing {
                                // Two imports define one name: which one is meant is ambiguous.
                                Some(prev)
                                    if prev.file != d.file && !self.is_root_file(prev.file) =>
                                {
                                    let kind = if is_let { "let" } else { "preset" };
                                    let d2 = Diagnostic::error(
                                        "E0214",
                                        format!(
                                            "`{kind} {}` is defined by two imported files",
                                            d.name.node
                                        ),
                                    )
                                    .primary(
                                        Loc::new(file, path.span),
                                        "this import defines it again",
                                    )
                                    .secondary(
                                        Loc::new(prev.file, prev.name.span),
                                        "one definition",
                                    )
                                    .secondary(Loc::new(d.file, d.name.span), "another definition")
                                    .help("rename one of them, or import only one of the files");
                                    self.emit(d2);
                                }
                                Some(_) => {}
                                None => {
                                    let mine = if is_let {
                                        &mut self.scopes[scope].lets
                                    } else {
                                        &mut self.scopes[scope].presets
                                    };
                                    mine.insert(d.name.node.clone(), d.clone());
                                }
                            }
                        }
                    }
                }
            }
        }
        for stmt in &unit.ast.statements {
            let (name, value, is_let) = match &stmt.kind {
                StatementKind::Let { name, value } => (name, value, true),
                StatementKind::Preset { name, value } => (name, value, false),
                _ => continue,
            };
            let def = Def {
                name: name.clone(),
                value: value.clone(),
                file,
                scope,
            };
            let kind = if is_let { "let" } else { "preset" };
            let table = if is_let {
                &self.scopes[scope].lets
            } else {
                &self.scopes[scope].presets
            };
            if let Some(prev) = table.get(&name.node).cloned() {
                let prev_loc = Loc::new(prev.file, prev.name.span);
                let here = Loc::new(file, name.span);
                if prev.file == file {
                    self.emit(
                        Diagnostic::error(
                            "E0214",
                            format!("`{kind} {}` is defined twice", name.node),
                        )
                        .primary(here, "defined again here")
                        .secondary(prev_loc, "first defined here")
                        .help("rename one of them, or remove one"),
                    );
                    continue;
                } else if self.is_root_file(prev.file) && self.cells {
                    self.emit(
                        Diagnostic::note(
                            "N0103",
                            format!("`{kind} {}` replaces the one of an earlier cell", name.node),
                        )
                        .primary(here, "this definition is used from now on")
                        .secondary(prev_loc, "replaced definition"),
                    );
                } else if self.is_root_file(prev.file) {
                    self.emit(
                        Diagnostic::error(
                            "E0214",
                            format!("`{kind} {}` is defined twice", name.node),
                        )
                        .primary(here, "defined again here")
                        .secondary(prev_loc, "first defined here"),
                    );
                    continue;
                } else {
                    self.emit(
                        Diagnostic::warning(
                            "W0105",
                            format!("`{kind} {}` shadows an imported definition", name.node),
                        )
                        .primary(here, "this definition is used")
                        .secondary(prev_loc, "imported definition, now hidden")
                        .help("rename it if you meant a new setting"),
                    );
                }
            }
            let table = if is_let {
                &mut self.scopes[scope].lets
            } else {
                &mut self.scopes[scope].presets
            };
            table.insert(name.node.clone(), def);
        }
    }

    /// Reports `let` cycles of a file's own definitions, also those nothing uses.
    fn check_let_cycles(&mut self, scope: ScopeId, file: FileId) {
        let mut own: Vec<Def> = self.scopes[scope]
            .lets
            .values()
            .filter(|d| d.file == file)
            .cloned()
            .collect();
        own.sort_by_key(|d| d.name.span.start);
        for def in own {
            let probe =
                tune_syntax::Spanned::new(ExprKind::Ident(def.name.node.clone()), def.name.span);
            let _ = self.resolve(&probe, Cx { file, scope });
        }
    }

    fn is_root_file(&self, file: FileId) -> bool {
        !self.module_scopes.contains_key(&file)
    }

    /// Finds and loads the file of `import "PATH"`.
    fn resolve_import(
        &mut self,
        from: FileId,
        path: &tune_syntax::Spanned<String>,
    ) -> Option<FileId> {
        let loc = Loc::new(from, path.span);
        if path.node.starts_with("std/") {
            let Some(module) = tune_stdlib::std_module(&path.node) else {
                let known: Vec<&str> = tune_stdlib::std_modules().map(|m| m.import_path).collect();
                self.emit(
                    Diagnostic::error(
                        "E0403",
                        format!("the standard library has no module `{}`", path.node),
                    )
                    .primary(loc, "unknown module")
                    .help(suggestion_help(
                        &path.node,
                        &known,
                        "standard modules",
                    )),
                );
                return None;
            };
            if let Some(id) = self.sources.find_name(module.file_name) {
                return Some(id);
            }
            return Some(
                self.sources
                    .add(Source::new(module.file_name, None, module.source)),
            );
        }
        let dir = match &self.sources.get(from).path {
            Some(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
            None => self.base_dir.clone(),
        };
        let full = dir.join(&path.node);
        // Shown as the importer's name would be: `study.tune` imports `common.tune`.
        let shown = match &self.sources.get(from).path {
            Some(_) => Path::new(&self.sources.get(from).name)
                .parent()
                .map(|p| p.join(&path.node))
                .unwrap_or_else(|| PathBuf::from(&path.node)),
            None => PathBuf::from(&path.node),
        };
        let canonical = full.canonicalize().unwrap_or(full.clone());
        if let Some(id) = self.sources.find_path(&canonical) {
            return Some(id);
        }
        match std::fs::read(&canonical) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(self.sources.add(Source::new(
                    display_name(&shown),
                    Some(canonical),
                    text,
                ))),
                Err(e) => {
                    self.emit(
                        Diagnostic::error("E0404", format!("`{}` is not UTF-8 text", path.node))
                            .primary(
                                loc,
                                format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                            ),
                    );
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.emit(
                    Diagnostic::error("E0401", format!("cannot find `{}`", path.node))
                        .primary(loc, format!("no file at {}", display_name(&shown)))
                        .help("relative imports are resolved against the importing file's directory; standard modules start with `std/`"),
                );
                None
            }
            Err(e) => {
                self.emit(
                    Diagnostic::error("E0404", format!("cannot read `{}`", path.node))
                        .primary(loc, e.to_string()),
                );
                None
            }
        }
    }

    // ----- names ----------------------------------------------------------------

    /// Follows `let`s: returns the expression a name stands for, with its context.
    fn resolve<'e>(&mut self, expr: &'e Expr, cx: Cx) -> Option<(std::borrow::Cow<'e, Expr>, Cx)> {
        let ExprKind::Ident(name) = &expr.node else {
            return Some((std::borrow::Cow::Borrowed(expr), cx));
        };
        let Some(def) = self.scopes[cx.scope].lets.get(name).cloned() else {
            return Some((std::borrow::Cow::Borrowed(expr), cx));
        };
        let key = (def.scope, name.clone());
        if self.resolving.contains(&key) {
            if self.reported_cycles.insert(key.clone()) {
                let start = self.resolving.iter().position(|k| *k == key).unwrap_or(0);
                // Every member of the cycle is reported once, here.
                for member in self.resolving[start..].iter().cloned() {
                    self.reported_cycles.insert(member);
                }
                let mut path: Vec<String> = self.resolving[start..]
                    .iter()
                    .map(|(_, n)| n.clone())
                    .collect();
                path.push(name.clone());
                let message = if path.len() > 2 {
                    format!("`let {name}` refers to itself through {}", path.join(" → "))
                } else {
                    format!("`let {name}` refers to itself")
                };
                let mut d = Diagnostic::error("E0216", message)
                    .primary(
                        Loc::new(def.file, def.name.span),
                        "defined in terms of itself",
                    )
                    .help("a `let` cannot depend on its own value");
                if def.file != cx.file || def.name.span != expr.span {
                    d = d.secondary(Loc::new(cx.file, expr.span), "used here");
                }
                self.emit(d);
            }
            return None;
        }
        self.resolving.push(key);
        let inner = Cx {
            file: def.file,
            scope: def.scope,
        };
        let result = self
            .resolve(&def.value, inner)
            .map(|(e, c)| (std::borrow::Cow::Owned(e.into_owned()), c));
        self.resolving.pop();
        result
    }

    // ----- values ---------------------------------------------------------------

    /// Reads one value of type `ty`.
    fn value(&mut self, expr: &Expr, cx: Cx, ty: &Ty, field: &str) -> Option<Located<Value>> {
        let use_loc = Loc::new(cx.file, expr.span);
        let (expr, rcx) = self.resolve(expr, cx)?;
        let loc = Loc::new(rcx.file, expr.span);
        let via_let = loc != use_loc;
        let result = match (&expr.node, ty) {
            (ExprKind::Error, _) => return None,
            (ExprKind::List(_), _) => {
                self.emit(self.with_use(
                    Diagnostic::error("E0205", format!("`{field}` takes one value, not a list"))
                        .primary(loc, "a list")
                        .help(format!("only sweep axes, `args` flags and `benchmark` load levels take lists; write {}", ty.describe())),
                    via_let,
                    use_loc,
                ));
                return None;
            }
            (
                ExprKind::Precision {
                    weights,
                    activations,
                },
                Ty::Precision,
            ) => {
                return self.precision(weights, activations, rcx, loc);
            }
            (ExprKind::Call { .. }, Ty::Traffic) => return self.traffic(&expr, rcx),
            (ExprKind::Phrase(items), _) => {
                let extra = Loc::new(rcx.file, items[1].span.to(items[items.len() - 1].span));
                self.emit(
                    self.with_use(
                        Diagnostic::error("E0106", format!("`{field}` takes one value"))
                            .primary(extra, "unexpected after the value")
                            .help(format!(
                                "`{field}` expects {}; separate entries with a newline or `;`",
                                ty.describe()
                            )),
                        via_let,
                        use_loc,
                    ),
                );
                return None;
            }
            (kind, ty) => coerce(kind, ty),
        };
        match result {
            Ok(v) => Some(Located::new(v, loc)),
            Err(Mismatch::Type)
                if matches!(expr.node, ExprKind::Ident(_))
                    && self.failed_imports.contains(&rcx.scope) =>
            {
                None
            }
            Err(m) => {
                let d = self.mismatch(m, &expr, rcx, ty, field);
                let d = self.with_use(d, via_let, use_loc);
                self.emit(d);
                None
            }
        }
    }

    fn with_use(&self, d: Diagnostic, via_let: bool, use_loc: Loc) -> Diagnostic {
        if via_let {
            d.secondary(use_loc, "used here")
        } else {
            d
        }
    }

    fn mismatch(&mut self, m: Mismatch, expr: &Expr, cx: Cx, ty: &Ty, field: &str) -> Diagnostic {
        let loc = Loc::new(cx.file, expr.span);
        match m {
            Mismatch::Type => {
                let found = expr.node.describe();
                let mut d = Diagnostic::error(
                    "E0201",
                    format!("`{field}` expects {}, found {found}", ty.short()),
                )
                .primary(loc, format!("expected {}", ty.describe()));
                if let ExprKind::Ident(name) = &expr.node {
                    let lets: Vec<String> = self.scopes[cx.scope].lets.keys().cloned().collect();
                    if let Some(s) = did_you_mean(name, lets.iter().map(String::as_str)) {
                        d = d.help(format!(
                            "`{name}` is not defined; did you mean the `let` `{s}`?"
                        ));
                    } else {
                        d = d.help(format!(
                            "`{name}` is no `let` in scope, and `{field}` expects {}",
                            ty.describe()
                        ));
                    }
                } else if let (ExprKind::Str(s), Ty::Enum { choices, .. }) = (&expr.node, ty) {
                    if choices.contains(&s.as_str()) {
                        d = d.help(format!("write it without quotes: `{s}`"));
                    }
                } else if let ExprKind::Str(s) = &expr.node {
                    if s.trim().parse::<f64>().is_ok() {
                        d = d.help(format!("write the number without quotes: `{}`", s.trim()));
                    }
                } else if let ExprKind::Quantity { unit, .. } = &expr.node {
                    d = d.help(format!(
                        "`{}` is a unit of {}; `{field}` expects {}",
                        unit.as_str(),
                        unit.kind().describe(),
                        ty.describe()
                    ));
                }
                d
            }
            Mismatch::MissingUnit(what) => {
                let number = self.sources.get(cx.file).slice(expr.span).to_string();
                let example = match what {
                    "a duration" => format!("`{number}ms` or `{number}s`"),
                    "a size" => format!("`{number}GiB`"),
                    _ => format!("`{number} req/s` or `{number} tok/s`"),
                };
                Diagnostic::error(
                    "E0202",
                    format!("`{field}` expects {what}, which needs a unit"),
                )
                .primary(loc, "a number without a unit")
                .help(format!("write it with a unit, like {example}"))
            }
            Mismatch::Range(text) => {
                let d = Diagnostic::error("E0203", format!("`{field}` {text}"))
                    .primary(loc, "out of range");
                // `memory = 90`: a percentage written without `%`.
                let number = match expr.node {
                    ExprKind::Int(i) => Some(i as f64),
                    ExprKind::Float(f) => Some(f),
                    _ => None,
                };
                match (ty, number) {
                    (Ty::Ratio { .. }, Some(x)) if x > 1.0 && x <= 100.0 => {
                        let text = self.sources.get(cx.file).slice(expr.span).to_string();
                        d.help(format!(
                            "for a percentage write `{text}%`, or the fraction `{}`",
                            x / 100.0
                        ))
                    }
                    _ => d,
                }
            }
            Mismatch::Choice => {
                let ExprKind::Ident(name) = &expr.node else {
                    unreachable!()
                };
                let list: &[&str] = match ty {
                    Ty::Enum { choices, .. } => choices,
                    _ => &["on", "off"],
                };
                Diagnostic::error(
                    "E0204",
                    format!("`{name}` is not {} for `{field}`", ty.short()),
                )
                .primary(loc, "not one of the choices")
                .help(suggestion_help(name, list, "expected one of"))
            }
        }
    }

    fn precision(
        &mut self,
        weights: &Ident,
        activations: &Ident,
        cx: Cx,
        loc: Loc,
    ) -> Option<Located<Value>> {
        let mut ok = true;
        for (part, list, what) in [
            (weights, WEIGHT_FORMATS, "weight"),
            (activations, ACTIVATION_FORMATS, "activation"),
        ] {
            if !list.contains(&part.node.as_str()) {
                ok = false;
                self.emit(
                    Diagnostic::error(
                        "E0207",
                        format!("`{}` is not {} {what} format", part.node, article(what)),
                    )
                    .primary(
                        Loc::new(cx.file, part.span),
                        format!("not {} {what} format", article(what)),
                    )
                    .help(suggestion_help(
                        &part.node,
                        list,
                        &format!("{what} formats"),
                    )),
                );
            }
        }
        if !ok {
            return None;
        }
        let mut w = weights.node.clone();
        if w == "fp4" {
            w = "mxfp4".into();
            self.emit(
                Diagnostic::note("N0101", "`fp4` is read as `mxfp4`")
                    .primary(
                        Loc::new(cx.file, weights.span),
                        "MXFP4: dynamic per-block FP4",
                    )
                    .help("write `nvfp4` for NVIDIA's FP4 format"),
            );
        }
        Some(Located::new(
            Value::Precision(PrecisionPair {
                weights: w,
                activations: activations.node.clone(),
            }),
            loc,
        ))
    }

    fn traffic(&mut self, expr: &Expr, cx: Cx) -> Option<Located<Value>> {
        let ExprKind::Call { name, args, second } = &expr.node else {
            return None;
        };
        let loc = Loc::new(cx.file, expr.span);
        let broken = |items: &[Expr]| items.iter().any(|e| matches!(e.node, ExprKind::Error));
        if broken(args) || second.as_deref().is_some_and(broken) {
            return None; // the parser reported it
        }
        let bad = |msg: String, help: &str| {
            Diagnostic::error("E0208", msg)
                .primary(loc, "invalid scenario")
                .help(help.to_string())
        };
        let nums = |items: &[Expr]| -> Option<Vec<f64>> {
            items
                .iter()
                .map(|e| match e.node {
                    ExprKind::Int(i) => Some(i as f64),
                    ExprKind::Float(f) => Some(f),
                    _ => None,
                })
                .collect()
        };
        let shape = match name.node.as_str() {
            "D" => "D(in,out)",
            "N" => "N(mean_in,sd_in)/(mean_out,sd_out)",
            "U" => "U(min_in,max_in)/(min_out,max_out)",
            other => {
                self.emit(
                    Diagnostic::error("E0215", format!("unknown scenario `{other}(...)`"))
                        .primary(Loc::new(cx.file, name.span), "not a traffic scenario")
                        .help("traffic scenarios are D(in,out), N(mean_in,sd_in)/(mean_out,sd_out) and U(min_in,max_in)/(min_out,max_out)"),
                );
                return None;
            }
        };
        let (Some(first), rest) = (nums(args), second.as_ref().map(|s| nums(s))) else {
            self.emit(bad(
                format!("`{shape}` takes token counts (numbers)"),
                "lengths are in tokens, written as plain integers",
            ));
            return None;
        };
        let traffic = match name.node.as_str() {
            "D" => {
                if second.is_some() || first.len() != 2 {
                    self.emit(bad(
                        format!("`D` takes two lengths: `{shape}`"),
                        "for example `D(100,100)`",
                    ));
                    return None;
                }
                if first.iter().any(|x| *x < 1.0 || x.fract() != 0.0) {
                    self.emit(bad(
                        "token counts must be whole numbers of at least 1".into(),
                        "for example `D(100,100)`",
                    ));
                    return None;
                }
                Traffic::Deterministic {
                    input: first[0] as u64,
                    output: first[1] as u64,
                }
            }
            _ => {
                let Some(Some(second)) = rest else {
                    self.emit(bad(
                        format!("`{}` needs input and output groups: `{shape}`", name.node),
                        "for example `N(480,240)/(300,150)`",
                    ));
                    return None;
                };
                if first.len() != 2 || second.len() != 2 {
                    self.emit(bad(
                        format!("each group of `{shape}` has two numbers"),
                        "for example `U(50,150)/(10,100)`",
                    ));
                    return None;
                }
                if name.node == "N" {
                    if first[0] < 1.0 || second[0] < 1.0 || first[1] < 0.0 || second[1] < 0.0 {
                        self.emit(bad(
                            "means must be at least 1 token and standard deviations at least 0"
                                .into(),
                            "for example `N(480,240)/(300,150)`",
                        ));
                        return None;
                    }
                    Traffic::Normal {
                        input_mean: first[0],
                        input_sd: first[1],
                        output_mean: second[0],
                        output_sd: second[1],
                    }
                } else {
                    let all = [first[0], first[1], second[0], second[1]];
                    if all.iter().any(|x| *x < 1.0 || x.fract() != 0.0) {
                        self.emit(bad(
                            "bounds must be whole token counts of at least 1".into(),
                            "for example `U(50,150)/(10,100)`",
                        ));
                        return None;
                    }
                    for (group, g) in [("input", &first), ("output", &second)] {
                        if g[0] > g[1] {
                            self.emit(bad(
                                format!(
                                    "the {group} minimum {} is above its maximum {}",
                                    g[0], g[1]
                                ),
                                "write each group as (min,max), for example `U(50,150)/(10,100)`",
                            ));
                            return None;
                        }
                    }
                    Traffic::Uniform {
                        input_min: first[0] as u64,
                        input_max: first[1] as u64,
                        output_min: second[0] as u64,
                        output_max: second[1] as u64,
                    }
                }
            }
        };
        Some(Located::new(Value::Traffic(traffic), loc))
    }

    /// Reads one value or a list of values (an axis).
    fn axis(
        &mut self,
        expr: &Expr,
        cx: Cx,
        ty: &Ty,
        field: &str,
    ) -> Option<(Vec<Located<Value>>, bool)> {
        let use_loc = Loc::new(cx.file, expr.span);
        let (resolved, rcx) = self.resolve(expr, cx)?;
        let ExprKind::List(items) = &resolved.node else {
            return self.value(expr, cx, ty, field).map(|v| (vec![v], false));
        };
        if items.is_empty() {
            let mut d = Diagnostic::error("E0206", format!("`{field}` has an empty list"))
                .primary(Loc::new(rcx.file, resolved.span), "no values")
                .help("an empty axis would leave no experiment; give at least one value");
            if Loc::new(rcx.file, resolved.span) != use_loc {
                d = d.secondary(use_loc, "used here");
            }
            self.emit(d);
            return None;
        }
        let mut out: Vec<Located<Value>> = Vec::new();
        for item in items {
            if let Some(v) = self.value(item, rcx, ty, field) {
                if let Some(prev) = out.iter().find(|p| p.value == v.value) {
                    self.emit(
                        Diagnostic::warning(
                            "W0106",
                            format!("`{field}` lists the same value twice"),
                        )
                        .primary(v.loc, "repeated here")
                        .secondary(prev.loc, "first here")
                        .help("a repeated value adds no experiment; remove it"),
                    );
                    continue;
                }
                out.push(v);
            }
        }
        Some((out, true))
    }

    // ----- records --------------------------------------------------------------

    /// Checks entries' keys against `allowed` (unknown and duplicate keys) and
    /// returns the entries that pass.
    fn fields<'r>(
        &mut self,
        entries: impl IntoIterator<Item = &'r Entry>,
        cx: Cx,
        allowed: &[&str],
        what: &str,
    ) -> Vec<&'r Entry> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for entry in entries {
            let key = entry.key.node.as_str();
            if !allowed.contains(&key) {
                self.emit(
                    Diagnostic::error("E0209", format!("{what} has no field `{key}`"))
                        .primary(Loc::new(cx.file, entry.key.span), "unknown field")
                        .help(suggestion_help(key, allowed, "fields")),
                );
                continue;
            }
            if let Some(first) = seen.get(key) {
                self.emit(
                    Diagnostic::error("E0214", format!("`{key}` is set twice in {what}"))
                        .primary(Loc::new(cx.file, entry.key.span), "set again here")
                        .secondary(Loc::new(cx.file, *first), "first set here"),
                );
                continue;
            }
            seen.insert(key, entry.key.span);
            out.push(entry);
        }
        out
    }

    // ----- statements ------------------------------------------------------------

    fn single(
        &mut self,
        keyword: &'static str,
        stmt: &Statement,
        cx: Cx,
        singles: &mut HashMap<&'static str, (Loc, FileId)>,
    ) -> bool {
        let here = Loc::new(cx.file, stmt.keyword);
        if let Some(&(prev, prev_file)) = singles.get(keyword) {
            if self.cells && prev_file != cx.file {
                self.emit(
                    Diagnostic::note(
                        "N0103",
                        format!("this `{keyword}` replaces the one of an earlier cell"),
                    )
                    .primary(here, "used from now on")
                    .secondary(prev, "replaced"),
                );
            } else {
                self.emit(
                    Diagnostic::error("E0214", format!("a study has one `{keyword}`"))
                        .primary(here, format!("second `{keyword}`"))
                        .secondary(prev, format!("first `{keyword}` here"))
                        .help(format!("remove one; `{keyword}` cannot be repeated")),
                );
                return false;
            }
        }
        singles.insert(keyword, (here, cx.file));
        true
    }

    fn statement(
        &mut self,
        stmt: &Statement,
        cx: Cx,
        study: &mut Study,
        singles: &mut HashMap<&'static str, (Loc, FileId)>,
    ) {
        let stmt_loc = Loc::new(cx.file, stmt.span);
        match &stmt.kind {
            StatementKind::Import { .. } => {}
            StatementKind::Let { .. } => {}
            StatementKind::Preset { name, value } => {
                // Check the preset's value where it is defined, once.
                let d = self.scopes[cx.scope].presets.get(&name.node).cloned();
                if let Some(def) = d {
                    if def.file == cx.file && def.name.span == name.span {
                        let _ = self.preset_value(value, cx, &name.node);
                    }
                }
            }
            StatementKind::Model { id, body } => {
                if self.single("model", stmt, cx, singles) {
                    study.model = Some(self.model(id, body.as_ref(), cx, stmt_loc));
                }
            }
            StatementKind::Hardware { gpu, count } => {
                if self.single("hardware", stmt, cx, singles) {
                    study.hardware = self.hardware(gpu, count.as_ref(), cx, stmt_loc);
                }
            }
            StatementKind::Engine {
                name,
                version,
                body,
            } => {
                self.declared_engines.push(name.node.clone());
                if let Some(engine) = self.engine(name, version, body.as_ref(), cx, stmt_loc) {
                    let dup = study.engines.iter().position(|e| {
                        e.name.value == engine.name.value && e.version.value == engine.version.value
                    });
                    match dup {
                        Some(i) if self.cells && study.engines[i].loc.file != cx.file => {
                            self.emit(
                                Diagnostic::note("N0103", format!("this `engine {} \"{}\"` replaces the one of an earlier cell", engine.name.value, engine.version.value))
                                    .primary(Loc::new(cx.file, stmt.keyword), "used from now on")
                                    .secondary(study.engines[i].loc, "replaced"),
                            );
                            study.engines[i] = engine;
                        }
                        Some(i) => {
                            self.emit(
                                Diagnostic::error("E0214", format!("`engine {} \"{}\"` is listed twice", engine.name.value, engine.version.value))
                                    .primary(Loc::new(cx.file, stmt.span), "listed again here")
                                    .secondary(study.engines[i].loc, "first listed here")
                                    .help("each engine version is one point of the engine axis; remove one"),
                            );
                        }
                        None => study.engines.push(engine),
                    }
                }
            }
            StatementKind::Deploy { target, body } => {
                if let Some(deploy) = self.deploy(target, body.as_ref(), cx, stmt_loc) {
                    if let Some(prev) = study
                        .deploys
                        .iter()
                        .find(|d| d.target.value == deploy.target.value)
                    {
                        if self.cells && prev.loc.file != cx.file {
                            self.emit(
                                Diagnostic::note(
                                    "N0103",
                                    format!(
                                        "this `deploy {}` replaces the one of an earlier cell",
                                        deploy.target.value
                                    ),
                                )
                                .primary(deploy.target.loc, "used from now on")
                                .secondary(prev.target.loc, "replaced"),
                            );
                        } else {
                            self.emit(
                                Diagnostic::error(
                                    "E0214",
                                    format!("`deploy {}` is listed twice", deploy.target.value),
                                )
                                .primary(deploy.target.loc, "listed again here")
                                .secondary(prev.target.loc, "first listed here"),
                            );
                            return;
                        }
                    }
                    study
                        .deploys
                        .retain(|d| d.target.value != deploy.target.value);
                    study.deploys.push(deploy);
                }
            }
            StatementKind::Sweep { body } => self.sweep(body, cx, study),
            StatementKind::Args { engine, body } => {
                let block = self.args(engine.as_ref(), body, cx, stmt_loc);
                study.args.push(block);
            }
            StatementKind::Slo { body } => {
                if self.single("slo", stmt, cx, singles) {
                    study.slo = Some(self.slo(body, cx, stmt_loc));
                }
            }
            StatementKind::Benchmark { body } => {
                if self.single("benchmark", stmt, cx, singles) {
                    study.benchmark = Some(self.benchmark(body, cx, stmt_loc));
                }
            }
            StatementKind::Search { strategy, body } => {
                if self.single("search", stmt, cx, singles) {
                    study.search = self.search(strategy, body.as_ref(), cx, stmt_loc);
                }
            }
        }
    }

    fn model(
        &mut self,
        id: &tune_syntax::Spanned<String>,
        body: Option<&Record>,
        cx: Cx,
        loc: Loc,
    ) -> Model {
        let id_loc = Loc::new(cx.file, id.span);
        let mut quantization = Located::new("detect".to_string(), id_loc);
        let mut revision = None;
        if let Some(body) = body {
            for entry in self.fields(&body.entries, cx, &["quantization", "revision"], "`model`") {
                match entry.key.node.as_str() {
                    "quantization" => {
                        let ty = Ty::Enum {
                            what: "a checkpoint quantization",
                            choices: MODEL_QUANT,
                        };
                        if let Some(v) = self.value(&entry.value, cx, &ty, "quantization") {
                            quantization = Located::new(v.value.to_arg_string(), v.loc);
                        }
                    }
                    "revision" => {
                        if let Some(v) = self.value(&entry.value, cx, &Ty::Str, "revision") {
                            revision = Some(Located::new(v.value.to_arg_string(), v.loc));
                        }
                    }
                    _ => {}
                }
            }
        }
        let (effective, detected_from) = if quantization.value == "detect" {
            match detect_quantization(
                &id.node,
                self.sources.get(cx.file).path.as_deref(),
                &self.base_dir,
            ) {
                Some((q, from)) => {
                    self.emit(
                        Diagnostic::note(
                            "N0102",
                            format!("the checkpoint is taken as `{q}`-quantized (from its {from})"),
                        )
                        .primary(id_loc, format!("detected `{q}`"))
                        .help(format!(
                            "if that is wrong, write `model \"{}\" {{ quantization = none }}`",
                            id.node
                        )),
                    );
                    (q, Some(from))
                }
                None => ("none".to_string(), None),
            }
        } else {
            (quantization.value.clone(), None)
        };
        Model {
            id: Located::new(id.node.clone(), id_loc),
            quantization,
            effective_quantization: effective,
            detected_from,
            revision,
            loc,
        }
    }

    fn hardware(
        &mut self,
        gpu: &Ident,
        count: Option<&Expr>,
        cx: Cx,
        loc: Loc,
    ) -> Option<Hardware> {
        let gpu_loc = Loc::new(cx.file, gpu.span);
        let count = match count {
            Some(e) => {
                let v = self.value(e, cx, &Ty::Int { min: 1, max: 4096 }, "hardware")?;
                let Value::Int(n) = v.value else { return None };
                Located::new(n as u32, v.loc)
            }
            None => Located::new(1, gpu_loc),
        };
        let Some(entry) = tune_stdlib::gpu(&gpu.node) else {
            let names: Vec<&str> = tune_stdlib::gpus()
                .iter()
                .map(|g| g.name.as_str())
                .collect();
            let mut help = suggestion_help(&gpu.node, &names, "known GPUs");
            // `H100x2`: the count glued to the name.
            if let Some((name, n)) = gpu.node.rsplit_once('x') {
                if tune_stdlib::gpu(name).is_some() && n.parse::<u32>().is_ok() {
                    help = format!("write `hardware {name} x {n}`, with spaces around `x`");
                }
            }
            self.emit(
                Diagnostic::error("E0213", format!("unknown GPU `{}`", gpu.node))
                    .primary(gpu_loc, "not in the GPU catalog")
                    .help(help),
            );
            return None;
        };
        Some(Hardware {
            gpu: Located::new(gpu.node.clone(), gpu_loc),
            catalog_name: entry.name.clone(),
            count,
            loc,
        })
    }

    fn engine(
        &mut self,
        name: &Ident,
        version: &tune_syntax::Spanned<String>,
        body: Option<&Record>,
        cx: Cx,
        loc: Loc,
    ) -> Option<Engine> {
        let name_loc = Loc::new(cx.file, name.span);
        if !self.known_engine(name, cx) {
            return None;
        }
        let versions = tune_stdlib::versions_of(&name.node);
        let version_loc = Loc::new(cx.file, version.span);
        if !versions.contains(&version.node.as_str()) {
            let help = match did_you_mean(&version.node, versions.iter().copied()) {
                Some(s) => format!(
                    "did you mean \"{s}\"? The stdlib has schemas for {} {}",
                    name.node,
                    versions.join(", ")
                ),
                None => format!(
                    "the stdlib has schemas for {} {}",
                    name.node,
                    versions.join(", ")
                ),
            };
            self.emit(
                Diagnostic::error(
                    "E0212",
                    format!("{} version \"{}\" is not known", name.node, version.node),
                )
                .primary(version_loc, "no schema for this version")
                .help(help),
            );
            return None;
        }
        let mut engine = Engine {
            name: Located::new(name.node.clone(), name_loc),
            version: Located::new(version.node.clone(), version_loc),
            image: None,
            port: None,
            entrypoint: None,
            health: None,
            env: Default::default(),
            loc,
        };
        let Some(body) = body else {
            return Some(engine);
        };
        for entry in self.fields(
            &body.entries,
            cx,
            &["image", "port", "entrypoint", "health", "env"],
            "`engine`",
        ) {
            let key = entry.key.node.as_str();
            match key {
                "image" | "health" => {
                    if let Some(v) = self.value(&entry.value, cx, &Ty::Str, key) {
                        let s = Located::new(v.value.to_arg_string(), v.loc);
                        if key == "health" && !s.value.starts_with('/') {
                            self.emit(
                                Diagnostic::error(
                                    "E0203",
                                    "`health` must be a path starting with `/`",
                                )
                                .primary(s.loc, "not a path")
                                .help("for example `health = \"/health\"`"),
                            );
                        } else if key == "image" {
                            engine.image = Some(s);
                        } else {
                            engine.health = Some(s);
                        }
                    }
                }
                "port" => {
                    if let Some(v) =
                        self.value(&entry.value, cx, &Ty::Int { min: 1, max: 65535 }, "port")
                    {
                        if let Value::Int(p) = v.value {
                            engine.port = Some(Located::new(p as u16, v.loc));
                        }
                    }
                }
                "entrypoint" => {
                    let Some((expr, rcx)) = self.resolve(&entry.value, cx) else {
                        continue;
                    };
                    let ExprKind::List(items) = &expr.node else {
                        self.emit(
                            Diagnostic::error("E0201", "`entrypoint` expects a list of strings")
                                .primary(Loc::new(rcx.file, expr.span), "expected a list of strings")
                                .help("for example `entrypoint = [\"python3\", \"-m\", \"sglang.launch_server\"]`"),
                        );
                        continue;
                    };
                    let words: Vec<String> = items
                        .iter()
                        .filter_map(|i| {
                            self.value(i, rcx, &Ty::Str, "entrypoint")
                                .map(|v| v.value.to_arg_string())
                        })
                        .collect();
                    if words.len() == items.len() {
                        engine.entrypoint =
                            Some(Located::new(words, Loc::new(rcx.file, expr.span)));
                    }
                }
                "env" => {
                    let Some((expr, rcx)) = self.resolve(&entry.value, cx) else {
                        continue;
                    };
                    let ExprKind::Record(record) = &expr.node else {
                        self.emit(
                            Diagnostic::error("E0201", "`env` expects a record of variables")
                                .primary(
                                    Loc::new(rcx.file, expr.span),
                                    "expected `{ NAME = \"value\" }`",
                                ),
                        );
                        continue;
                    };
                    let mut seen: HashMap<String, Span> = HashMap::new();
                    for var in &record.entries {
                        if let Some(first) = seen.get(&var.key.node) {
                            self.emit(
                                Diagnostic::error(
                                    "E0214",
                                    format!("`{}` is set twice in `env`", var.key.node),
                                )
                                .primary(Loc::new(rcx.file, var.key.span), "set again here")
                                .secondary(Loc::new(rcx.file, *first), "first set here"),
                            );
                            continue;
                        }
                        seen.insert(var.key.node.clone(), var.key.span);
                        if let Some((vexpr, vcx)) = self.resolve(&var.value, rcx) {
                            // Numbers and names are written as they are; environments hold strings.
                            let text = match &vexpr.node {
                                ExprKind::Str(s) => Some(s.clone()),
                                ExprKind::Int(i) => Some(i.to_string()),
                                ExprKind::Float(f) => Some(f.to_string()),
                                ExprKind::Bool(b) => Some(b.to_string()),
                                ExprKind::Error => None,
                                other => {
                                    self.emit(
                                        Diagnostic::error("E0201", format!("environment variable `{}` expects a string, found {}", var.key.node, other.describe()))
                                            .primary(Loc::new(vcx.file, vexpr.span), "expected a string"),
                                    );
                                    None
                                }
                            };
                            if let Some(text) = text {
                                engine.env.insert(
                                    var.key.node.clone(),
                                    Located::new(text, Loc::new(vcx.file, vexpr.span)),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Some(engine)
    }

    /// Reports an engine name the stdlib does not know.
    fn known_engine(&mut self, name: &Ident, cx: Cx) -> bool {
        let names = tune_stdlib::engine_names();
        if names.contains(&name.node.as_str()) {
            return true;
        }
        self.emit(
            Diagnostic::error("E0211", format!("unknown engine `{}`", name.node))
                .primary(Loc::new(cx.file, name.span), "not an engine of the stdlib")
                .help(suggestion_help(&name.node, &names, "known engines")),
        );
        false
    }

    /// Reports a name that is not among `choices` (E0204); true when it is.
    fn one_of(&mut self, name: &Ident, cx: Cx, choices: &[&str], what: &str, plural: &str) -> bool {
        if choices.contains(&name.node.as_str()) {
            return true;
        }
        self.emit(
            Diagnostic::error("E0204", format!("`{}` is not {what}", name.node))
                .primary(
                    Loc::new(cx.file, name.span),
                    format!("unknown {}", what.trim_start_matches("a ")),
                )
                .help(suggestion_help(&name.node, choices, plural)),
        );
        false
    }

    fn deploy(
        &mut self,
        target: &Ident,
        body: Option<&Record>,
        cx: Cx,
        loc: Loc,
    ) -> Option<Deploy> {
        let target_loc = Loc::new(cx.file, target.span);
        if !self.one_of(target, cx, DEPLOY_TARGETS, "a deploy target", "targets") {
            return None;
        }
        let mut deploy = Deploy {
            target: Located::new(target.node.clone(), target_loc),
            fields: Default::default(),
            loc,
        };
        let Some(body) = body else {
            return Some(deploy);
        };
        let allowed: &[&str] = match target.node.as_str() {
            "script" => &["hf-cache"],
            "compose" => &["gpus", "hf-cache", "shm-size"],
            _ => &["gpus", "namespace", "hf-cache", "hf-token", "shm-size"],
        };
        let all = ["gpus", "namespace", "hf-cache", "hf-token", "shm-size"];
        for entry in &body.entries {
            let key = entry.key.node.as_str();
            if all.contains(&key) && !allowed.contains(&key) {
                let why = match key {
                    "hf-token" => "script and compose pass `HF_TOKEN` through from the environment; only `k8s` reads it from a Secret",
                    _ => "this field applies to other targets",
                };
                self.emit(
                    Diagnostic::error(
                        "E0209",
                        format!("`deploy {}` has no field `{key}`", target.node),
                    )
                    .primary(
                        Loc::new(cx.file, entry.key.span),
                        format!("not a field of `{}`", target.node),
                    )
                    .help(format!(
                        "{why}; fields of `{}`: {}",
                        target.node,
                        allowed.join(", ")
                    )),
                );
            }
        }
        // Fields of other targets are reported above; the rest are checked here.
        let entries = body.entries.iter().filter(|e| {
            allowed.contains(&e.key.node.as_str()) || !all.contains(&e.key.node.as_str())
        });
        for entry in self.fields(entries, cx, allowed, &format!("`deploy {}`", target.node)) {
            let key = entry.key.node.as_str();
            let Some((expr, rcx)) = self.resolve(&entry.value, cx) else {
                continue;
            };
            if matches!(expr.node, ExprKind::Error) {
                continue; // already reported by the parser
            }
            let vloc = Loc::new(rcx.file, expr.span);
            let value = match (key, &expr.node) {
                ("gpus", ExprKind::Ident(a)) if a == "all" => Some(DeployValue::All),
                ("gpus", _) => self
                    .value(&expr, rcx, &POSITIVE, "gpus")
                    .map(|v| DeployValue::Value(v.value)),
                ("namespace", _) => self
                    .value(&expr, rcx, &Ty::Str, key)
                    .map(|v| DeployValue::Value(v.value)),
                ("shm-size", _) => self
                    .value(&expr, rcx, &Ty::Size, key)
                    .map(|v| DeployValue::Value(v.value)),
                ("hf-cache", ExprKind::Str(s)) => Some(DeployValue::Value(Value::Str(s.clone()))),
                (
                    "hf-cache",
                    ExprKind::Call {
                        name,
                        args,
                        second: None,
                    },
                ) if name.node == "pvc" && target.node == "k8s" => self
                    .string_args(name, args, 1, rcx, expr.span)
                    .map(|mut a| DeployValue::Pvc(a.remove(0))),
                (
                    "hf-token",
                    ExprKind::Call {
                        name,
                        args,
                        second: None,
                    },
                ) if name.node == "secret" => {
                    self.string_args(name, args, 2, rcx, expr.span)
                        .map(|a| DeployValue::Secret {
                            name: a[0].clone(),
                            key: a[1].clone(),
                        })
                }
                (_, ExprKind::Call { name, .. }) => {
                    let expected = match key {
                        "hf-cache" if target.node == "k8s" => "a path or `pvc(\"name\")`",
                        "hf-cache" => "a path",
                        _ => "`secret(\"name\", \"key\")`",
                    };
                    self.emit(
                        Diagnostic::error(
                            "E0215",
                            format!("`{}(...)` cannot be used for `{key}` here", name.node),
                        )
                        .primary(Loc::new(rcx.file, name.span), "not allowed here")
                        .help(format!(
                            "`{key}` of `deploy {}` takes {expected}",
                            target.node
                        )),
                    );
                    None
                }
                ("hf-token", _) => {
                    self.emit(
                        Diagnostic::error("E0201", "`hf-token` expects a Kubernetes Secret reference")
                            .primary(vloc, "expected `secret(\"name\", \"key\")`")
                            .help("secrets are never written into artifacts: name the Secret that holds the token"),
                    );
                    None
                }
                _ => {
                    self.emit(
                        Diagnostic::error(
                            "E0201",
                            format!(
                                "`{key}` expects a path string, found {}",
                                expr.node.describe()
                            ),
                        )
                        .primary(vloc, "expected a string"),
                    );
                    None
                }
            };
            if let Some(v) = value {
                deploy.fields.insert(key.to_string(), Located::new(v, vloc));
            }
        }
        Some(deploy)
    }

    fn string_args(
        &mut self,
        name: &Ident,
        args: &[Expr],
        n: usize,
        cx: Cx,
        call: Span,
    ) -> Option<Vec<String>> {
        let strings: Vec<Option<String>> = args
            .iter()
            .map(|a| match &a.node {
                ExprKind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if args.len() != n || strings.iter().any(Option::is_none) {
            let shape = if n == 1 {
                format!("{}(\"name\")", name.node)
            } else {
                format!("{}(\"name\", \"key\")", name.node)
            };
            self.emit(
                Diagnostic::error(
                    "E0215",
                    format!(
                        "`{}` takes {n} string argument{}",
                        name.node,
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .primary(Loc::new(cx.file, call), "wrong arguments")
                .help(format!("write `{shape}`")),
            );
            return None;
        }
        Some(strings.into_iter().flatten().collect())
    }

    // ----- sweep and quant --------------------------------------------------------

    fn sweep(&mut self, body: &Record, cx: Cx, study: &mut Study) {
        for entry in self.fields(&body.entries, cx, SWEEP_AXES, "`sweep`") {
            let key = entry.key.node.as_str();
            let key_loc = Loc::new(cx.file, entry.key.span);
            // The same axis in two `sweep` blocks.
            let earlier = study
                .axes
                .iter()
                .find(|a| a.name.value == key)
                .map(|a| a.name.loc)
                .or(match key {
                    "quant" => study
                        .quant
                        .as_ref()
                        .and_then(|q| q.first())
                        .map(|_| self.quant_loc.unwrap_or(key_loc)),
                    "precision" => study
                        .precision
                        .as_ref()
                        .map(|_| self.precision_loc.unwrap_or(key_loc)),
                    _ => None,
                });
            if let Some(first) = earlier {
                if self.cells && first.file != key_loc.file {
                    self.emit(
                        Diagnostic::note(
                            "N0103",
                            format!("the axis `{key}` replaces the one of an earlier cell"),
                        )
                        .primary(key_loc, "used from now on")
                        .secondary(first, "replaced"),
                    );
                    study.axes.retain(|a| a.name.value != key);
                } else if first != key_loc {
                    self.emit(
                        Diagnostic::error("E0214", format!("the axis `{key}` is set twice"))
                            .primary(key_loc, "set again here")
                            .secondary(first, "first set here")
                            .help("`sweep` blocks merge; set each axis once"),
                    );
                    continue;
                }
            }
            match key {
                "quant" => {
                    self.quant_loc = Some(key_loc);
                    study.quant = self.quant_axis(entry, cx);
                }
                "precision" => {
                    self.precision_loc = Some(key_loc);
                    if let Some((values, _)) = self.axis(&entry.value, cx, &Ty::Precision, key) {
                        study.precision = Some(
                            values
                                .into_iter()
                                .filter_map(|v| match v.value {
                                    Value::Precision(p) => Some(Located::new(p, v.loc)),
                                    _ => None,
                                })
                                .collect(),
                        );
                    }
                }
                _ => {
                    let ty = match key {
                        "memory" => Ty::Ratio {
                            min: 0.0,
                            min_inclusive: false,
                            max: 1.0,
                        },
                        "prefix-cache" => Ty::OnOff,
                        "tp" | "pp" | "dp" | "ep" => Ty::Int { min: 1, max: 1024 },
                        _ => POSITIVE,
                    };
                    if let Some((values, is_list)) = self.axis(&entry.value, cx, &ty, key) {
                        study.axes.push(Axis {
                            name: Located::new(key.to_string(), key_loc),
                            values,
                            is_list,
                        });
                    }
                }
            }
        }
    }

    /// The `quant` axis: presets, records, lists of them, or a block of field lists.
    fn quant_axis(&mut self, entry: &Entry, cx: Cx) -> Option<Vec<QuantPoint>> {
        let (expr, rcx) = self.resolve(&entry.value, cx)?;
        let points = match &expr.node {
            // `quant { gemm = [..], kv-cache = [..] }` as a block: the product of its fields.
            // `quant { f = [..] }`, `quant = { f = [..] }` and `quant = quant { .. }`: the
            // product of the fields (a record of single values is one point).
            ExprKind::Record(record) => self.quant_record(record, rcx, true).unwrap_or_default(),
            ExprKind::Typed { name, record } if name.node == "quant" => {
                self.quant_record(record, rcx, true).unwrap_or_default()
            }
            ExprKind::List(items) => {
                if items.is_empty() {
                    self.emit(
                        Diagnostic::error("E0206", "`quant` has an empty list")
                            .primary(Loc::new(rcx.file, expr.span), "no values")
                            .help("write `quant = default` for the engines' defaults"),
                    );
                    return None;
                }
                let mut out: Vec<QuantPoint> = Vec::new();
                for item in items {
                    if let Some(p) = self.quant_point(item, rcx, "quant") {
                        if let Some(prev) = out.iter().find(|q| same_quant(q, &p)) {
                            self.emit(
                                Diagnostic::warning(
                                    "W0106",
                                    "`quant` lists the same setting twice",
                                )
                                .primary(p.loc, "same four fields as an earlier point")
                                .secondary(prev.loc, "first here")
                                .help("a repeated setting adds no experiment; remove it"),
                            );
                            continue;
                        }
                        out.push(p);
                    }
                }
                out
            }
            _ => vec![self.quant_point(&expr, rcx, "quant")?],
        };
        Some(points)
    }

    /// One point: a preset name or a record with single values.
    fn quant_point(&mut self, expr: &Expr, cx: Cx, field: &str) -> Option<QuantPoint> {
        let use_loc = Loc::new(cx.file, expr.span);
        let (expr, rcx) = self.resolve(expr, cx)?;
        match &expr.node {
            ExprKind::Ident(name) => {
                if !self.scopes[rcx.scope].presets.contains_key(name)
                    && self.failed_imports.contains(&rcx.scope)
                {
                    return None; // perhaps defined by the file that could not be imported
                }
                let Some(def) = self.scopes[rcx.scope].presets.get(name).cloned() else {
                    let names: Vec<String> =
                        self.scopes[rcx.scope].presets.keys().cloned().collect();
                    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
                    names.sort();
                    let std_has = tune_stdlib::std_module("std/presets")
                        .map(|m| tune_syntax::parse(m.source).statements.iter().any(|s| matches!(&s.kind, StatementKind::Preset { name: n, .. } if n.node == *name)))
                        .unwrap_or(false);
                    let help = if std_has && !names.contains(&name.as_str()) {
                        format!("`{name}` is defined in the standard library: add `import \"std/presets\"`")
                    } else if names.is_empty() {
                        "no presets are in scope; `import \"std/presets\"` brings the standard ones"
                            .to_string()
                    } else {
                        suggestion_help(name, &names, "presets in scope")
                    };
                    self.emit(
                        Diagnostic::error("E0210", format!("unknown preset `{name}`"))
                            .primary(Loc::new(rcx.file, expr.span), "no preset of this name")
                            .help(help),
                    );
                    return None;
                };
                let mut p = self.preset_value(
                    &def.value,
                    Cx {
                        file: def.file,
                        scope: def.scope,
                    },
                    name,
                )?;
                p.preset = Some(name.clone());
                p.loc = use_loc;
                Some(p)
            }
            ExprKind::Record(record) | ExprKind::Typed { record, .. } => {
                if let ExprKind::Typed { name, .. } = &expr.node {
                    if name.node != "quant" {
                        self.emit(
                            Diagnostic::error(
                                "E0201",
                                format!(
                                    "`{field}` expects a quant setting, found `{} {{ ... }}`",
                                    name.node
                                ),
                            )
                            .primary(Loc::new(rcx.file, name.span), "expected `quant { ... }`"),
                        );
                        return None;
                    }
                }
                let mut p = self.quant_record(record, rcx, false)?.pop()?;
                p.loc = use_loc;
                Some(p)
            }
            ExprKind::Error => None,
            other => {
                self.emit(
                    Diagnostic::error(
                        "E0201",
                        format!(
                            "`{field}` expects a preset or a quant record, found {}",
                            other.describe()
                        ),
                    )
                    .primary(
                        Loc::new(rcx.file, expr.span),
                        "expected a preset name or `{ gemm = ..., kv-cache = ... }`",
                    ),
                );
                None
            }
        }
    }

    /// The value of a preset: `quant { ... }` with single values, or another preset.
    fn preset_value(&mut self, value: &Expr, cx: Cx, preset: &str) -> Option<QuantPoint> {
        let key = (cx.scope, format!("preset {preset}"));
        if self.resolving.contains(&key) {
            if self.reported_cycles.insert(key) {
                self.emit(
                    Diagnostic::error("E0216", format!("preset `{preset}` refers to itself"))
                        .primary(Loc::new(cx.file, value.span), "defined in terms of itself"),
                );
            }
            return None;
        }
        self.resolving.push(key);
        let (expr, rcx) = match self.resolve(value, cx) {
            Some(r) => r,
            None => {
                self.resolving.pop();
                return None;
            }
        };
        let result = match &expr.node {
            ExprKind::Typed { name, record } if name.node == "quant" => self
                .quant_record(record, rcx, false)
                .and_then(|mut v| v.pop()),
            ExprKind::Ident(_) => self.quant_point(&expr, rcx, "preset"),
            ExprKind::Record(_) => {
                self.emit(
                    Diagnostic::error("E0201", "a preset is written `quant { ... }`")
                        .primary(Loc::new(rcx.file, expr.span), "add `quant` before `{`")
                        .help(format!(
                            "write `preset {preset} = quant {{ kv-cache = fp8_e5m2 }}`"
                        )),
                );
                None
            }
            ExprKind::Error => None,
            other => {
                self.emit(
                    Diagnostic::error(
                        "E0201",
                        format!("a preset is a quant setting, found {}", other.describe()),
                    )
                    .primary(Loc::new(rcx.file, expr.span), "expected `quant { ... }`")
                    .help(format!(
                        "write `preset {preset} = quant {{ kv-cache = fp8_e5m2 }}`"
                    )),
                );
                None
            }
        };
        self.resolving.pop();
        result
    }

    /// A record of the four fields. With `lists`, each field may be a list and the
    /// result is the product; otherwise each field takes one value.
    fn quant_record(&mut self, record: &Record, cx: Cx, lists: bool) -> Option<Vec<QuantPoint>> {
        let names: Vec<&str> = QUANT_FIELDS.iter().map(|(n, _)| *n).collect();
        let mut columns: Vec<Vec<QuantField>> = vec![vec![QuantField::auto()]; 4];
        let mut ok = true;
        for entry in self.fields(&record.entries, cx, &names, "`quant`") {
            let i = names.iter().position(|n| *n == entry.key.node).unwrap_or(0);
            let (field, choices) = QUANT_FIELDS[i];
            let ty = Ty::Enum {
                what: "a quantization dtype",
                choices,
            };
            let Some((expr, rcx)) = self.resolve(&entry.value, cx) else {
                ok = false;
                continue;
            };
            if let ExprKind::List(items) = &expr.node {
                if !lists {
                    self.emit(
                        Diagnostic::error("E0205", format!("`{field}` takes one value here"))
                            .primary(Loc::new(rcx.file, expr.span), "a list")
                            .help("a preset or a point of a `quant = [...]` list is one setting; to sweep dtypes write `sweep { quant { field = [a, b] } }`"),
                    );
                    ok = false;
                    continue;
                }
                if items.is_empty() {
                    self.emit(
                        Diagnostic::warning(
                            "W0101",
                            format!("`{field}` has an empty list, which means `auto`"),
                        )
                        .primary(Loc::new(rcx.file, expr.span), "read as `auto`")
                        .help(format!(
                            "write `{field} = auto`, or list the dtypes to sweep"
                        )),
                    );
                    continue;
                }
            }
            match self.axis(&entry.value, cx, &ty, field) {
                Some((values, _)) if !values.is_empty() => {
                    columns[i] = values
                        .into_iter()
                        .map(|v| QuantField {
                            value: v.value.to_arg_string(),
                            loc: Some(v.loc),
                        })
                        .collect();
                }
                _ => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let loc = Loc::new(cx.file, record.span);
        let mut points = Vec::new();
        for g in &columns[0] {
            for k in &columns[1] {
                for a in &columns[2] {
                    for m in &columns[3] {
                        points.push(QuantPoint {
                            gemm: g.clone(),
                            kv_cache: k.clone(),
                            attention: a.clone(),
                            moe: m.clone(),
                            preset: None,
                            loc,
                        });
                    }
                }
            }
        }
        Some(points)
    }

    // ----- args -------------------------------------------------------------------

    fn args(&mut self, engine: Option<&Ident>, body: &Record, cx: Cx, loc: Loc) -> ArgsBlock {
        let named = engine.is_some();
        let engine = engine.and_then(|e| {
            self.known_engine(e, cx)
                .then(|| Located::new(e.node.clone(), Loc::new(cx.file, e.span)))
        });
        let mut flags: Vec<Flag> = Vec::new();
        let mut seen: HashMap<String, Span> = HashMap::new();
        for entry in &body.entries {
            let name = entry.key.node.clone();
            let key_loc = Loc::new(cx.file, entry.key.span);
            if let Some(first) = seen.get(&name) {
                self.emit(
                    Diagnostic::error("E0214", format!("the flag `{name}` is set twice"))
                        .primary(key_loc, "set again here")
                        .secondary(Loc::new(cx.file, *first), "first set here")
                        .help("a list value sweeps a flag: `flag = [a, b]`"),
                );
                continue;
            }
            seen.insert(name.clone(), entry.key.span);
            if let Some((values, is_list)) = self.axis(&entry.value, cx, &Ty::Scalar, &name) {
                flags.push(Flag {
                    name: Located::new(name, key_loc),
                    values,
                    is_list,
                });
            }
        }
        if named && engine.is_none() {
            // The engine is unknown (reported): its flags cannot be checked
            // against any schema, and must not be taken for every engine's.
            flags.clear();
        }
        ArgsBlock { engine, flags, loc }
    }

    // ----- slo --------------------------------------------------------------------

    fn slo(&mut self, body: &tune_syntax::SloBlock, cx: Cx, loc: Loc) -> Slo {
        let mut slo = Slo {
            objectives: Vec::new(),
            steepness: Located::new(0.1, loc),
            loc,
        };
        let mut steepness_at: Option<Loc> = None;
        for entry in &body.entries {
            match entry {
                SloEntry::Steepness { keyword, value, .. } => {
                    let here = Loc::new(cx.file, *keyword);
                    if let Some(first) = steepness_at {
                        self.emit(
                            Diagnostic::error("E0214", "`steepness` is set twice")
                                .primary(here, "set again here")
                                .secondary(first, "first set here"),
                        );
                        continue;
                    }
                    steepness_at = Some(here);
                    if let Some(v) = self.value(value, cx, &Ty::Positive, "steepness") {
                        if let Value::Float(s) = v.value {
                            slo.steepness = Located::new(s, v.loc);
                        }
                    }
                }
                SloEntry::Objective(o) => {
                    if let Some(obj) = self.objective(o, cx) {
                        if let Some(prev) = slo.objectives.iter().find(|p| {
                            p.metric.value == obj.metric.value
                                && p.statistic.as_ref().map(|s| &s.value)
                                    == obj.statistic.as_ref().map(|s| &s.value)
                                && p.upper_bound == obj.upper_bound
                        }) {
                            self.emit(
                                Diagnostic::error("E0214", "the same objective is set twice")
                                    .primary(obj.loc, "set again here")
                                    .secondary(prev.loc, "first set here")
                                    .help("keep one threshold per metric and statistic"),
                            );
                            continue;
                        }
                        slo.objectives.push(obj);
                    }
                }
            }
        }
        slo
    }

    fn objective(&mut self, o: &tune_syntax::Objective, cx: Cx) -> Option<Objective> {
        let metric_loc = Loc::new(cx.file, o.metric.span);
        let metric = match o.metric.node.as_str() {
            "ttft" => Metric::Ttft,
            "tpot" => Metric::Tpot,
            "itl" => Metric::Itl,
            "e2e" => Metric::E2e,
            "error-rate" => Metric::ErrorRate,
            "throughput" => Metric::Throughput,
            other => {
                self.emit(
                    Diagnostic::error("E0204", format!("`{other}` is not an SLO metric"))
                        .primary(metric_loc, "unknown metric")
                        .help(suggestion_help(other, METRICS, "metrics")),
                );
                return None;
            }
        };
        let latency = matches!(
            metric,
            Metric::Ttft | Metric::Tpot | Metric::Itl | Metric::E2e
        );
        let mut ok = true;
        let statistic = match &o.statistic {
            Some(s) if !latency => {
                self.emit(
                    Diagnostic::error("E0204", format!("`{}` takes no statistic", o.metric.node))
                        .primary(Loc::new(cx.file, s.span), "remove this")
                        .help(format!(
                            "write `{} {} ...`",
                            o.metric.node,
                            o.comparison.node.as_str()
                        )),
                );
                ok = false;
                None
            }
            Some(s) if !STATISTICS.contains(&s.node.as_str()) => {
                self.emit(
                    Diagnostic::error("E0204", format!("`{}` is not a statistic", s.node))
                        .primary(Loc::new(cx.file, s.span), "unknown statistic")
                        .help(suggestion_help(&s.node, STATISTICS, "statistics")),
                );
                ok = false;
                None
            }
            Some(s) => Some(Located::new(s.node.clone(), Loc::new(cx.file, s.span))),
            None if latency => {
                self.emit(
                    Diagnostic::error("E0219", format!("`{}` needs a statistic", o.metric.node))
                        .primary(metric_loc, "which statistic?")
                        .help(format!(
                            "write for example `{} p90 {} ...`; statistics: {}",
                            o.metric.node,
                            o.comparison.node.as_str(),
                            STATISTICS.join(", ")
                        )),
                );
                ok = false;
                None
            }
            None => None,
        };
        let upper = o.comparison.node.is_upper_bound();
        let wants_upper = metric != Metric::Throughput;
        if upper != wants_upper {
            let right = if wants_upper { "<" } else { ">" };
            self.emit(
                Diagnostic::error(
                    "E0222",
                    format!(
                        "`{}` is bounded from {}",
                        o.metric.node,
                        if wants_upper { "above" } else { "below" }
                    ),
                )
                .primary(
                    Loc::new(cx.file, o.comparison.span),
                    format!("should be `{right}`"),
                )
                .help(if wants_upper {
                    "lower is better for latencies and error rates: write `< THRESHOLD`"
                } else {
                    "higher is better for throughput: write `> THRESHOLD`"
                }),
            );
            ok = false;
        }
        let ty = match metric {
            Metric::ErrorRate => Ty::Ratio {
                min: 0.0,
                min_inclusive: true,
                max: 1.0,
            },
            Metric::Throughput => Ty::Rate,
            _ => Ty::Duration {
                min: 0.0,
                min_inclusive: false,
            },
        };
        let threshold = self.value(&o.threshold, cx, &ty, &o.metric.node);
        let mut weight = 1.0;
        let mut hard = false;
        let mut fail_ratio: Option<(f64, Loc)> = None;
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for opt in &o.options {
            let name = opt.name.node.as_str();
            let oloc = Loc::new(cx.file, opt.name.span);
            if !SLO_OPTIONS.contains(&name) {
                self.emit(
                    Diagnostic::error("E0209", format!("`{name}` is not an objective option"))
                        .primary(oloc, "unknown option")
                        .help(suggestion_help(name, SLO_OPTIONS, "options")),
                );
                ok = false;
                continue;
            }
            if let Some(first) = seen.get(name) {
                self.emit(
                    Diagnostic::error("E0214", format!("`{name}` is given twice"))
                        .primary(oloc, "given again here")
                        .secondary(Loc::new(cx.file, *first), "first given here"),
                );
                continue;
            }
            seen.insert(name, opt.name.span);
            match (name, &opt.value) {
                ("hard", None) => hard = true,
                ("hard", Some(v)) => {
                    self.emit(
                        Diagnostic::error("E0106", "`hard` takes no value")
                            .primary(Loc::new(cx.file, v.span), "unexpected value")
                            .help("to set how far a hard objective may be violated, write `hard fail-ratio 20%`"),
                    );
                    ok = false;
                }
                (_, None) => {
                    self.emit(
                        Diagnostic::error("E0219", format!("`{name}` needs a value"))
                            .primary(oloc, "value missing")
                            .help(if name == "weight" {
                                "for example `weight 2`"
                            } else {
                                "for example `fail-ratio 20%`"
                            }),
                    );
                    ok = false;
                }
                ("weight", Some(v)) => match self.value(v, cx, &Ty::Positive, "weight") {
                    Some(Located {
                        value: Value::Float(w),
                        ..
                    }) => weight = w,
                    _ => ok = false,
                },
                (_, Some(v)) => match self.value(
                    v,
                    cx,
                    &Ty::Ratio {
                        min: 0.0,
                        min_inclusive: true,
                        max: 1.0,
                    },
                    "fail-ratio",
                ) {
                    Some(Located {
                        value: Value::Ratio(r),
                        loc,
                    }) => fail_ratio = Some((r, loc)),
                    _ => ok = false,
                },
            }
        }
        if let (Some((_, floc)), false) = (fail_ratio, hard) {
            self.emit(
                Diagnostic::warning("W0102", "`fail-ratio` has no effect without `hard`")
                    .primary(floc, "ignored")
                    .help("add `hard` to let this objective fail an experiment"),
            );
        }
        let threshold = threshold?;
        if !ok {
            return None;
        }
        Some(Objective {
            metric: Located::new(metric, metric_loc),
            statistic,
            upper_bound: upper,
            threshold,
            weight,
            hard,
            fail_ratio: fail_ratio.map(|(r, _)| r).unwrap_or(0.5),
            loc: Loc::new(cx.file, o.span),
        })
    }

    // ----- benchmark and search -----------------------------------------------------

    fn benchmark(&mut self, body: &Record, cx: Cx, loc: Loc) -> Benchmark {
        let mut b = Benchmark {
            traffic: vec![],
            concurrency: vec![],
            rate: vec![],
            duration: None,
            requests: None,
            warmup: None,
            endpoint: None,
            loc,
        };
        let allowed = [
            "traffic",
            "concurrency",
            "rate",
            "duration",
            "requests",
            "warmup",
            "endpoint",
        ];
        let entries = self.fields(&body.entries, cx, &allowed, "`benchmark`");
        let conc = entries
            .iter()
            .find(|e| e.key.node == "concurrency")
            .map(|e| e.key.span);
        let rate = entries
            .iter()
            .find(|e| e.key.node == "rate")
            .map(|e| e.key.span);
        if let (Some(c), Some(r)) = (conc, rate) {
            let (first, second) = if c.start < r.start { (c, r) } else { (r, c) };
            self.emit(
                Diagnostic::error("E0217", "`concurrency` and `rate` cannot both be set")
                    .primary(Loc::new(cx.file, second), "second load model")
                    .secondary(Loc::new(cx.file, first), "first load model")
                    .help("load levels are either concurrent streams (closed loop) or a request rate (Poisson arrivals); keep one"),
            );
        }
        for entry in entries {
            let key = entry.key.node.as_str();
            match key {
                "traffic" => {
                    if let Some((vals, _)) = self.axis(&entry.value, cx, &Ty::Traffic, key) {
                        b.traffic = vals
                            .into_iter()
                            .filter_map(|v| match v.value {
                                Value::Traffic(t) => Some(Located::new(t, v.loc)),
                                _ => None,
                            })
                            .collect();
                    }
                }
                "concurrency" => {
                    if let Some((vals, _)) = self.axis(&entry.value, cx, &POSITIVE, key) {
                        b.concurrency = vals
                            .into_iter()
                            .filter_map(|v| match v.value {
                                Value::Int(i) => Some(Located::new(i, v.loc)),
                                _ => None,
                            })
                            .collect();
                    }
                }
                "rate" if conc.is_none() => {
                    if let Some((vals, _)) = self.axis(&entry.value, cx, &Ty::RequestRate, key) {
                        b.rate = vals
                            .into_iter()
                            .filter_map(|v| match v.value {
                                Value::RequestRate(r) => Some(Located::new(r, v.loc)),
                                _ => None,
                            })
                            .collect();
                    }
                }
                "duration" | "warmup" => {
                    let ty = Ty::Duration {
                        min: 0.0,
                        min_inclusive: key == "warmup",
                    };
                    if let Some(v) = self.value(&entry.value, cx, &ty, key) {
                        if let Value::Duration(s) = v.value {
                            let l = Some(Located::new(s, v.loc));
                            if key == "duration" {
                                b.duration = l
                            } else {
                                b.warmup = l
                            }
                        }
                    }
                }
                "requests" => {
                    if let Some(Located {
                        value: Value::Int(n),
                        loc,
                    }) = self.value(&entry.value, cx, &POSITIVE, key)
                    {
                        b.requests = Some(Located::new(n, loc));
                    }
                }
                "endpoint" => {
                    let ty = Ty::Enum {
                        what: "an endpoint",
                        choices: ENDPOINTS,
                    };
                    if let Some(v) = self.value(&entry.value, cx, &ty, key) {
                        b.endpoint = Some(Located::new(v.value.to_arg_string(), v.loc));
                    }
                }
                _ => {}
            }
        }
        b
    }

    fn search(
        &mut self,
        strategy: &Ident,
        body: Option<&Record>,
        cx: Cx,
        loc: Loc,
    ) -> Option<Search> {
        let sloc = Loc::new(cx.file, strategy.span);
        if !self.one_of(strategy, cx, STRATEGIES, "a search strategy", "strategies") {
            return None;
        }
        let random = strategy.node == "random";
        let mut s = Search {
            strategy: Located::new(strategy.node.clone(), sloc),
            objective: None,
            timeout: None,
            max_experiments: None,
            strict: None,
            samples: None,
            seed: None,
            loc,
        };
        let empty = Record {
            entries: vec![],
            span: strategy.span,
            open: strategy.span,
        };
        let body = body.unwrap_or(&empty);
        let mut allowed = vec!["objective", "timeout", "max-experiments", "strict"];
        if random {
            allowed.extend(["samples", "seed"]);
        }
        for entry in &body.entries {
            if !random && matches!(entry.key.node.as_str(), "samples" | "seed") {
                self.emit(
                    Diagnostic::error("E0209", format!("`search grid` has no field `{}`", entry.key.node))
                        .primary(Loc::new(cx.file, entry.key.span), "only for `search random`")
                        .help("grid search runs every point; write `search random { samples = N; seed = S }` to sample"),
                );
            }
        }
        let entries = body
            .entries
            .iter()
            .filter(|e| random || !matches!(e.key.node.as_str(), "samples" | "seed"));
        for entry in self.fields(
            entries,
            cx,
            &allowed,
            &format!("`search {}`", strategy.node),
        ) {
            let key = entry.key.node.as_str();
            match key {
                "objective" => s.objective = self.search_objective(&entry.value, cx),
                "timeout" => {
                    if let Some(Located {
                        value: Value::Duration(d),
                        loc,
                    }) = self.value(
                        &entry.value,
                        cx,
                        &Ty::Duration {
                            min: 0.0,
                            min_inclusive: false,
                        },
                        key,
                    ) {
                        s.timeout = Some(Located::new(d, loc));
                    }
                }
                "strict" => {
                    if let Some(Located {
                        value: Value::Bool(b),
                        loc,
                    }) = self.value(&entry.value, cx, &Ty::Bool, key)
                    {
                        s.strict = Some(Located::new(b, loc));
                    }
                }
                _ => {
                    let ty = if key == "seed" {
                        Ty::Int {
                            min: 0,
                            max: i64::MAX,
                        }
                    } else {
                        POSITIVE
                    };
                    if let Some(Located {
                        value: Value::Int(n),
                        loc,
                    }) = self.value(&entry.value, cx, &ty, key)
                    {
                        let l = Some(Located::new(n, loc));
                        match key {
                            "max-experiments" => s.max_experiments = l,
                            "samples" => s.samples = l,
                            _ => s.seed = l,
                        }
                    }
                }
            }
        }
        if random && s.samples.is_none() && !body.entries.iter().any(|e| e.key.node == "samples") {
            self.emit(
                Diagnostic::error("E0219", "`search random` needs `samples`")
                    .primary(sloc, "how many points?")
                    .help("write `search random { samples = 20; seed = 7 }`"),
            );
        }
        Some(s)
    }

    fn search_objective(&mut self, expr: &Expr, cx: Cx) -> Option<Located<(String, String)>> {
        let (expr, rcx) = self.resolve(expr, cx)?;
        if matches!(expr.node, ExprKind::Error) {
            return None;
        }
        let loc = Loc::new(rcx.file, expr.span);
        let all: Vec<String> = OBJECTIVES.iter().map(|(d, t)| format!("{d} {t}")).collect();
        let all_ref: Vec<&str> = all.iter().map(String::as_str).collect();
        let words: Option<Vec<&str>> = match &expr.node {
            ExprKind::Phrase(items) => items
                .iter()
                .map(|i| match &i.node {
                    ExprKind::Ident(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            ExprKind::Ident(s) => Some(vec![s.as_str()]),
            _ => None,
        };
        let written = words.as_ref().map(|w| w.join(" "));
        match (&words, &written) {
            (Some(w), Some(text)) if w.len() == 2 && OBJECTIVES.contains(&(w[0], w[1])) => {
                Some(Located::new((w[0].to_string(), w[1].to_string()), loc))
            }
            (Some(w), Some(text)) => {
                // `maximize latency`: the right target, the wrong direction.
                let flipped = w
                    .last()
                    .and_then(|t| OBJECTIVES.iter().find(|(_, o)| o == t));
                let help = match flipped {
                    Some((d, t)) if w.len() == 2 => {
                        format!("`{t}` can only be {d}d: write `objective = {d} {t}`")
                    }
                    _ => suggestion_help(text, &all_ref, "objectives"),
                };
                self.emit(
                    Diagnostic::error("E0204", format!("`{text}` is not a search objective"))
                        .primary(loc, "unknown objective")
                        .help(help),
                );
                None
            }
            _ => {
                self.emit(
                    Diagnostic::error(
                        "E0201",
                        format!(
                            "`objective` expects `maximize` or `minimize` and a target, found {}",
                            expr.node.describe()
                        ),
                    )
                    .primary(loc, "expected for example `maximize throughput`")
                    .help(format!("objectives: {}", all.join(", "))),
                );
                None
            }
        }
    }

    // ----- whole-study interactions ---------------------------------------------------

    fn study_checks(&mut self, study: &Study) {
        // A flag set in two `args` blocks of the same engine (or two unnamed blocks).
        let mut flags_seen: HashMap<(Option<String>, String), Loc> = HashMap::new();
        for block in &study.args {
            let engine = block.engine.as_ref().map(|e| e.value.clone());
            for flag in &block.flags {
                let key = (engine.clone(), flag.name.value.clone());
                match flags_seen.get(&key) {
                    Some(first) if first.file == flag.name.loc.file || !self.cells => {
                        if first.span != flag.name.loc.span || first.file != flag.name.loc.file {
                            let scope = engine
                                .as_deref()
                                .map(|e| format!("`args {e}`"))
                                .unwrap_or_else(|| "`args`".into());
                            self.emit(
                                Diagnostic::error(
                                    "E0214",
                                    format!(
                                        "the flag `{}` is set twice in {scope} blocks",
                                        flag.name.value
                                    ),
                                )
                                .primary(flag.name.loc, "set again here")
                                .secondary(*first, "first set here")
                                .help("a list value sweeps a flag: `flag = [a, b]`"),
                            );
                        }
                    }
                    Some(first) => {
                        self.emit(
                            Diagnostic::note(
                                "N0103",
                                format!(
                                    "`{}` replaces the value set in an earlier cell",
                                    flag.name.value
                                ),
                            )
                            .primary(flag.name.loc, "used from now on")
                            .secondary(*first, "replaced"),
                        );
                        flags_seen.insert(key, flag.name.loc);
                    }
                    None => {
                        flags_seen.insert(key, flag.name.loc);
                    }
                }
            }
        }
        // `args ENGINE` for an engine the study does not use.
        if !self.declared_engines.is_empty() {
            for block in &study.args {
                if let Some(e) = &block.engine {
                    if !self.declared_engines.contains(&e.value) {
                        let used: Vec<&str> = study
                            .engines
                            .iter()
                            .map(|x| x.name.value.as_str())
                            .collect();
                        self.emit(
                            Diagnostic::warning("W0104", format!("the study does not use `{}`; these flags have no effect", e.value))
                                .primary(e.loc, "no `engine` of this name")
                                .help(format!("the study's engines: {}; add `engine {} \"VERSION\"` or remove this block", used.join(", "), e.value)),
                        );
                    }
                }
            }
        }
        let quantized = study.model.as_ref().filter(|m| m.is_offline_quantized());
        if let (Some(model), Some(pairs)) = (quantized, &study.precision) {
            for p in pairs {
                self.emit(
                    Diagnostic::error("E0218", format!("a precision pair needs an unquantized checkpoint, and this one is `{}`", model.effective_quantization))
                        .primary(p.loc, "quantizes the checkpoint again")
                        .secondary(model.id.loc, format!("already `{}`-quantized", model.effective_quantization))
                        .help("point `model` at the original (unquantized) checkpoint, or drop the `precision` axis"),
                );
            }
        }
        if let Some(pairs) = &study.precision {
            for p in pairs {
                if p.value.weights == "int8" && p.value.activations == "fp8" {
                    self.emit(
                        Diagnostic::warning("W0107", "`int8/fp8` is experimental")
                            .primary(p.loc, "experimental ModelOpt config")
                            .help("INT8_WEIGHT_FP8_ACT_CFG is a custom config with little validation; compare its accuracy before trusting its speed"),
                    );
                }
            }
            if let (Some(q), Some(first_pair)) = (&study.quant, pairs.first()) {
                for point in q {
                    if let (Some(def), false) = (point.gemm.loc, point.gemm.value == "auto") {
                        let loc = if point.preset.is_some() {
                            point.loc
                        } else {
                            def
                        };
                        self.emit(
                            Diagnostic::warning("W0108", format!("`gemm = {}` has no effect with a precision pair", point.gemm.value))
                                .primary(loc, "ignored where a precision pair is set")
                                .secondary(first_pair.loc, "the weights are quantized offline by this pair")
                                .help("the checkpoint's weights are already quantized; the GEMM dtype follows them"),
                        );
                        break;
                    }
                }
            }
        }
        if let (Some(model), Some(q)) = (quantized, &study.quant) {
            for point in q {
                if point.gemm.value == "fp8" {
                    let loc = if point.preset.is_some() {
                        point.loc
                    } else {
                        point.gemm.loc.unwrap_or(point.loc)
                    };
                    let mut d = Diagnostic::warning(
                        "W0109",
                        format!(
                            "`gemm = fp8` has no effect on a checkpoint quantized as `{}`",
                            model.effective_quantization
                        ),
                    );
                    if let (Some(preset), Some(def)) = (&point.preset, point.gemm.loc) {
                        d = d.secondary(def, format!("preset `{preset}` sets `gemm = fp8` here"));
                    }
                    self.emit(d
                            .primary(loc, "dynamic FP8 is not applied")
                            .secondary(model.id.loc, format!("already `{}`-quantized", model.effective_quantization))
                            .help("dynamic quantization applies to unquantized weights; the engine serves the checkpoint's own format"),
                    );
                    break;
                }
            }
        }
        if let Some(hw) = &study.hardware {
            self.hardware_checks(study, hw);
        }
    }

    fn hardware_checks(&mut self, study: &Study, hw: &Hardware) {
        let Some(gpu) = tune_stdlib::gpu(&hw.catalog_name) else {
            return;
        };
        let max_of = |name: &str| -> Option<(i64, Loc)> {
            study
                .axes
                .iter()
                .find(|a| a.name.value == name)
                .and_then(|a| {
                    a.values
                        .iter()
                        .filter_map(|v| match v.value {
                            Value::Int(i) => Some((i, v.loc)),
                            _ => None,
                        })
                        .max_by_key(|(i, _)| *i)
                })
        };
        let tp = max_of("tp");
        let pp = max_of("pp");
        // Data-parallel replicas each take a whole tp × pp layout (vLLM, SGLang).
        let dp = max_of("dp").filter(|d| d.0 > 1);
        let need = tp.map(|t| t.0).unwrap_or(1)
            * pp.map(|p| p.0).unwrap_or(1)
            * dp.map(|d| d.0).unwrap_or(1);
        if need > hw.count.value as i64 {
            let primary = tp.or(pp).or(dp).map(|x| x.1).unwrap_or(hw.loc);
            let layout = if dp.is_some() {
                "tp * pp * dp"
            } else {
                "tp * pp"
            };
            let mut d = Diagnostic::error(
                "E0220",
                format!(
                    "`{layout}` = {need} needs more GPUs than `hardware` gives ({})",
                    hw.count.value
                ),
            )
            .primary(primary, format!("needs {need} GPUs"))
            .secondary(
                hw.count.loc,
                format!(
                    "{} GPU{}",
                    hw.count.value,
                    if hw.count.value == 1 { "" } else { "s" }
                ),
            );
            for (axis, what) in [
                (tp, "tensor parallel"),
                (pp, "pipeline parallel"),
                (dp, "data parallel"),
            ] {
                if let Some(a) = axis.filter(|a| a.1 != primary) {
                    d = d.secondary(a.1, what);
                }
            }
            self.emit(d.help(format!(
                "use `hardware {} x {need}`, or sweep smaller layouts",
                hw.catalog_name
            )));
        }
        let is_fp4 = |f: &str| matches!(f, "fp4" | "mxfp4" | "nvfp4" | "w4afp8");
        let is_fp8 = |f: &str| f.starts_with("fp8");
        let check = |this: &mut Self, format: &str, loc: Loc, via: Option<(Loc, String)>| {
            let (lacks, needs) = if is_fp4(format) && !gpu.fp4 && format != "w4afp8" {
                (true, "FP4 needs Blackwell (SM 10.0) or later")
            } else if (is_fp8(format) || format == "w4afp8") && !gpu.fp8 {
                (true, "FP8 needs SM 8.9 (Ada, Hopper) or later")
            } else {
                (false, "")
            };
            if lacks {
                let mut d = Diagnostic::error(
                    "E0221",
                    format!("{} (SM {}) cannot run `{format}`", gpu.name, gpu.sm),
                )
                .primary(loc, format!("not supported on {}", gpu.name))
                .secondary(
                    hw.gpu.loc,
                    format!("{} is {} (SM {})", gpu.name, gpu.arch, gpu.sm),
                );
                if let Some((at, what)) = via {
                    d = d.secondary(at, what);
                }
                this.emit(d.help(format!(
                    "{needs}; remove this value or choose a GPU that has it"
                )));
                true
            } else {
                false
            }
        };
        if let Some(pairs) = &study.precision {
            for p in pairs {
                let w = &p.value.weights;
                if !check(self, w, p.loc, None) {
                    check(self, &p.value.activations, p.loc, None);
                }
            }
        }
        if let Some(q) = &study.quant {
            let mut seen = HashSet::new();
            for point in q {
                for (name, f) in point.fields() {
                    // MXFP4 MoE experts are weight-only: engines dequantize them on
                    // Hopper (gpt-oss on H100), so only Blackwell-only formats count.
                    if name == "moe" && f.value == "mxfp4" && gpu.fp8 {
                        continue;
                    }
                    // A preset's value is reported where the user named the preset.
                    let (loc, via) = match (&point.preset, f.loc) {
                        (Some(preset), Some(def)) => (
                            point.loc,
                            Some((
                                def,
                                format!("preset `{preset}` sets `{name} = {}` here", f.value),
                            )),
                        ),
                        _ => (f.loc.unwrap_or(point.loc), None),
                    };
                    if seen.insert((f.value.clone(), loc)) {
                        check(self, &f.value, loc, via);
                    }
                }
            }
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn same_quant(a: &QuantPoint, b: &QuantPoint) -> bool {
    a.fields()
        .iter()
        .zip(b.fields().iter())
        .all(|((_, x), (_, y))| x.value == y.value)
}

/// The name shown for a file: lexically normalized (`a/./b/../c` is `a/c`).
fn display_name(path: &Path) -> String {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.display().to_string()
}

/// What `quantization = detect` finds: from the name's parts, then (for a local
/// path) from `config.json`.
fn detect_quantization(
    id: &str,
    from_file: Option<&Path>,
    base_dir: &Path,
) -> Option<(String, &'static str)> {
    let lower = id.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split(['-', '_', '.', '/']).collect();
    let table: &[(&str, &str)] = &[
        ("awq", "awq"),
        ("gptq", "gptq"),
        ("gguf", "gguf"),
        ("nvfp4", "nvfp4"),
        ("mxfp4", "mxfp4"),
        ("fp8", "fp8"),
        ("bnb", "bitsandbytes"),
        ("bitsandbytes", "bitsandbytes"),
    ];
    for (part, q) in table {
        if parts.contains(part) {
            return Some((q.to_string(), "name"));
        }
    }
    let is_local = id.starts_with('/') || id.starts_with("./") || id.starts_with("../");
    if is_local {
        let dir = from_file.and_then(Path::parent).unwrap_or(base_dir);
        let config = dir.join(id).join("config.json");
        let text = std::fs::read_to_string(config).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let method = json
            .get("quantization_config")?
            .get("quant_method")?
            .as_str()?
            .to_ascii_lowercase();
        let q = match method.as_str() {
            "awq" | "gptq" | "fp8" | "gguf" | "bitsandbytes" | "mxfp4" | "nvfp4" => method.clone(),
            // ModelOpt checkpoints name their algorithm separately (`FP8`, `NVFP4`).
            "modelopt" => json["quantization_config"]
                .get("quant_algo")
                .and_then(|a| a.as_str())
                .map(|a| a.to_ascii_lowercase())
                .filter(|a| MODEL_QUANT.contains(&a.as_str()))
                .unwrap_or_else(|| "modelopt".into()),
            other => other.to_string(),
        };
        return Some((q, "config.json"));
    }
    None
}
