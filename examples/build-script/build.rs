//! Generates the client into `$OUT_DIR/client.rs` from the paging example's
//! spec and this crate's overlay; cargo reruns it when one of them changes.

fn main() {
    generator::Builder::new()
        .spec("../paging.yaml")
        .overlay("overlay.yaml")
        .build_script();
}
