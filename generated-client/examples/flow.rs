//! The Customer/Auth flow against a server:
//! register → login → access token → switch account → reset account.
//!
//! ```sh
//! cargo run -p generated-client --example flow -- http://127.0.0.1:4010 [companyId] [loginName] [password-md5]
//! ```

use generated_client::types::{LoginBody, RegisterBody};
use generated_client::{Client, Error};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(base_url) = args.first() else {
        eprintln!("usage: flow <base-url> [companyId] [loginName] [password-md5]");
        std::process::exit(2);
    };
    let company = args.get(1).map_or("360", String::as_str);
    let login_name = args.get(2).map_or("22@qq.com", String::as_str);
    let password = args
        .get(3)
        .map_or("dc483e80a7a0bd9ef71d8cf973673924", String::as_str);
    if let Err(e) = run(base_url, company, login_name, password).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(base_url: &str, company: &str, login_name: &str, password: &str) -> Result<(), Error> {
    let client = Client::new(base_url)?
        .with_company_id(company)
        .with_lang("en-US");

    let registered = client
        .register(
            "127.0.0.1",
            // country, login name, register source, send token, type,
            // verification code; then the optional password.
            RegisterBody::new("CN", login_name, 1, "ticket", 1, "123456").pwd(password),
        )
        .await?;
    println!("registered: customer {:?}", registered.customer_no);

    let customer = client
        // device, third party or not, login name, type; then the password.
        .login(LoginBody::new(1, false, login_name, 1).login_pwd(password))
        .await?;
    println!("logged in: customer {:?}", customer.customer_no);
    client.set_token(customer.token.clone());

    let access_token = client.get_access_token().await?;
    println!("access token: {} characters", access_token.len());
    println!("switch account: {}", client.switch_account().await?);
    println!("reset account: {}", client.reset_account().await?);
    Ok(())
}
