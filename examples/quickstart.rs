//! The quick start: update a user at hPay and at Payabli through the facade,
//! against the embedded mock (no network, no credentials needed).
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! To run the same code against the real APIs, build the clients with
//! `payusers::HostPay::from_env()?` and `payusers::Payabli::from_env()?`
//! instead of `mock.hpay()` / `mock.payabli()`.

use payusers::payabli::{Language, UserStatus};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = payusers::mock::MockServer::start().await?;
    println!(
        "embedded mock: hPay at {}, Payabli at {}\n",
        mock.hpay_base_url(),
        mock.payabli_base_url()
    );

    // 1. hPay: a full update (app_user_id, name and phone are always required).
    let hpay = mock.hpay();
    let user = hpay
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Updated Doe")
        .phone_number("+23279123456")
        .email("john.new@example.com")
        .send()
        .await?;
    println!("hPay updated {}:", user.id);
    println!("  name         {}", user.name);
    println!("  email        {}", user.email.as_deref().unwrap_or("-"));
    println!("  phone_number {}", user.phone_number);
    println!("  is_active    {}", user.is_active);
    println!(
        "  updated_at   {}\n",
        user.updated_at
            .map_or_else(|| "-".into(), |t| t.to_rfc3339())
    );

    // 2. Payabli: a partial update; only the fields set are sent.
    let payabli = mock.payabli();
    let answer = payabli
        .update_user(1000000)
        .status(UserStatus::Locked)
        .language(Language::Es)
        .time_zone(-5)
        .send_with_response()
        .await?;
    println!(
        "Payabli updated user 1000000: {} (HTTP {}, request id {})",
        answer.response_text.as_deref().unwrap_or("-"),
        answer.status(),
        answer.request_id().unwrap_or_default()
    );
    let record = payabli.get_user(1000000).send().await?;
    let status = record.status;
    println!(
        "  now: name {}, status {}, language {}, timeZone {}\n",
        record.name.as_deref().unwrap_or("-"),
        status.map_or_else(|| "-".to_string(), |s| format!("{s:?} ({})", s.code())),
        record
            .language
            .map_or_else(|| "-".to_string(), |l| l.to_string()),
        record
            .time_zone
            .map_or_else(|| "-".to_string(), |tz| format!("UTC{tz:+}")),
    );

    // 3. A validation error, caught before anything is sent.
    let err = hpay
        .update_user("user_abc123")
        .app_user_id(1)
        .name("John Updated Doe")
        .phone_number("079123456")
        .send()
        .await
        .unwrap_err();
    println!("caught before sending: {err}");

    // 4. A documented provider error: hPay refuses to change app_user_id.
    let err = hpay
        .update_user("user_abc123")
        .app_user_id(42)
        .name("John Updated Doe")
        .phone_number("+23279123456")
        .send()
        .await
        .unwrap_err();
    match &err {
        payusers::Error::BadRequest { message, context } => println!(
            "hPay said no (HTTP {}): {}",
            context.status.unwrap_or_default(),
            message.as_deref().unwrap_or("-")
        ),
        other => return Err(format!("expected hPay's 400, got: {other}").into()),
    }

    mock.shutdown().await;
    Ok(())
}
