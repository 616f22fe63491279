//! Conformance program for the client generated from GitHub's description:
//! every call below goes through the generated client to Prism on
//! loopback (`cargo xtask conformance github`). Awkward values on purpose:
//! path parameters that need percent-encoding (space, `/`, `?`, `#`, `%`,
//! non-ASCII), query arrays, date-time queries, JSON bodies with optional
//! and union fields, a binary upload and a binary download, empty 204
//! answers, paginated lists.

mod harness;

use github_client::types;
use github_client::{Client, Error};
use harness::{Op, Outcome};

/// Owner and repository names that only arrive intact if percent-encoded.
const OWNER: &str = "octo cat";
const REPO: &str = "hello wörld?#%";
const LABEL: &str = "good first issue/🐛";

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

fn since() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z")
        .expect("date")
        .with_timezone(&chrono::Utc)
}

fn ops(c: &Client) -> Vec<Op<'_>> {
    let mut ops = Vec::new();
    // issues
    op!(ops, "issues/list-for-repo", "percent-encoded owner/repo; enum, date-time and integer queries", c
        .issues_list_for_repo(OWNER, REPO)
        .state(types::IssuesListState::All)
        .labels("bug,ui")
        .sort(types::IssuesListSort::Updated)
        .direction(types::SecurityAdvisoriesListGlobalAdvisoriesDirection::Asc)
        .since(since())
        .per_page(2)
        .page(1));
    op!(ops, "issues/list-for-repo", "pagination: every page through Link rel=next", stream c
        .issues_list_for_repo(OWNER, REPO)
        .per_page(2));
    op!(ops, "issues/get", "path + integer path parameter", c.issues_get(OWNER, REPO, 1347));
    op!(ops, "issues/create", "JSON body: union title, optional arrays", c.issues_create(
        OWNER,
        REPO,
        types::IssuesCreateBody::new(types::IssuesCreateBodyTitle::String("Found a bug".into()))
            .body("I'm having a problem with this.")
            .assignees(vec!["octocat".into()])
            .labels(vec![types::IssuesCreateBodyLabelsItem::String("bug".into())]),
    ));
    op!(ops, "issues/update", "PATCH body with only some optional fields", c
        .issues_update(OWNER, REPO, 1347)
        .body(types::IssuesUpdateBody::new()
            .state(types::IssuesUpdateBodyState::Closed)
            .state_reason(types::IssuesUpdateBodyStateReason::Completed)));
    op!(ops, "issues/lock", "PUT with optional body, empty 204", c
        .issues_lock(OWNER, REPO, 1347)
        .body(Some(types::IssuesLockBody::new()
            .lock_reason(types::IssuesLockBodyLockReason::TooHeated))));
    op!(ops, "issues/unlock", "DELETE, empty 204", c.issues_unlock(OWNER, REPO, 1347));
    op!(ops, "issues/list-comments", "date-time query", c
        .issues_list_comments(OWNER, REPO, 1347)
        .since(since())
        .per_page(3));
    op!(ops, "issues/create-comment", "required JSON body", c.issues_create_comment(
        OWNER,
        REPO,
        1347,
        types::IssuesUpdateCommentBody::new("Me too"),
    ));
    op!(ops, "issues/delete-comment", "empty 204", c.issues_delete_comment(OWNER, REPO, 42));
    op!(ops, "issues/list-labels-for-repo", "pagination: every page", stream c
        .issues_list_labels_for_repo(OWNER, REPO)
        .per_page(5));
    op!(ops, "issues/add-labels", "JSON body: array of string-or-object union", c
        .issues_add_labels(OWNER, REPO, 1347)
        .body(types::IssuesAddLabelsBody::new()
            .labels(vec![types::IssuesAddLabelsBodyLabelsItem::String(LABEL.into())])));
    op!(ops, "issues/remove-label", "label name with space, `/` and emoji in the path", c
        .issues_remove_label(OWNER, REPO, 1347, LABEL));
    op!(ops, "issues/get-label", "label name with space, `/` and emoji in the path", c
        .issues_get_label(OWNER, REPO, LABEL));
    op!(ops, "issues/list-milestones", "enum queries", c
        .issues_list_milestones(OWNER, REPO)
        .state(types::IssuesListState::Open)
        .sort(types::IssuesListMilestonesSort::Completeness)
        .direction(types::IssuesListMilestonesDirection::Desc));
    op!(ops, "issues/add-assignees", "JSON body", c
        .issues_add_assignees(OWNER, REPO, 1347)
        .body(types::IssuesAddAssigneesBody::new()
            .assignees(vec![types::IssuesAddAssigneesBodyAssigneesItem::String("hubot".into())])));
    op!(ops, "issues/check-user-can-be-assigned", "empty 204; documented 404", c
        .issues_check_user_can_be_assigned(OWNER, REPO, "hu bot"));
    // reactions
    op!(ops, "reactions/create-for-issue", "enum with `+1` in a JSON body", c
        .reactions_create_for_issue(
            OWNER,
            REPO,
            1347,
            types::ReactionsCreateForIssueBody::new(types::ReactionsCreateForIssueBodyContent::N1),
        ));
    op!(ops, "reactions/list-for-issue", "enum query `+1` (percent-encoded)", c
        .reactions_list_for_issue(OWNER, REPO, 1347)
        .content(types::ReactionsListForIssueContent::N1));
    op!(ops, "reactions/delete-for-issue", "empty 204", c
        .reactions_delete_for_issue(OWNER, REPO, 1347, 7));
    // users
    op!(ops, "users/get-by-username", "path parameter", c.users_get_by_username("octo cat"));
    op!(ops, "users/list", "pagination: every page (since + per_page)", stream c
        .users_list()
        .since(10)
        .per_page(2));
    op!(ops, "users/get-authenticated", "oneOf response (private or public user)", c
        .users_get_authenticated());
    op!(ops, "users/list-followers-for-user", "list", c
        .users_list_followers_for_user("octocat")
        .per_page(1));
    op!(ops, "users/check-following-for-user", "empty 204; 404 has no body", c
        .users_check_following_for_user("octocat", "hu bot"));
    // gists
    op!(ops, "gists/list", "date-time query", c.gists_list().since(since()));
    op!(ops, "gists/create", "JSON body: map of files, bool-or-string union", c.gists_create(
        types::GistsCreateBody::new(
            [(
                "hello wörld.rs".to_owned(),
                types::GistsCreateBodyFilesValue::new("fn main() {}"),
            )]
            .into_iter()
            .collect(),
        )
        .description("Example of a gist")
        .public(types::GistsCreateBodyPublic::Bool(false))
    ));
    op!(ops, "gists/get", "documented 403 with its own body type", c.gists_get("aa5a315d61ae9438b18d"));
    op!(ops, "gists/update", "PATCH: optional body with a map", c.gists_update(
        "aa5a315d61ae9438b18d",
        Some(types::GistsUpdateBody::new().description("renamed").files(
            [(
                "hello.rs".to_owned(),
                types::GistsUpdateBodyFilesValue::new()
                    .content("fn main() { }")
                    .filename("main.rs"),
            )]
            .into_iter()
            .collect(),
        )),
    ));
    op!(ops, "gists/delete", "empty 204", c.gists_delete("aa5a315d61ae9438b18d"));
    op!(ops, "gists/star", "PUT, empty 204", c.gists_star("aa5a315d61ae9438b18d"));
    // meta and markdown
    op!(ops, "meta/get-octocat", "binary download (application/octocat-stream)", c
        .meta_get_octocat()
        .s("Hello, wörld & co?"));
    op!(ops, "meta/root", "plain GET", c.meta_root());
    op!(ops, "meta/get-zen", "text/plain response", c.meta_get_zen());
    op!(ops, "markdown/render", "JSON body, text/html response", c.markdown_render(
        types::MarkdownRenderBody::new("Hello **world**")
            .mode(types::MarkdownRenderBodyMode::Gfm)
            .context("octo-org/octo-repo")
    ));
    op!(ops, "markdown/render-raw", "text/plain body", c
        .markdown_render_raw()
        .body("# Hello".to_owned()));
    // repos and migrations
    op!(ops, "repos/get", "percent-encoded owner/repo", c.repos_get(OWNER, REPO));
    op!(ops, "repos/list-for-org", "pagination: every page; enum queries", stream c
        .repos_list_for_org("rust lang")
        .type_(types::ReposListForOrgType::Public)
        .sort(types::ReposListForOrgSort::FullName)
        .per_page(2));
    op!(ops, "repos/list-commits", "path and date-time queries", c
        .repos_list_commits(OWNER, REPO)
        .path("src/main file.rs")
        .since(since())
        .until(since()));
    op!(ops, "repos/upload-release-asset", "binary upload (octet-stream) with name/label query", c
        .repos_upload_release_asset(OWNER, REPO, 1, "asset ü.zip")
        .label("Asset & label")
        .body(vec![0u8, 1, 2, 255, b'\n', 0x80]));
    op!(ops, "migrations/list-for-org", "query array (form, explode): exclude=…", c
        .migrations_list_for_org("octo org")
        .exclude(vec![types::MigrationsListForOrgExcludeItem::Repositories]));
    ops
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = harness::Args::parse();
    let http = harness::http_client();
    let client = Client::with_http_client(&args.base, http.clone()).expect("base url");
    let ops = ops(&client);
    harness::Harness::new(args, http).run(&ops).await;
}
