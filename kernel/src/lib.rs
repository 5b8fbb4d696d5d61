//! Everything that runs: the executor (local processes, Docker), the benchmark
//! client, results, scoring, plots and the Jupyter kernel. These are built by the
//! issues that follow the language front end; today the crate only re-exports the
//! compiler's session API that the notebook kernel will drive, one cell at a time.

pub use tune_check::{Checked, Session};
