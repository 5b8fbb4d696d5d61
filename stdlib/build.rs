// The stdlib's data files are embedded with include_dir; rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=engines");
    println!("cargo:rerun-if-changed=precision.toml");
    println!("cargo:rerun-if-changed=gpus.toml");
    println!("cargo:rerun-if-changed=presets.tune");
}
