//! The plan for people: a table for the terminal (`tune plan`) and Markdown
//! (`--format md`, `DIR/plan.md`). Both show every command in full, quoted as a
//! shell would need it, so a person can review what will run.

use crate::json::position;
use crate::model::{Experiment, Origin, Plan, PlannedArg};
use std::collections::BTreeSet;
use std::fmt::Write;
use tune_check::Checked;

/// A command as one shell line, every word quoted where it needs to be.
pub fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            shlex::try_quote(a)
                .map(|q| q.into_owned())
                .unwrap_or_else(|_| format!("{a:?}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The axes whose values differ between experiments: what the table shows.
pub fn varying_axes(plan: &Plan) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for e in &plan.experiments {
        for (axis, _) in &e.sources[0].settings {
            if !order.contains(axis) {
                order.push(axis.clone());
            }
        }
    }
    order
        .into_iter()
        .filter(|axis| {
            let values: BTreeSet<&str> = plan
                .experiments
                .iter()
                .map(|e| e.sources[0].get(axis).unwrap_or("-"))
                .collect();
            values.len() > 1 || axis == "engine"
        })
        .collect()
}

fn summary(plan: &Plan, name: &str) -> String {
    let n = plan.experiments.len();
    let mut s = format!(
        "{name}: {n} experiment{} from {} point{}",
        if n == 1 { "" } else { "s" },
        plan.points,
        if plan.points == 1 { "" } else { "s" }
    );
    if !plan.dropped.is_empty() {
        let _ = write!(s, " ({} dropped)", plan.dropped.len());
    }
    if plan.candidates != n {
        let _ = write!(
            s,
            "; {} search sampled {n} of {} (seed {})",
            plan.strategy,
            plan.candidates,
            plan.seed.unwrap_or(0)
        );
    }
    let levels = plan.load_levels.len();
    if levels > 0 {
        let _ = write!(
            s,
            ", each with {levels} load level{}",
            if levels == 1 { "" } else { "s" }
        );
    }
    s
}

fn load_levels_line(plan: &Plan) -> Option<String> {
    if plan.load_levels.is_empty() {
        return None;
    }
    let mut traffic: Vec<&str> = Vec::new();
    for l in &plan.load_levels {
        if !traffic.contains(&l.traffic.as_str()) {
            traffic.push(&l.traffic);
        }
    }
    let loads: Vec<String> = plan
        .load_levels
        .iter()
        .filter(|l| l.traffic == traffic[0])
        .map(|l| match (l.concurrency, l.rate) {
            (Some(c), _) => format!("concurrency {c}"),
            (_, Some(r)) => format!("{r} req/s"),
            _ => String::new(),
        })
        .collect();
    Some(format!(
        "load levels: traffic {} × {}",
        traffic.join(", "),
        loads.join(", ")
    ))
}

fn origin_text(o: &Origin, checked: &Checked) -> String {
    match o.loc {
        Some(loc) => {
            let (file, line, column) = position(loc, checked);
            format!("{file}:{line}:{column}  {}", o.what)
        }
        None => o.what.clone(),
    }
}

fn arg_words(a: &PlannedArg) -> String {
    let mut words: Vec<String> = a.flag.iter().cloned().collect();
    words.extend(a.values.iter().cloned());
    shell_line(&words)
}

/// `tune plan` (table).
pub fn table(plan: &Plan, checked: &Checked, provenance: bool) -> String {
    let name = crate::json::study_name(checked);
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary(plan, name));
    if let Some(l) = load_levels_line(plan) {
        let _ = writeln!(out, "{l}");
    }
    let axes = varying_axes(plan);
    let cell = |e: &Experiment, axis: &str| -> String {
        let values: BTreeSet<&str> = e
            .sources
            .iter()
            .map(|p| p.get(axis).unwrap_or("-"))
            .collect();
        values.into_iter().collect::<Vec<_>>().join("|")
    };
    let mut widths: Vec<usize> = axes.iter().map(|a| a.chars().count()).collect();
    for e in &plan.experiments {
        for (i, a) in axes.iter().enumerate() {
            widths[i] = widths[i].max(cell(e, a).chars().count());
        }
    }
    let _ = write!(out, "\n{:<12}", "ID");
    for (a, w) in axes.iter().zip(&widths) {
        let _ = write!(out, "  {:<w$}", a.to_uppercase());
    }
    out.push('\n');
    for e in &plan.experiments {
        let _ = write!(out, "{:<12}", e.id);
        for (a, w) in axes.iter().zip(&widths) {
            let _ = write!(out, "  {:<w$}", cell(e, a));
        }
        if e.sources.len() > 1 {
            let _ = write!(out, "  ({} points)", e.sources.len());
        }
        out.push('\n');
        let _ = writeln!(out, "    $ {}", shell_line(&e.argv));
        if let Some(q) = &e.quantize {
            let _ = writeln!(out, "    quantize first: {}", quantize_summary(q, false));
        }
        if e.yaml_file.is_some() {
            let yaml = crate::json::yaml_tree(&e.yaml);
            let _ = writeln!(
                out,
                "    {}: {}",
                e.yaml_file.as_deref().unwrap_or(""),
                yaml
            );
        }
        if provenance {
            provenance_lines(&mut out, e, checked);
        }
    }
    if !plan.dropped.is_empty() {
        let _ = writeln!(out, "\ndropped ({}):", plan.dropped.len());
        for d in &plan.dropped {
            let _ = writeln!(out, "  {}: {}", d.point, d.reason);
        }
    }
    out
}

fn provenance_lines(out: &mut String, e: &Experiment, checked: &Checked) {
    let width = e
        .args
        .iter()
        .map(|a| arg_words(a).chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for a in &e.args {
        let words = arg_words(a);
        for (i, o) in a.origins.iter().enumerate() {
            let shown = if i == 0 { words.as_str() } else { "" };
            let _ = writeln!(out, "      {shown:<width$}  ← {}", origin_text(o, checked));
        }
        for o in &a.overrides {
            let _ = writeln!(
                out,
                "      {:<width$}    overrides {}",
                "",
                origin_text(o, checked)
            );
        }
    }
    for y in &e.yaml {
        for o in &y.origins {
            let _ = writeln!(
                out,
                "      {:<width$}  ← {}",
                format!("{}: {}", y.key, y.value),
                origin_text(o, checked)
            );
        }
    }
}

/// `ModelOpt FP8_DEFAULT_CFG (built-in, stable) on MODEL → OUTPUT`.
fn quantize_summary(q: &crate::model::QuantizeStep, markdown: bool) -> String {
    let code = |s: &str| {
        if markdown {
            format!("`{}`", md_escape(s))
        } else {
            s.to_string()
        }
    };
    format!(
        "ModelOpt {} ({}, {}) on {} → {}",
        code(&q.modelopt),
        if q.builtin {
            "built-in"
        } else {
            "custom config written out in full"
        },
        q.status,
        code(&q.model),
        code(&q.output)
    )
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `tune plan --format md`, and `plan.md` of `tune compile`.
pub fn markdown(plan: &Plan, checked: &Checked, provenance: bool) -> String {
    let name = crate::json::study_name(checked);
    let mut out = format!("# Plan: {}\n\n{}.\n", md_escape(name), summary(plan, name));
    if let Some(l) = load_levels_line(plan) {
        let _ = writeln!(out, "Every experiment runs the {l}.");
    }
    let axes = varying_axes(plan);
    out.push_str("\n| id | ");
    out.push_str(
        &axes
            .iter()
            .map(|a| md_escape(a))
            .collect::<Vec<_>>()
            .join(" | "),
    );
    out.push_str(" | points |\n|---|");
    out.push_str(&"---|".repeat(axes.len() + 1));
    out.push('\n');
    for e in &plan.experiments {
        let _ = write!(out, "| [`{}`](#{}) |", e.id, e.id);
        for a in &axes {
            let values: BTreeSet<&str> =
                e.sources.iter().map(|p| p.get(a).unwrap_or("-")).collect();
            let _ = write!(
                out,
                " {} |",
                md_escape(&values.into_iter().collect::<Vec<_>>().join(", "))
            );
        }
        let _ = writeln!(out, " {} |", e.sources.len());
    }
    for e in &plan.experiments {
        let _ = writeln!(out, "\n## {}\n", e.id);
        let _ = writeln!(
            out,
            "{} {}, image `{}`, port {}, health `{}`.\n",
            e.engine,
            e.version,
            md_escape(&e.image),
            e.port,
            md_escape(&e.health)
        );
        if let Some(q) = &e.quantize {
            let _ = writeln!(out, "Quantize first: {}.\n", quantize_summary(q, true));
        }
        if !e.env.is_empty() {
            out.push_str("Environment:\n\n```sh\n");
            for (k, v) in &e.env {
                let _ = writeln!(out, "{}={}", k, shell_line(std::slice::from_ref(v)));
            }
            out.push_str("```\n\n");
        }
        out.push_str("```sh\n");
        // One argument per line, so that a long command reads as a list.
        let mut line = shell_line(&e.entrypoint);
        for a in &e.args {
            let _ = write!(line, " \\\n  {}", arg_words(a));
        }
        let _ = writeln!(out, "{line}\n```");
        if e.yaml_file.is_some() {
            let _ = writeln!(
                out,
                "\n`{}`:\n\n```json\n{}\n```",
                e.yaml_file.as_deref().unwrap_or(""),
                serde_json::to_string_pretty(&crate::json::yaml_tree(&e.yaml)).unwrap_or_default()
            );
        }
        if provenance {
            out.push_str("\n| argument | from | where |\n|---|---|---|\n");
            for a in &e.args {
                for o in &a.origins {
                    let place = o
                        .loc
                        .map(|l| {
                            let (f, line, col) = position(l, checked);
                            format!("{f}:{line}:{col}")
                        })
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} |",
                        md_escape(&arg_words(a)),
                        md_escape(&o.what),
                        md_escape(&place)
                    );
                }
                for o in &a.overrides {
                    let _ = writeln!(out, "| | overrides {} | |", md_escape(&o.what));
                }
            }
        }
        if e.sources.len() > 1 {
            let _ = writeln!(out, "\nStands for {} points:\n", e.sources.len());
            for p in &e.sources {
                let _ = writeln!(out, "- {}", md_escape(&p.to_string()));
            }
        }
    }
    if !plan.dropped.is_empty() {
        let _ = writeln!(out, "\n## Dropped points\n\n| point | reason |\n|---|---|");
        for d in &plan.dropped {
            let _ = writeln!(
                out,
                "| {} | {} |",
                md_escape(&d.point.to_string()),
                md_escape(&d.reason)
            );
        }
    }
    out
}
