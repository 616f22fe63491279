//! Compiled against the client generated from GitHub's description
//! (`../shared/corpus/big/api.github.com.json`), with only the `repos`
//! feature: the calls a user writes, one line each.

use futures_util::StreamExt;
use github_client::types::ReposListForOrgSort;
use github_client::{Client, Error};

/// `repos/list-for-org` with only `org`, then with `per_page` and `sort`,
/// then every repository of every page.
pub async fn list_for_org(client: &Client) -> Result<usize, Error> {
    let first_page = client.repos_list_for_org("rust-lang").await?;
    let sorted = client.repos_list_for_org("rust-lang").per_page(100).sort(ReposListForOrgSort::Updated).await?;
    let mut all = client.repos_list_for_org("rust-lang").per_page(100).stream();
    let mut count = first_page.len() + sorted.len();
    while let Some(repo) = all.next().await {
        let _name: String = repo?.name;
        count += 1;
    }
    Ok(count)
}

#[test]
fn compiles() {
    // The calls above are checked by the compiler; nothing is sent here.
    let _ = list_for_org;
}
