//! Conformance program for the client generated from Stripe's description:
//! every call below goes through the generated client to our validating
//! Stripe server on loopback (`cargo xtask conformance stripe`), which
//! parses queries and form bodies with `qs` and validates them with `ajv`.
//! Awkward values on purpose: ids that need percent-encoding, search
//! queries full of `:"'&+`, form bodies with optional fields, enums,
//! booleans and integers, list pagination by `starting_after`, a binary
//! download, documented errors (Stripe's `default` error object).

mod harness;

use harness::{Op, Outcome};
use stripe_client::types;
use stripe_client::{Client, Error};

/// An id that only arrives intact if percent-encoded.
const ID: &str = "cus_ü ?#%/1";

fn outcome<T: std::fmt::Debug>(result: Result<T, Error>) -> Outcome {
    match result {
        Ok(value) => Outcome::Decoded(harness::summary(&value)),
        Err(Error::Response { status, body }) => {
            let variant = format!("{body:?}");
            let variant = variant.split('(').next().unwrap_or_default().to_owned();
            Outcome::TypedError(status, format!("ErrorBody::{variant}"))
        }
        Err(e) => Outcome::Failed(e.status(), e.to_string()),
    }
}

fn ops(c: &Client) -> Vec<Op<'_>> {
    let mut ops = Vec::new();
    // customers
    op!(ops, "GetCustomers", "list: limit, email with `+` and `&`", c
        .get_customers()
        .limit(3)
        .email("jenny+test&co@example.com"));
    op!(ops, "GetCustomers", "pagination: every page by starting_after", stream c
        .get_customers()
        .limit(2));
    op!(ops, "GetCustomers", "deepObject query: created[gt]=…&created[lte]=…; expand[0]=…", c
        .get_customers()
        .created(types::GetCustomersCreated::RangeQuerySpecs(Box::new(
            types::GetAccountsCreatedRangeQuerySpecs::new()
                .gt(1_700_000_000)
                .lte(1_800_000_000),
        )))
        .expand(vec!["data.default_source".into(), "data.tax".into()])
        .limit(2));
    op!(ops, "PostCustomers", "nested form body: metadata[key]=…, address[city]=…, preferred_locales (2 items), expand[0]=… (deepObject encoding, one item)", c
        .post_customers()
        .body(types::PostCustomersBody::new()
            .email("jenny@example.com")
            .metadata(types::PostAccountsBodyMetadata::StringMap(
                [
                    ("order id".to_owned(), "#42 & more".to_owned()),
                    ("ünï".to_owned(), "= [x]".to_owned()),
                ]
                .into_iter()
                .collect(),
            ))
            .address(types::PostCustomersBodyAddress::OptionalFieldsAddress(Box::new(
                types::PostCustomersBodyAddressOptionalFieldsAddress::new()
                    .city("Zürich")
                    .line1("Bahnhofstrasse 1")
                    .country("CH"),
            )))
            .preferred_locales(vec!["de-CH".into(), "en".into()])
            // A one-item list: the body's `encoding` says `deepObject`, so it
            // goes as `expand[0]=tax` (repeated keys would reach a `qs`
            // parser as a string).
            .expand(vec!["tax".into()])));
    op!(ops, "PostSubscriptions", "nested form body: items[0][price]=…, items[1][quantity]=…, metadata", c
        .post_subscriptions(types::PostSubscriptionsBody::new("cus_1").items(vec![
            types::PostCustomersCustomerSubscriptionsBodyItemsItem::new().price("price_1"),
            types::PostCustomersCustomerSubscriptionsBodyItemsItem::new()
                .price("price_2")
                .quantity(3)
                .metadata([("k".to_owned(), "v".to_owned())].into_iter().collect()),
        ])));
    op!(ops, "PostFiles", "multipart/form-data upload: file part, purpose, nested file_link_data", c
        .post_files(
            types::PostFilesBody::new(
                "%PDF-1.4 binary-ish \u{0} content",
                types::PostFilesBodyPurpose::DisputeEvidence,
            )
            .file_link_data(types::PostFilesBodyFileLinkData::new(true).expires_at(1_900_000_000)),
        ));
    op!(ops, "GetCustomersCustomer", "id needing percent-encoding; expand array", c
        .get_customers_customer(ID)
        .expand(vec!["default_source".into()]));
    op!(ops, "PostCustomers", "form body: optional strings and integers", c
        .post_customers()
        .body(types::PostCustomersBody::new()
            .email("jenny+test@example.com")
            .name("Jenny Rosen & Co")
            .description("ünïcödé = ok?")
            .balance(-150)
            .phone("+1 555 0100")));
    op!(ops, "PostCustomersCustomer", "form body: update", c
        .post_customers_customer(ID)
        .body(types::PostCustomersCustomerBody::new().description("updated")));
    op!(ops, "DeleteCustomersCustomer", "DELETE", c.delete_customers_customer(ID));
    op!(ops, "GetCustomersSearch", "search query with quotes, colons, `&`", c
        .get_customers_search("email:'jenny+1@example.com' AND metadata['a&b']:\"x y\"")
        .limit(5));
    op!(ops, "GetCustomersCustomerBalanceTransactions", "pagination: every page", stream c
        .get_customers_customer_balance_transactions(ID)
        .limit(2));
    op!(ops, "PostCustomersCustomerBalanceTransactions", "form body: required integer and string", c
        .post_customers_customer_balance_transactions(
            ID,
            types::PostCustomersCustomerBalanceTransactionsBody::new(1000, "usd").description("credit"),
        ));
    op!(ops, "PostCustomersCustomerTaxIds", "form body: required enum", c
        .post_customers_customer_tax_ids(
            ID,
            types::PostCustomersCustomerTaxIdsBody::new(
                types::PostCustomersCustomerTaxIdsBodyType::EuVat,
                "DE123456789",
            ),
        ));
    op!(ops, "GetCustomersCustomerTaxIds", "list", c.get_customers_customer_tax_ids(ID).limit(1));
    op!(ops, "DeleteCustomersCustomerTaxIdsId", "two path ids", c
        .delete_customers_customer_tax_ids_id(ID, "txi_1/2"));
    op!(ops, "GetCustomersCustomerCashBalance", "object response", c
        .get_customers_customer_cash_balance(ID));
    // products and prices
    op!(ops, "GetProducts", "boolean query", c.get_products().active(true).limit(3));
    op!(ops, "PostProducts", "form body: required name, booleans", c.post_products(
        types::PostProductsBody::new("Gold plan (monthly)")
            .active(true)
            .shippable(false)
            .description("a + b = c")
    ));
    op!(ops, "GetProductsId", "path id", c.get_products_id("prod_ü"));
    op!(ops, "DeleteProductsId", "DELETE", c.delete_products_id("prod_1"));
    op!(ops, "GetProductsSearch", "search query", c.get_products_search("active:'true'"));
    op!(ops, "GetPrices", "enum query", c
        .get_prices()
        .type_(types::GetPricesType::Recurring)
        .currency("usd"));
    op!(ops, "PostPrices", "form body: required currency, optional product and amount", c.post_prices(
        types::PostPricesBody::new("usd")
            .unit_amount(2000)
            .product("prod_1")
            .nickname("Standard")
    ));
    op!(ops, "GetPricesPrice", "path id", c.get_prices_price("price_1"));
    // charges and payment intents
    op!(ops, "GetCharges", "pagination: every page", stream c.get_charges().limit(2));
    op!(ops, "GetChargesCharge", "path id", c.get_charges_charge("ch_1"));
    op!(ops, "PostChargesChargeCapture", "POST without a body", c.post_charges_charge_capture("ch_1"));
    op!(ops, "PostPaymentIntents", "form body: required amount and currency, enum, bool", c
        .post_payment_intents(
            types::PostPaymentIntentsBody::new(2000, "eur")
                .confirm(false)
                .capture_method(types::PaymentIntentCaptureMethod::Manual)
                .description("Order #1 & #2"),
        ));
    op!(ops, "GetPaymentIntents", "list", c.get_payment_intents().limit(2));
    op!(ops, "GetPaymentIntentsIntent", "path id", c.get_payment_intents_intent("pi_1"));
    op!(ops, "PostPaymentIntentsIntentCancel", "POST, optional body absent", c
        .post_payment_intents_intent_cancel("pi_1"));
    // invoices, subscriptions, quotes
    op!(ops, "GetInvoices", "pagination: every page; enum query", stream c
        .get_invoices()
        .status(types::GetInvoicesStatus::Open)
        .limit(2));
    op!(ops, "GetInvoicesInvoice", "path id", c.get_invoices_invoice("in_1"));
    op!(ops, "PostInvoicesInvoiceFinalize", "POST without a body", c
        .post_invoices_invoice_finalize("in_1"));
    op!(ops, "DeleteInvoicesInvoice", "DELETE", c.delete_invoices_invoice("in_1"));
    op!(ops, "GetSubscriptions", "list", c.get_subscriptions().limit(2));
    op!(ops, "GetSubscriptionsSubscriptionExposedId", "path id", c
        .get_subscriptions_subscription_exposed_id("sub_1"));
    op!(ops, "GetQuotes", "list", c.get_quotes().limit(2));
    op!(ops, "GetQuotesQuotePdf", "binary download (application/pdf)", c.get_quotes_quote_pdf("qt_1"));
    // balance, events, files, checkout
    op!(ops, "GetBalance", "object response", c.get_balance());
    op!(ops, "GetBalanceTransactions", "list", c.get_balance_transactions().limit(2));
    op!(ops, "GetEvents", "list: type filter with `.` and `*`", c
        .get_events()
        .type_("customer.*")
        .limit(2));
    op!(ops, "GetEventsId", "path id", c.get_events_id("evt_1"));
    op!(ops, "GetFiles", "list", c.get_files().limit(2));
    op!(ops, "GetFilesFile", "path id", c.get_files_file("file_1"));
    op!(ops, "GetCheckoutSessions", "list", c.get_checkout_sessions().limit(2));
    ops
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = harness::Args::parse();
    let http = harness::http_client();
    let client = Client::with_http_client(&args.base, http.clone())
        .expect("base url")
        .with_bearer_auth("sk_test_conformance");
    let ops = ops(&client);
    harness::Harness::new(args, http).run(&ops).await;
}
