//! The plan as JSON (`tune plan --format json`, `DIR/plan.json`).

use crate::model::{Experiment, Origin, Plan, SourcePoint, YamlSetting};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};
use tune_check::{render, Checked, Loc};

/// The whole plan with the check's diagnostics, as a value (for tests and small
/// plans; [`write_plan_json`] streams it).
pub fn plan_json(plan: &Plan, checked: &Checked) -> Value {
    serde_json::to_value(PlanJson { plan, checked }).expect("the plan serializes")
}

/// Writes the plan as pretty JSON, one experiment at a time, so that a plan of
/// 10,000 experiments never exists twice in memory.
pub fn write_plan_json(
    w: impl std::io::Write,
    plan: &Plan,
    checked: &Checked,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(w, &PlanJson { plan, checked })
}

struct PlanJson<'a> {
    plan: &'a Plan,
    checked: &'a Checked,
}

struct Experiments<'a>(&'a Plan, &'a Checked);

impl Serialize for Experiments<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.0
                .experiments
                .iter()
                .map(|e| experiment(e, self.0, self.1)),
        )
    }
}

impl Serialize for PlanJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (plan, checked) = (self.plan, self.checked);
        let file = study_name(checked);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("study", &file)?;
        m.serialize_entry("points", &plan.points)?;
        m.serialize_entry("candidates", &plan.candidates)?;
        m.serialize_entry("strategy", &plan.strategy)?;
        m.serialize_entry("seed", &plan.seed)?;
        m.serialize_entry(
            "load_levels",
            &plan.load_levels.iter().map(load_level).collect::<Vec<_>>(),
        )?;
        m.serialize_entry("experiments", &Experiments(plan, checked))?;
        m.serialize_entry(
            "dropped",
            &plan
                .dropped
                .iter()
                .map(|d| {
                    json!({
                        "engine": d.engine,
                        "version": d.version,
                        "point": point(&d.point),
                        "reason": d.reason,
                    })
                })
                .collect::<Vec<_>>(),
        )?;
        m.serialize_entry("mappings", &plan.mappings)?;
        m.serialize_entry(
            "diagnostics",
            &checked
                .diagnostics
                .iter()
                .map(|d| render::json_value(d, &checked.sources))
                .collect::<Vec<_>>(),
        )?;
        m.end()
    }
}

fn load_level(l: &crate::model::LoadLevel) -> Value {
    let mut m = Map::new();
    m.insert("traffic".into(), l.traffic.clone().into());
    if let Some(c) = l.concurrency {
        m.insert("concurrency".into(), c.into());
    }
    if let Some(r) = l.rate {
        m.insert("rate".into(), r.into());
    }
    Value::Object(m)
}

fn point(p: &SourcePoint) -> Value {
    let mut m = Map::new();
    for (axis, value) in &p.settings {
        m.insert(axis.clone(), value.clone().into());
    }
    Value::Object(m)
}

/// An origin as JSON: what set it, and where (file, line, column).
pub fn origin(o: &Origin, checked: &Checked) -> Value {
    let mut m = Map::new();
    m.insert("from".into(), o.what.clone().into());
    if let Some(loc) = o.loc {
        let (file, line, column) = position(loc, checked);
        m.insert("file".into(), file.into());
        m.insert("line".into(), line.into());
        m.insert("column".into(), column.into());
    }
    if let Some(mapping) = &o.mapping {
        m.insert("mapping".into(), mapping.clone().into());
    }
    Value::Object(m)
}

/// The study's name: its root file as given.
pub fn study_name(checked: &Checked) -> &str {
    checked
        .sources
        .iter()
        .next()
        .map(|(_, s)| s.name.as_str())
        .unwrap_or("study")
}

/// File name, 1-based line and column (in characters) of a place.
pub fn position(loc: Loc, checked: &Checked) -> (String, usize, usize) {
    let s = checked.sources.get(loc.file);
    let (line, column) = s.line_column(loc.span.start);
    (s.name.clone(), line, column)
}

/// The YAML options as a nested object (`kv_cache_config.dtype` →
/// `{"kv_cache_config": {"dtype": ...}}`).
pub fn yaml_tree(settings: &[YamlSetting]) -> Value {
    let mut root = Map::new();
    for s in settings {
        let mut node = &mut root;
        let parts: Vec<&str> = s.key.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            let entry = node
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            node = entry.as_object_mut().expect("just made an object");
        }
        node.insert(parts[parts.len() - 1].to_string(), s.value.clone());
    }
    Value::Object(root)
}

fn experiment(e: &Experiment, plan: &Plan, checked: &Checked) -> Value {
    let mut index = e.entrypoint.len();
    let provenance: Vec<Value> = e
        .args
        .iter()
        .map(|a| {
            let at = index;
            index += a.flag.iter().count() + a.values.len();
            json!({
                "argv_index": at,
                "arg": a.flag,
                "values": a.values,
                "origins": a.origins.iter().map(|o| origin(o, checked)).collect::<Vec<_>>(),
                "overrides": a.overrides.iter().map(|o| origin(o, checked)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let yaml_provenance: Vec<Value> = e
        .yaml
        .iter()
        .map(|y| {
            json!({
                "key": y.key,
                "value": y.value,
                "origins": y.origins.iter().map(|o| origin(o, checked)).collect::<Vec<_>>(),
                "overrides": y.overrides.iter().map(|o| origin(o, checked)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": e.id,
        "engine": e.engine,
        "version": e.version,
        "image": e.image,
        "entrypoint": e.entrypoint,
        "argv": e.argv,
        "env": e.env,
        "port": e.port,
        "health": e.health,
        "options_file": e.yaml_file.as_ref().map(|f| json!({
            "path": f,
            "content": yaml_tree(&e.yaml),
            "provenance": yaml_provenance,
        })),
        "quantize": e.quantize.as_ref().map(|q| json!({
            "pair": q.pair,
            "modelopt_config": q.modelopt,
            "builtin": q.builtin,
            "status": q.status,
            "config": q.config,
            "export": q.export,
            "model": q.model,
            "revision": q.revision,
            "output": q.output,
            "origin": origin(&q.origin, checked),
        })),
        "sources": e.sources.iter().map(point).collect::<Vec<_>>(),
        "load_levels": plan.load_levels.iter().map(load_level).collect::<Vec<_>>(),
        "provenance": provenance,
    })
}
