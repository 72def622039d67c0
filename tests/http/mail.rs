//! Email delivery through the provider adapter: a failure keeps the email for a later run
//! (with backoff), a success marks it sent. The provider here is a small local HTTP server
//! standing in for the email API (the Worker, D1 and the runtime are the real ones).

use atelier_tests::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Answers 503 to the first `failures` requests, then 200 with an id; records the bodies.
fn fake_provider(failures: usize) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().flatten().enumerate() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0usize;
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if lower.starts_with("authorization:") {
                    auth = line.trim().to_string();
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            log.lock().expect("log").push(format!("{auth}\n{}", String::from_utf8_lossy(&body)));
            let reply = if n < failures {
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndown".to_string()
            } else {
                let json = format!("{{\"id\":\"msg-{n}\"}}");
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}", json.len())
            };
            let mut stream = stream;
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (port, seen)
}

#[test]
fn a_provider_outage_loses_no_email_and_retries_with_backoff() {
    let (provider_port, seen) = fake_provider(1);
    let url = format!("http://127.0.0.1:{provider_port}/emails");
    let app = start_worker_with("dev", &[("EMAIL_API_URL", &url), ("EMAIL_API_KEY", "test-key")]);
    let school = open_school(&app);
    let deliver = |clock_ms: i64| {
        let mut c = app.client(&app.platform_host());
        c.post(&format!("/_dev/deliver?now={clock_ms}"), &[])
    };
    let mail = app.latest_mail(&school.owner_email);
    let (created, code) = (mail.created_at, mail.code());

    // The signup POST tried to deliver right after its response: the provider was down, so
    // the email stays in the outbox with its error and a later attempt time.
    let outbox = || app.sql(&format!("SELECT status, attempts, last_error, next_attempt_at FROM outbox WHERE to_addr = '{}'", school.owner_email));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !outbox().contains("\"attempts\": 1") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let row = outbox();
    assert!(row.contains("\"status\": \"pending\"") && row.contains("\"attempts\": 1") && row.contains("503"), "{row}");

    // Before the backoff delay: nothing is attempted.
    let r = deliver(created + 30_000);
    assert!(r.body.contains("\"sent\":0") && r.body.contains("\"failed\":0"), "{}", r.body);

    // After it: delivered once, with the bearer key and the idempotency of its row.
    let r = deliver(created + 10 * 60_000);
    assert!(r.body.contains("\"sent\":1"), "{}", r.body);
    let row = app.sql(&format!("SELECT status, provider_id, text_body, html_body FROM outbox WHERE to_addr = '{}'", school.owner_email));
    assert!(row.contains("\"status\": \"sent\"") && row.contains("msg-1"), "{row}");
    assert!(row.contains("\"text_body\": \"\"") && row.contains("\"html_body\": \"\""), "delivered bodies (codes, links) are cleared: {row}");
    let requests = seen.lock().expect("log").clone();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].contains("Bearer test-key") && requests[1].contains(&school.owner_email));
    let spaced = format!("{} {}", &code[..4], &code[4..]);
    assert!(requests[1].contains(&spaced) && !requests[1].contains("@@"), "the code is filled in at delivery");

    // Sent mail is not sent again.
    let r = deliver(created + 60 * 60_000);
    assert!(r.body.contains("\"sent\":0"), "{}", r.body);
}
