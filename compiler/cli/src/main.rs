//! `tune`: check studies, explain diagnostics, list what the stdlib knows.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use tune_check::render::{self, Style};
use tune_check::{codes, Checked, Severity};

#[derive(Parser)]
#[command(
    name = "tune",
    version,
    about = "Tuning studies for LLM inference engines"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check .tune files and print their diagnostics.
    Check {
        /// The files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Treat a class of diagnostics as errors (`warnings`).
        #[arg(long, value_enum)]
        deny: Vec<Deny>,
    },
    /// Check a study and print its plan: every experiment's exact command.
    Plan {
        /// The study.
        file: PathBuf,
        /// How to print the plan.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// Also print where every argument came from.
        #[arg(long, value_enum)]
        show: Vec<Show>,
        /// Treat a class of diagnostics as errors (`warnings`).
        #[arg(long, value_enum)]
        deny: Vec<Deny>,
    },
    /// List the engines and versions the stdlib knows.
    Engines {
        #[arg(long, value_enum, default_value_t = EnginesFormat::Table)]
        format: EnginesFormat,
    },
    /// Print the long explanation of a diagnostic code.
    Explain {
        /// A code such as E0201.
        #[arg(required_unless_present = "all")]
        code: Option<String>,
        /// Print every code as Markdown (this is docs/diagnostics.md).
        #[arg(long, conflicts_with = "code")]
        all: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MessageFormat {
    /// Graphical reports; colour only on a terminal without NO_COLOR.
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum PlanFormat {
    /// One row per experiment with its full command.
    Table,
    /// Markdown, for review.
    Md,
    /// The plan as JSON, with its diagnostics.
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Show {
    /// For every argument, the line of the study it came from.
    Provenance,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum EnginesFormat {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            message_format,
            deny,
        } => check(&files, message_format, !deny.is_empty()),
        Command::Plan {
            file,
            format,
            show,
            deny,
        } => plan(
            &file,
            format,
            show.contains(&Show::Provenance),
            !deny.is_empty(),
        ),
        Command::Engines { format } => engines(format),
        Command::Explain { code, all } => explain(code.as_deref(), all),
    }
}

fn style() -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if !no_color && std::io::stdout().is_terminal() && std::io::stderr().is_terminal() {
        Style::Colored
    } else {
        Style::Plain
    }
}

fn check(files: &[PathBuf], format: MessageFormat, deny_warnings: bool) -> ExitCode {
    let style = style();
    let mut errors = 0;
    let mut warnings = 0;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    for path in files {
        let mut checked: Checked = tune_check::check_path(path);
        tune_plan::check_engines(&mut checked);
        if deny_warnings {
            checked.deny_warnings();
        }
        errors += checked.count(Severity::Error);
        warnings += checked.count(Severity::Warning);
        for d in &checked.diagnostics {
            match format {
                MessageFormat::Json => {
                    let _ = writeln!(stdout.lock(), "{}", json_line(d, &checked));
                }
                MessageFormat::Human => {
                    let text = if d.labels.is_empty() {
                        format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message)
                    } else {
                        render::human(d, &checked.sources, style)
                    };
                    let _ = writeln!(stderr.lock(), "{text}");
                }
            }
        }
    }
    if format == MessageFormat::Human {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let what = if files.len() == 1 {
            files[0].display().to_string()
        } else {
            plural(files.len(), "file")
        };
        let summary = if errors > 0 {
            let verb = if files.len() == 1 { "has" } else { "have" };
            format!(
                "error: {what} {verb} {} and {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            )
        } else if warnings > 0 {
            format!("checked {what}: no errors, {}", plural(warnings, "warning"))
        } else {
            format!("checked {what}: no errors")
        };
        let _ = writeln!(stderr.lock(), "{summary}");
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn plan(
    path: &std::path::Path,
    format: PlanFormat,
    provenance: bool,
    deny_warnings: bool,
) -> ExitCode {
    let style = style();
    let mut checked = tune_check::check_path(path);
    let mut plan = tune_plan::plan(&mut checked);
    if deny_warnings {
        checked.deny_warnings();
        if checked.has_errors() {
            plan.experiments.clear();
        }
    }
    let errors = checked.count(Severity::Error);
    let stdout = std::io::stdout();
    if format == PlanFormat::Json {
        let mut out = std::io::BufWriter::new(stdout.lock());
        let _ = tune_plan::json::write_plan_json(&mut out, &plan, &checked);
        let _ = writeln!(out);
    } else {
        let stderr = std::io::stderr();
        for d in &checked.diagnostics {
            let text = if d.labels.is_empty() {
                let mut t = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
                for n in &d.notes {
                    t.push_str(&format!("  note: {n}\n"));
                }
                t
            } else {
                render::human(d, &checked.sources, style)
            };
            let _ = writeln!(stderr.lock(), "{text}");
        }
        if errors > 0 {
            let _ = writeln!(
                stderr.lock(),
                "error: {} has {} error{}: no plan",
                path.display(),
                errors,
                if errors == 1 { "" } else { "s" }
            );
        } else {
            let text = match format {
                PlanFormat::Md => tune_plan::text::markdown(&plan, &checked, provenance),
                _ => tune_plan::text::table(&plan, &checked, provenance),
            };
            let _ = write!(stdout.lock(), "{text}");
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn engines(format: EnginesFormat) -> ExitCode {
    let names = tune_stdlib::engine_names();
    match format {
        EnginesFormat::Json => {
            let list: Vec<serde_json::Value> = names
                .iter()
                .map(|e| serde_json::json!({"engine": e, "versions": tune_stdlib::versions_of(e)}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).expect("serializes")
            );
        }
        EnginesFormat::Table => {
            println!(
                "{:<8}  {:<8}  {:<6}  {:<8}  {:<5}  IMAGE",
                "ENGINE", "VERSION", "PORT", "HEALTH", "FLAGS"
            );
            for ev in tune_stdlib::engine_versions() {
                println!(
                    "{:<8}  {:<8}  {:<6}  {:<8}  {:<5}  {}",
                    ev.engine,
                    ev.version,
                    ev.port,
                    ev.health,
                    ev.schema().map(|s| s.flags.len()).unwrap_or(0),
                    ev.image
                );
            }
        }
    }
    ExitCode::SUCCESS
}

fn json_line(d: &tune_check::Diagnostic, checked: &Checked) -> String {
    // A diagnostic about a whole file (one that cannot be read) has no labels.
    render::json(d, &checked.sources)
}

fn explain(code: Option<&str>, all: bool) -> ExitCode {
    if all {
        print!("{}", codes::markdown_reference());
        return ExitCode::SUCCESS;
    }
    let code = code.unwrap_or_default();
    match codes::lookup(code) {
        Some(info) => {
            println!(
                "{} ({}): {}\n",
                info.code,
                info.severity.as_str(),
                info.title
            );
            print!("{}", info.explanation);
            ExitCode::SUCCESS
        }
        None => {
            let known: Vec<&str> = codes::CODES.iter().map(|c| c.code).collect();
            let hint = match tune_syntax_suggest(code, &known) {
                Some(s) => format!(" (did you mean {s}?)"),
                None => String::new(),
            };
            eprintln!("error: no diagnostic has the code `{code}`{hint}; `tune explain --all` lists them all");
            ExitCode::from(2)
        }
    }
}

fn tune_syntax_suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    tune_syntax::suggest::did_you_mean(&word.to_ascii_uppercase(), known.iter().copied())
}
