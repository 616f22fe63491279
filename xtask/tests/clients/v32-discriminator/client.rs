//! Runs inside the crate generated from the generator's
//! `fixtures/v32/discriminator.yaml`: a union with a discriminator decodes
//! by the property (mapping values, implicit schema names,
//! `defaultMapping`), and its variants keep the property.

use v32_discriminator_client::Client;
use v32_discriminator_client::types::{GetShapeResponse, Pet};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with 200 and `body`.
async fn serve(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = stream.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        }
    });
    base
}

#[tokio::test]
async fn the_property_picks_the_variant() {
    // `Cat` and `Dog` have the same shape: only the property tells them
    // apart (an untagged union would read every one as the first).
    let body = r#"[
        {"petType": "dog", "name": "Rex"},
        {"petType": "cat", "name": "Tom"},
        {"petType": "kitten", "name": "Kit"},
        {"petType": "Unknown"},
        {"petType": "fish", "name": "Nemo"}
    ]"#;
    let client = Client::new(&serve(body).await).expect("url");
    let pets = client.list_pets().await.expect("decodes");
    assert_eq!(pets.len(), 5);
    assert!(matches!(&pets[0], Pet::Dog(d) if d.name == "Rex" && d.pet_type == "dog"), "{:?}", pets[0]);
    assert!(matches!(&pets[1], Pet::Cat(c) if c.name == "Tom"), "{:?}", pets[1]);
    assert!(matches!(&pets[2], Pet::Cat(c) if c.pet_type == "kitten"), "{:?}", pets[2]);
    // The implicit value (the schema's name), then `defaultMapping`.
    assert!(matches!(&pets[3], Pet::Unknown(_)), "{:?}", pets[3]);
    assert!(matches!(&pets[4], Pet::Unknown(u) if u.pet_type == "fish"), "{:?}", pets[4]);
    // A missing property goes to the default too, which requires it.
    let client = Client::new(&serve(r#"[{"name": "no tag"}]"#).await).expect("url");
    assert!(client.list_pets().await.is_err());
}

#[tokio::test]
async fn implicit_values_are_schema_names() {
    let client = Client::new(&serve(r#"{"kind": "Square", "side": 2}"#).await).expect("url");
    let shape = client.get_shape().await.expect("decodes");
    assert!(matches!(&shape, GetShapeResponse::Square(s) if s.side == 2.0), "{shape:?}");
    // No `defaultMapping`: other values are tried against each variant.
    let client = Client::new(&serve(r#"{"kind": "round", "radius": 1}"#).await).expect("url");
    let shape = client.get_shape().await.expect("decodes");
    assert!(matches!(&shape, GetShapeResponse::Circle(c) if c.radius == 1.0), "{shape:?}");
}

#[tokio::test]
async fn values_are_sent_with_the_property() {
    // `new` takes the required fields in field order (`name`, `pet_type`).
    let dog = v32_discriminator_client::types::Dog::new("Rex", "dog");
    let json = serde_json::to_value(Pet::Dog(Box::new(dog))).expect("serialise");
    assert_eq!(json, serde_json::json!({"petType": "dog", "name": "Rex"}));
}
