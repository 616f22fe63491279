//! Default crate names from API titles: every title of the dev corpus
//! (`../shared/corpus/dev`), GitHub's, Stripe's and the seed's, with the
//! name a person would give the crate. Reviewed by eye; a change to
//! `naming::crate_name` shows here as a diff.

use std::path::Path;

use generator::naming::crate_name;

/// (title, crate name)
const TABLE: &[(&str, &str)] = &[
    (
        "GitHub's official OpenAPI spec + Octokit extension",
        "github-client",
    ),
    ("Stripe API", "stripe-client"),
    ("Default module", "default-module-client"),
    ("Platform API", "platform-client"),
    ("AGCO API", "agco-client"),
    ("Alerter System API", "alerter-system-client"),
    (
        "Flight Choice Prediction",
        "flight-choice-prediction-client",
    ),
    ("EMR Serverless", "emr-serverless-client"),
    ("AWS IoT Jobs Data Plane", "aws-iot-jobs-data-client"),
    (
        "Amazon Simple Queue Service",
        "amazon-simple-queue-service-client",
    ),
    ("Amazon WorkLink", "amazon-worklink-client"),
    ("Airflow API (Stable)", "airflow-client"),
    ("Apicurio Registry API [v2]", "apicurio-registry-client"),
    ("POS API", "pos-client"),
    ("Registry API", "registry-client"),
    ("AppVeyor REST API", "appveyor-client"),
    ("Wayback API", "wayback-client"),
    ("Asana", "asana-client"),
    (
        "The Jira Cloud platform REST API",
        "jira-cloud-platform-client",
    ),
    ("Authentiq Connect API", "authentiq-connect-client"),
    (
        "AviationData.Systems Airports API V1",
        "aviationdata-systems-airports-client",
    ),
    ("LUIS Programmatic", "luis-programmatic-client"),
    (
        "DataFactoryManagementClient",
        "data-factory-management-client",
    ),
    ("WebApps API Client", "webapps-client"),
    ("BeezUP Merchant API ", "beezup-merchant-client"),
    ("Budgea API Documentation", "budgea-client"),
    ("Bitbucket API", "bitbucket-client"),
    ("Box Platform API", "box-platform-client"),
    ("bridgedb webservices", "bridgedb-webservices-client"),
    ("bunq API", "bunq-client"),
    ("CalorieNinjas", "calorieninjas-client"),
    ("Chain49 API", "chain49-client"),
    ("Channel 4 API", "channel-4-client"),
    ("CircleCI REST API", "circleci-client"),
    ("Cisco PSIRT openVuln API", "cisco-psirt-openvuln-client"),
    ("ClearBlade API", "clearblade-client"),
    ("Data API", "data-client"),
    (
        "Climate FieldView Platform APIs",
        "climate-fieldview-platform-client",
    ),
    ("climateKuul live", "climatekuul-live-client"),
    (
        "ConfigCat Public Management API",
        "configcat-management-client",
    ),
    ("PeerTube", "peertube-client"),
    ("Crucible", "crucible-client"),
    ("Regulations.gov", "regulations-client"),
    ("Reisezentren-API", "reisezentren-client"),
    ("Forem API V1", "forem-client"),
    ("Docker Engine API", "docker-engine-client"),
    ("DocuSign REST API", "docusign-client"),
    ("DRACOON API", "dracoon-client"),
    ("dweet.io", "dweet-client"),
    (
        "U.S. EPA Enforcement and Compliance History Online (ECHO) - Detailed Facility Report (DFR)",
        "echo-client",
    ),
    (
        "Test the ExhibitDay API with Swagger",
        "test-exhibitday-client",
    ),
    ("FishEye", "fisheye-client"),
    ("Flat API", "flat-client"),
    ("Frankie Financial API", "frankie-financial-client"),
    (
        "FunTranslations Braille API",
        "funtranslations-braille-client",
    ),
    ("geodesystems.com:443", "geodesystems-client"),
    ("Chrome Policy API", "chrome-policy-client"),
    ("Migration Center API", "migration-center-client"),
    (
        "Smart Device Management API",
        "smart-device-management-client",
    ),
    ("YouTube Data API v3", "youtube-data-client"),
    ("UGC", "ugc-client"),
    ("HERE Tracking", "here-tracking-client"),
    ("IBANAPI OpenApi Documentation", "ibanapi-client"),
    ("Active Documentation for /v1", "active-client"),
    ("IllumiDesk", "illumidesk-client"),
    ("import.io", "import-client"),
    ("Mailsquad", "mailsquad-client"),
    (
        "Intel Product Catalogue Service",
        "intel-product-catalogue-service-client",
    ),
    ("Brain Web API", "brain-web-client"),
    (
        "Firebase Cloud Messaging API",
        "firebase-cloud-messaging-client",
    ),
    ("Jellyfin API", "jellyfin-client"),
    ("Developer documentation", "developer-client"),
    ("JSON2Video API", "json2video-client"),
    ("Kubernetes", "kubernetes-client"),
    ("LibreTranslate", "libretranslate-client"),
    ("link.fish API", "link-fish-client"),
    ("Linode API", "linode-client"),
    ("Magento B2B", "magento-b2b-client"),
    (
        "Mastodon API Specification (https://github.com/mastodon/mastodon)",
        "mastodon-client",
    ),
    ("Meraki Dashboard API", "meraki-dashboard-client"),
    ("Meshery API.", "meshery-client"),
    (
        "Custom Vision Training Client",
        "custom-vision-training-client",
    ),
    ("Mist API", "mist-client"),
    ("defaultTitle", "defaulttitle-client"),
    (
        "Advicent.FactFinderService",
        "advicent-factfinderservice-client",
    ),
    ("NeoWs - (Near Earth Object Web Service)", "neows-client"),
    ("Messages API", "messages-client"),
    (
        "nic.at Domainfinder API Documentation",
        "nic-domainfinder-client",
    ),
    ("Noosh API application", "noosh-application-client"),
    (
        "Nordigen Account Information Services API",
        "nordigen-account-information-services-client",
    ),
    ("Notion API", "notion-client"),
    ("Geographic API", "geographic-client"),
    ("Users (Okta API)", "users-client"),
    (
        "Swiss NextGen Banking API-Framework",
        "swiss-nextgen-banking-framework-client",
    ),
    ("OpenFinTech.io", "openfintech-client"),
    (
        "Open Policy Agent (OPA) REST API",
        "open-policy-agent-client",
    ),
    ("Open States API v3", "open-states-client"),
    ("PI Web API 2018 SP1 Swagger Spec", "pi-web-client"),
    ("", "api-client"),
    (
        "PandaScore REST API for All Videogames",
        "pandascore-all-videogames-client",
    ),
    ("Pandorabots AIaaS", "pandorabots-aiaas-client"),
    (
        "UK Parliament Search Service",
        "uk-parliament-search-service-client",
    ),
    ("PDF Blocks API", "pdf-blocks-client"),
    ("The Plaid API", "plaid-client"),
    ("Postmark API", "postmark-client"),
    ("OOXML Automation", "ooxml-automation-client"),
    (
        "Qualpay Payment Gateway API",
        "qualpay-payment-gateway-client",
    ),
    ("They Said So Quotes API", "they-said-so-quotes-client"),
    ("Moon API", "moon-client"),
    ("Request Baskets API", "request-baskets-client"),
    ("Ritc", "ritc-client"),
    ("Rubrik REST API", "rubrik-client"),
    ("Rudder API", "rudder-client"),
    ("Rumble API (deprecated)", "rumble-client"),
    ("Sakari", "sakari-client"),
    ("SchoolDigger API V2.0", "schooldigger-client"),
    ("setlist.fm API", "setlist-client"),
    ("SheerSEO API", "sheerseo-client"),
    ("rv API", "rv-client"),
    ("Shutterstock API Explorer", "shutterstock-client"),
    ("SIGNL4 API", "signl4-client"),
    ("SimplyRETS", "simplyrets-client"),
    ("Sinao API", "sinao-client"),
    ("SoundCloud Public API Specification", "soundcloud-client"),
    ("spoonacular API", "spoonacular-client"),
    ("NFL v3 Projections", "nfl-projections-client"),
    ("Square Connect API", "square-connect-client"),
    ("StackExchange", "stackexchange-client"),
    ("SwaggerHub Registry API", "swaggerhub-registry-client"),
    ("Telegram Bot API", "telegram-bot-client"),
    (
        "Transport for London Unified API",
        "transport-london-unified-client",
    ),
    ("ThreatJammer.com User API", "threatjammer-user-client"),
    ("Search", "search-client"),
    ("TruAnon Private API", "truanon-private-client"),
    ("Checks API", "checks-client"),
    ("TSAPI", "tsapi-client"),
    ("Twilio - Lookups", "twilio-lookups-client"),
    ("Gateway REST API", "gateway-client"),
    ("Up API", "up-client"),
    ("Velo Payments APIs", "velo-payments-client"),
    ("Vestorly API", "vestorly-client"),
    ("Catalog API", "catalog-client"),
    ("Orders API", "orders-client"),
    (
        "The Water Linked Underwater GPS API",
        "water-linked-underwater-gps-client",
    ),
    ("Wealth Reader API", "wealth-reader-client"),
    ("Who Hosts This API", "who-hosts-this-client"),
    (
        "Real-Time Rail Predictions",
        "real-time-rail-predictions-client",
    ),
    ("World Time API", "world-time-client"),
    ("Xero Accounting API", "xero-accounting-client"),
    ("Aggregators API Service", "aggregators-service-client"),
    ("Zoom API", "zoom-client"),
    ("www.zoomconnect.com", "zoomconnect-client"),
];

#[test]
fn titles_give_short_crate_names() {
    for (title, name) in TABLE {
        assert_eq!(crate_name(title), *name, "{title:?}");
    }
}

/// The table holds the title of every spec of the dev corpus.
#[test]
fn table_covers_the_dev_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/dev");
    let dir = if dir.is_dir() {
        dir
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev")
    };
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut count = 0;
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let title = doc
            .pointer("/info/title")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        assert!(
            TABLE.iter().any(|(t, _)| *t == title),
            "{}: title {title:?} is not in the table",
            entry.path().display()
        );
        count += 1;
    }
    assert_eq!(count, 150);
}

/// Names are valid crate names.
#[test]
fn names_are_valid_crate_names() {
    for (_, name) in TABLE {
        assert!(
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name}"
        );
    }
}
