//! Email delivery through the provider adapter: a failure keeps the email for a later run
//! (with backoff), a success marks it sent. The provider here is a small local HTTP server
//! standing in for the email API (the Worker, D1 and the runtime are the real ones).

use atelier_tests::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Answers 503 to the first `failures` requests, then 200 with an id after `delay` (a slow
/// provider lets two delivery runs overlap); records the bodies.
fn fake_provider(failures: usize, delay: std::time::Duration) -> (u16, Arc<Mutex<Vec<String>>>) {
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
            if n >= failures {
                std::thread::sleep(delay);
            }
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
    let (provider_port, seen) = fake_provider(1, std::time::Duration::from_millis(1500));
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
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !outbox().contains("\"attempts\": 1") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let row = outbox();
    assert!(row.contains("\"status\": \"pending\"") && row.contains("\"attempts\": 1") && row.contains("503"), "{row}");

    // Before the backoff delay: nothing is attempted.
    let r = deliver(created + 30_000);
    assert!(r.body.contains("\"sent\":0") && r.body.contains("\"failed\":0"), "{}", r.body);

    // After it: delivered once, with the bearer key and the idempotency of its row, even by
    // two runs at once (every request that writes mail also delivers after its response,
    // and the provider is slow): the first takes the row, the second finds nothing due.
    let bodies: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..2).map(|_| scope.spawn(|| deliver(created + 10 * 60_000).body)).collect();
        runs.into_iter().map(|run| run.join().expect("delivery run")).collect()
    });
    let sent: Vec<&String> = bodies.iter().filter(|b| b.contains("\"sent\":1")).collect();
    assert!(sent.len() == 1 && bodies.iter().any(|b| b.contains("\"sent\":0")), "{bodies:?}");
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

/// The provider's signing: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the key of a
/// `whsec_` secret, base64.
fn sign(secret_b64: &str, id: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    fn b64(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..4 {
                out.push(if i <= c.len() { A[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
            }
        }
        out
    }
    fn unb64(s: &str) -> Vec<u8> {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = vec![];
        for c in s.as_bytes().chunks(4) {
            let pad = c.iter().filter(|b| **b == b'=').count();
            let n = c.iter().fold(0u32, |n, b| n << 6 | A.iter().position(|a| a == b).unwrap_or(0) as u32);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8][..3 - pad]);
        }
        out
    }
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&unb64(secret_b64)).expect("key");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", b64(&mac.finalize().into_bytes()))
}

#[test]
fn a_bounce_reported_by_the_provider_shows_on_the_students_page() {
    // The first delivery fails, so the owner's signup code stays readable in the outbox.
    let (provider_port, _) = fake_provider(1, std::time::Duration::ZERO);
    let url = format!("http://127.0.0.1:{provider_port}/emails");
    let key = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let secret = format!("whsec_{key}");
    let app = start_worker_with("dev", &[("EMAIL_API_URL", &url), ("EMAIL_API_KEY", "test-key"), ("EMAIL_WEBHOOK_SECRET", &secret)]);
    let mut school = open_school(&app);
    let course = school.create_course("Cours", "cours", "published");
    let student = format!("rebond-{}@example.com", school.slug);
    school.add_student(course, &student, true);
    // Delivered right after the response: the provider's id is kept.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let provider_id = loop {
        let rows = app.sql_rows(&format!("SELECT provider_id FROM outbox WHERE to_addr = '{student}' AND status = 'sent'"));
        if let Some(id) = rows.first().and_then(|r| r["provider_id"].as_str().map(String::from)) {
            break id;
        }
        assert!(std::time::Instant::now() < deadline, "the invitation was not delivered");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    // The overview, read before the bounce, counts none yet (and counts it once it comes).
    let bounced_figure = |page: &str| page.split("data-figure=\"overview_bounced\"").nth(1).unwrap_or("").split("class=\"figure\">").nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
    for _ in 0..2 {
        assert_eq!(bounced_figure(&school.owner.get("/admin").body), "0");
    }
    let body = format!("{{\"type\":\"email.bounced\",\"data\":{{\"email_id\":\"{provider_id}\"}}}}");
    let now = now_ms() / 1000;
    let mut hook = app.client(&app.platform_host());
    let post = |hook: &mut Client, sig: &str, ts: i64| {
        hook.headers = vec![("svix-id".into(), "msg_1".into()), ("svix-timestamp".into(), ts.to_string()), ("svix-signature".into(), sig.to_string())];
        hook.post_raw("/hooks/email", "application/json", &body)
    };
    assert_eq!(post(&mut hook, "v1,forged", now).status, 401);
    assert_eq!(post(&mut hook, &sign(key, "msg_1", now - 3600, &body), now - 3600).status, 401, "an old event is a replay");
    assert_eq!(post(&mut hook, &sign(key, "msg_1", now, &body), now).status, 200);

    let id = school.student_id(&student);
    let page = school.owner.get(&format!("/admin/students/{id}")).body;
    assert!(page.contains("mail-bounced") && page.contains("rejeté par le destinataire"), "the bounce shows");
    // The overview counts them, and its figure leads to them.
    let overview = school.owner.get("/admin").body;
    let bounced = bounced_figure(&overview);
    assert_eq!(bounced, "1", "{overview}");
    let list = school.owner.get("/admin/students?bounced=on").body;
    let table = list.split("class=\"admin directory\"").nth(1).unwrap_or("").split("</table>").next().unwrap_or("").to_string();
    assert!(table.contains(&student) && list.contains("data-total=\"1\""), "the students whose email bounced: {table}");
}
