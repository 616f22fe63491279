//! Every example request and response of the Customer/Auth reference pages
//! (seed `000_…`) decodes into the generated types. The login response is a
//! real captured response: `accountList` is an array where the schema says
//! object, and many fields are `null` where it says string or integer.

use generated_client::types::{Envelope, LoginBody, LoginData, RegisterBody, RegisterData};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Requests survive decode + encode unchanged: nothing is lost or invented.
fn round_trips<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str) {
    let original = fixture(name);
    let typed: T = decode(name);
    let encoded = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(encoded, original, "{name} changed in a round trip");
}

#[test]
fn login_request_round_trips() {
    round_trips::<LoginBody>("login_request");
    let body: LoginBody = decode("login_request");
    assert_eq!(body.type_, 2);
    assert_eq!(body.login_name, "13429837442");
    assert!(!body.is_third);
}

#[test]
fn register_request_round_trips() {
    round_trips::<RegisterBody>("register_request");
    let body: RegisterBody = decode("register_request");
    assert_eq!(
        body.trade_type_currency_list.as_ref().map(Vec::len),
        Some(1)
    );
}

#[test]
fn captured_login_response_decodes() {
    let envelope: Envelope<LoginData> = decode("login_response");
    assert!(envelope.is_success());
    assert_eq!(envelope.code.as_deref(), Some("0"));
    assert_eq!(envelope.msg_params, None);
    let data = envelope.data.expect("login data");
    assert_eq!(data.id, Some(1176));
    assert_eq!(data.customer_no.as_deref(), Some("86001175"));
    assert_eq!(
        data.token.as_deref(),
        Some("a541f9d5-2507-42b3-b790-59e1f755c380app")
    );
    // `null` where the schema says string or integer.
    assert_eq!(data.last_name, None);
    assert_eq!(data.activate_status, None);
    // An array where the schema says (empty) object.
    let accounts = data.account_list.expect("accountList");
    assert_eq!(accounts[0]["accountId"], 1031717);
}

#[test]
fn register_response_decodes() {
    let envelope: Envelope<RegisterData> = decode("register_response");
    // The reference page shows placeholder values, not a success.
    assert!(!envelope.is_success());
    let data = envelope.data.expect("register data");
    let kyc = data.list.expect("list");
    assert_eq!(kyc[0].element_list.as_ref().map(Vec::len), Some(1));
}

#[test]
fn access_token_response_decodes() {
    let envelope: Envelope<String> = decode("get_access_token_response");
    assert!(envelope.is_success());
    assert_eq!(
        envelope.data.as_deref(),
        Some("qfx13-8z5850-mf4l657-gkqbn-167756399")
    );
}

#[test]
fn empty_bodies_are_what_the_client_sends() {
    // These operations take no body argument: the client always sends `{}`.
    for name in [
        "switch_account_request",
        "reset_account_request",
        "get_access_token_request",
    ] {
        assert_eq!(fixture(name), serde_json::json!({}), "{name}");
    }
    for name in ["switch_account_response", "reset_account_response"] {
        assert_eq!(fixture(name), serde_json::json!({}), "{name}");
    }
}

#[test]
fn secrets_do_not_show_in_debug() {
    let body: LoginBody = decode("login_request");
    let shown = format!("{body:?}");
    assert!(
        !shown.contains("dc483e80a7a0bd9ef71d8cf973673924"),
        "{shown}"
    );
    assert!(shown.contains("13429837442"), "{shown}");
    let envelope: Envelope<LoginData> = decode("login_response");
    let shown = format!("{envelope:?}");
    for secret in [
        "a541f9d5-2507-42b3-b790-59e1f755c380app",
        "291e08e4e0af86b3d8af85f2947a02125a1c1746db58b303b06cc1aba389f4cd",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
