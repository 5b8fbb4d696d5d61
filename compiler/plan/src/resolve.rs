//! Putting one point's contributions together (spec §3.7 priority, §5 step 2):
//! agreeing settings merge, `args` win, disagreeing derived settings make the
//! point impossible.

use crate::contrib::{Causes, Contrib, Target, PRIORITY_DERIVED};
use crate::model::Origin;
use std::collections::{HashMap, HashSet};
use tune_check::{Diagnostic, Loc};
use tune_stdlib::EngineVersion;

/// One argument of a point, as the contributions resolve it.
pub(crate) struct Entry {
    pub target: Target,
    pub origins: Vec<Origin>,
    pub overrides: Vec<Origin>,
    pub priority: u8,
    pub alive: bool,
}

/// Puts a point's contributions together: agreeing settings merge, `args` win
/// over derived flags (a note shows both), and derived settings that need one
/// flag with different values make the point impossible.
pub(crate) fn resolve<'c>(
    contribs: impl Iterator<Item = &'c Contrib>,
    ev: &EngineVersion,
    causes: &mut Causes,
    diags: &mut Vec<Diagnostic>,
    noted: &mut HashSet<(Loc, Option<Loc>)>,
) -> Result<Vec<Entry>, usize> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_identity: HashMap<String, usize> = HashMap::new();
    for c in contribs {
        let identity = c.target.identity();
        let Some(&i) = by_identity.get(&identity) else {
            by_identity.insert(identity, entries.len());
            entries.push(Entry {
                target: c.target.clone(),
                origins: vec![c.origin.clone()],
                overrides: vec![],
                priority: c.priority,
                alive: true,
            });
            continue;
        };
        let existing = &mut entries[i];
        if existing.priority == c.priority && c.priority == PRIORITY_DERIVED {
            if same_target(&existing.target, &c.target) {
                existing.origins.push(c.origin.clone());
                continue;
            }
            let first = &existing.origins[0];
            let reason = format!(
                "{} and {} need different values of one setting on {} (`{}` and `{}`)",
                first.what,
                c.origin.what,
                ev.label(),
                existing.target.describe(),
                c.target.describe()
            );
            let mut d = Diagnostic::warning("E0301", reason.clone());
            if let Some(l) = c.origin.loc {
                d = d.primary(l, "this setting");
            }
            if let Some(l) = first.loc {
                d = d.secondary(l, "conflicts with this one");
            }
            return Err(causes.add(&ev.label(), reason, d));
        }
        // The higher priority wins; the other is recorded as overridden.
        let (winner, loser_origins, loser_target) = if c.priority >= existing.priority {
            (c.clone(), existing.origins.clone(), existing.target.clone())
        } else {
            existing.overrides.push(c.origin.clone());
            continue;
        };
        if let Some(wl) = winner.origin.loc {
            let ll = loser_origins.first().and_then(|o| o.loc);
            if noted.insert((wl, ll)) {
                let mut d = Diagnostic::note(
                    "N0302",
                    format!(
                        "{} overrides {} on {}",
                        winner.origin.what,
                        loser_origins[0].what,
                        ev.label()
                    ),
                )
                .primary(wl, format!("`{}` wins", winner.target.describe()));
                if let Some(ll) = ll {
                    d = d.secondary(ll, format!("would give `{}`", loser_target.describe()));
                }
                diags.push(d);
            }
        }
        existing.alive = false;
        by_identity.insert(winner.target.identity(), entries.len());
        entries.push(Entry {
            target: winner.target,
            origins: vec![winner.origin],
            overrides: loser_origins,
            priority: winner.priority,
            alive: true,
        });
    }
    entries.retain(|e| e.alive && !matches!(e.target, Target::Omit { .. }));
    Ok(entries)
}

fn same_target(a: &Target, b: &Target) -> bool {
    match (a, b) {
        (
            Target::Flag {
                flag: fa,
                values: va,
                ..
            },
            Target::Flag {
                flag: fb,
                values: vb,
                ..
            },
        ) => fa == fb && va == vb,
        (Target::Yaml { key: ka, value: va }, Target::Yaml { key: kb, value: vb }) => {
            ka == kb && va == vb
        }
        (Target::Omit { .. }, Target::Omit { .. }) => true,
        _ => false,
    }
}
