//! Calls the four seed operations in order, with credentials and base URLs
//! from the environment (as `Client::from_env` reads them):
//!
//! ```text
//! cargo run -p atlas-admin --example seed_ops -- --org-id ID --group-id ID \
//!     --cluster NAME --project-id ID --agent-key-id ID [--access-list-ip IP]...
//! ```
//!
//! Exits 0 when every call succeeded; on an API error prints the status and
//! Atlas's errorCode and exits 1; on bad arguments or configuration exits 2.

use atlas_admin::{models, Client, Error};
use std::process::ExitCode;

const USAGE: &str = "usage: seed_ops --org-id ID --group-id ID --cluster NAME --project-id ID \
                     --agent-key-id ID [--access-list-ip IP]...";

#[derive(Default)]
struct Args {
    org_id: String,
    group_id: String,
    cluster: String,
    project_id: String,
    agent_key_id: String,
    access_list_ips: Vec<String>,
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    while let Some(flag) = argv.next() {
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--org-id" => args.org_id = value,
            "--group-id" => args.group_id = value,
            "--cluster" => args.cluster = value,
            "--project-id" => args.project_id = value,
            "--agent-key-id" => args.agent_key_id = value,
            "--access-list-ip" => args.access_list_ips.push(value),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    for (name, value) in [
        ("--org-id", &args.org_id),
        ("--group-id", &args.group_id),
        ("--cluster", &args.cluster),
        ("--project-id", &args.project_id),
        ("--agent-key-id", &args.agent_key_id),
    ] {
        if value.is_empty() {
            return Err(format!("{name} is required"));
        }
    }
    Ok(args)
}

async fn run(client: &Client, args: &Args) -> Result<(), Error> {
    let migration = client.cloud_migration_service();
    let body = models::TargetOrgRequest::new().with_access_list_ips(args.access_list_ips.clone());
    let token = migration.create_link_token(&args.org_id, body).send().await?;
    println!("created link token: {}", token.link_token);

    migration.delete_link_tokens(&args.org_id).send().await?;
    println!("deleted the link token of organization {}", args.org_id);

    client
        .clusters()
        .revoke_mongo_employee_access(&args.group_id, &args.cluster)
        .send()
        .await?;
    println!("revoked MongoDB employee access to cluster {}", args.cluster);

    client
        .agent_api_keys()
        .delete_agent_api_key(&args.project_id, &args.agent_key_id)
        .send()
        .await?;
    println!("deleted agent API key {}", args.agent_key_id);
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&client, &args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match (e.status(), e.error_code()) {
                (Some(status), Some(code)) => eprintln!("API error: HTTP {status} {code}: {e}"),
                (Some(status), None) => eprintln!("API error: HTTP {status}: {e}"),
                _ => eprintln!("error: {e}"),
            }
            ExitCode::from(1)
        }
    }
}
