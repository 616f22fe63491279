//! The overlay's changes are in the client built by `build.rs`.

use build_script_example::types::Repository;
use build_script_example::{Client, Error};

#[test]
fn overlay_changes_are_in_the_client() -> Result<(), Error> {
    let client = Client::new("http://127.0.0.1:9")?;
    // `GetCustomers` renamed by the overlay.
    let _request = client.list_customers().limit(10);
    // A field the overlay added, nullable (`Repository` is a response type:
    // decoded, not built).
    let repo: Repository =
        serde_json::from_str(r#"{"id": 1, "name": "generator", "description": null}"#)
            .expect("a repository");
    assert_eq!(repo.description, None::<String>);
    Ok(())
}
