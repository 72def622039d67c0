//! Paid offers with Stripe (issue 15), black-box: the worker against the local stand-in
//! (`tests/stripe/standin.mjs`), which answers Stripe's API and signs its webhooks as Stripe does.

use atelier_tests::*;

const SECRET_KEY: &str = "sk_test_51AtelierStandinKey";

/// A school with Stripe connected, a published course of one lesson and a paid offer:
/// (school, course id, first lesson, offer id).
fn selling_school(app: &Worker, slug: &str, price: &str) -> (School, i64, i64, i64) {
    selling_school_with(app, slug, price, true)
}

fn selling_school_with(app: &Worker, slug: &str, price: &str, refund_ends_access: bool) -> (School, i64, i64, i64) {
    let mut school = open_school(app);
    let r = school.owner.post("/admin/api/save_payment_settings", &[("secret_key", SECRET_KEY), ("webhook_secret", STANDIN_WEBHOOK_SECRET), ("currency", "EUR")]);
    assert_eq!(r.location(), "/admin/settings?ok=payments_saved#payments");
    let course = school.create_course("Aquarelle", slug, "published");
    let lesson = school.create_lesson(course, "Premiers pas", "Bonjour", "published");
    let c = course.to_string();
    let mut form = vec![("course_id", c.as_str()), ("offer_id", ""), ("name", "Complet"), ("summary", ""), ("price", price), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")];
    if refund_ends_access {
        form.push(("refund_ends_access", "on"));
    }
    let r = school.owner.post("/admin/api/save_offer", &form);
    assert!(r.location().contains("ok=offer_saved"), "{}", r.location());
    let offer = app.sql_rows(&format!("SELECT id FROM offers WHERE course_id = {course}"))[0]["id"].as_i64().unwrap();
    (school, course, lesson, offer)
}

/// A visitor starts checkout: (their client, order id, stand-in session id).
fn start_checkout(app: &Worker, slug: &str, offer: i64, email: &str) -> (Client, String, String) {
    let mut visitor = app.client(&app.school_host(slug));
    let r = visitor.post("/api/checkout", &[("offer_id", &offer.to_string()), ("email", email), ("amount", "1"), ("price", "0")]);
    let to = r.location();
    assert!(to.starts_with(&format!("{}/pay/cs_test_", standin().url())), "to the stand-in's checkout: {to} {}", r.body);
    let session = to.rsplit('/').next().unwrap().to_string();
    let order = app.sql_rows(&format!("SELECT id FROM orders WHERE provider_session = '{session}'"))[0]["id"].as_str().unwrap().to_string();
    (visitor, order, session)
}

fn enrollments(app: &Worker, email: &str, status: &str) -> i64 {
    app.sql_count(&format!("SELECT COUNT(*) AS n FROM enrollments e JOIN users u ON u.id = e.user_id WHERE u.email = '{email}' AND e.status = '{status}'"))
}

#[test]
fn a_paid_checkout_enrols_only_through_the_signed_webhook_then_logs_the_buyer_in() {
    let app = spawn_app();
    let (mut school, _, lesson, offer) = selling_school(app, "payant", "49,90");
    // The settings say connected, in test mode, and never show the keys; D1 holds them sealed.
    let settings = school.owner.get("/admin/settings").body;
    assert!(settings.contains("Votre compte Stripe est connecté.") || settings.contains("Your Stripe account is connected."), "connected");
    assert!(!settings.contains(SECRET_KEY) && !settings.contains(STANDIN_WEBHOOK_SECRET));
    let sealed = app.sql_rows(&format!("SELECT p.secret_key_sealed FROM school_payments p JOIN schools s ON s.id = p.school_id WHERE s.slug = '{}'", school.slug))[0]["secret_key_sealed"].as_str().unwrap().to_string();
    assert!(sealed.starts_with("v1:") && !sealed.contains("sk_test"));

    // The public page shows the price and a buy form.
    let buyer = format!("acheteur-{}@example.com", school.slug);
    let page = app.client(&app.school_host(&school.slug)).get("/courses/payant").body;
    assert!(page.contains("49,90\u{a0}€") && page.contains("action=\"/api/checkout\""), "{page}");

    // The school's own receipt (issue 18): its fields are filled when the payment lands.
    let r = school.owner.post("/admin/api/save_email", &[("kind", "receipt"), ("locale", "fr"), ("subject", "Reçu {{order_number}} : {{course_title}}"), ("body", "Payé : {{amount}} ({{offer_name}}).\n\n{{login_link}}"), ("action", "save")]);
    assert!(r.location().contains("ok=saved"), "{}", r.location());

    // Checkout: the session carries the offer's price whatever the form said.
    let (mut visitor, order, session) = start_checkout(app, &school.slug, offer, &buyer);
    let row = &app.sql_rows(&format!("SELECT amount_minor, currency, status FROM orders WHERE id = '{order}'"))[0];
    assert_eq!((row["amount_minor"].as_i64(), row["currency"].as_str(), row["status"].as_str()), (Some(4990), Some("EUR"), Some("pending")));

    // Coming back from checkout grants nothing: the page waits (and refreshes itself).
    let back = visitor.get(&format!("/checkout/{order}")).body;
    assert!(back.contains("data-order-status=\"pending\"") && back.contains("http-equiv=\"refresh\""), "{back}");
    assert_eq!(enrollments(app, &buyer, "active"), 0);

    // Paid on the stand-in: its signed webhook settles the order and enrols.
    let paid = standin().call("POST", &format!("/_standin/pay/{session}"));
    assert_eq!(paid["webhook_status"], 200, "{paid}");
    assert_eq!(app.sql_rows(&format!("SELECT status FROM orders WHERE id = '{order}'"))[0]["status"], "paid");
    assert_eq!(enrollments(app, &buyer, "active"), 1);
    let receipt = app.latest_mail(&buyer);
    assert!(receipt.text.contains("49,90") && receipt.link_path().starts_with("/login/link/"), "{}", receipt.text);
    assert_eq!(receipt.subject, format!("Reçu {} : Aquarelle", &order[..8]));
    assert!(receipt.text.starts_with("Payé : 49,90\u{a0}€ (Complet)."), "{}", receipt.text);

    // The return page now opens the course through the usual login.
    let back = visitor.get(&format!("/checkout/{order}")).body;
    assert!(back.contains("data-order-status=\"paid\"") && back.contains("/api/order_login"), "{back}");
    let r = visitor.post("/api/order_login", &[("id", &order)]);
    assert!(r.location().starts_with("/login/code?email="), "{}", r.location());
    let code = app.latest_mail(&buyer).code();
    let next = format!("/courses/payant/lessons/{lesson}");
    let r = visitor.post("/api/verify_code", &[("email", &buyer), ("code", &code), ("next", &next)]);
    assert_eq!(r.location(), next);
    assert!(visitor.get(&next).body.contains("Bonjour"));

    // A replayed event changes nothing.
    let events = standin().call("GET", "/_standin/events");
    let event = events.as_array().unwrap().iter().rev().find(|e| e["data"]["object"]["id"] == session.as_str()).expect("the event")["id"].as_str().unwrap().to_string();
    let mails = app.mails(&buyer).len();
    let again = standin().call("POST", &format!("/_standin/resend/{event}"));
    assert_eq!(again["webhook_status"], 200);
    assert_eq!(enrollments(app, &buyer, "active"), 1);
    assert_eq!(app.mails(&buyer).len(), mails, "no second receipt");
}

#[test]
fn forged_stale_and_mismatched_webhooks_are_refused_and_grant_nothing() {
    let app = spawn_app();
    let (mut school, _, _, offer) = selling_school(app, "forge", "20");
    let buyer = format!("forge-{}@example.com", school.slug);
    let (_, order, session) = start_checkout(app, &school.slug, offer, &buyer);
    let host = app.school_host(&school.slug);
    let event = |amount: i64| serde_json::json!({
        "id": format!("evt_forged_{amount}_{}", school.slug), "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "client_reference_id": order, "amount_total": amount, "currency": "eur", "payment_status": "paid", "payment_intent": "pi_x"}}
    }).to_string();
    let post = |body: &str, signature: &str| {
        let mut c = app.client(&host);
        c.headers.push(("stripe-signature".into(), signature.into()));
        c.post_raw("/hooks/stripe", "application/json", body)
    };
    let now = now_ms() / 1000;
    // Signed with another secret, unsigned, or signed long ago: refused.
    let body = event(2000);
    assert_eq!(post(&body, &stripe_signature(&body, "whsec_someone_else_000000", now)).status, 400);
    assert_eq!(post(&body, "").status, 400);
    assert_eq!(post(&body, &stripe_signature(&body, STANDIN_WEBHOOK_SECRET, now - 3600)).status, 400);
    // Correctly signed but for a different amount: recorded, nothing granted.
    let cheap = event(1);
    let r = post(&cheap, &stripe_signature(&cheap, STANDIN_WEBHOOK_SECRET, now));
    assert_eq!((r.status, r.body.as_str()), (200, "amount mismatch"));
    assert_eq!(app.sql_rows(&format!("SELECT status FROM orders WHERE id = '{order}'"))[0]["status"], "pending");
    assert_eq!(enrollments(app, &buyer, "active"), 0);
    // The explainer tells the creator why: the payment was never finalised.
    let why = school.owner.get(&format!("/admin/explain?email={buyer}&course=forge")).body;
    assert!(why.contains("n’a jamais été finalisé"), "{why}");
    // Signed by Stripe's own library (npm `stripe`): accepted, and settles the order.
    let right = event(2000);
    let header = stripe_library_signature(&right, STANDIN_WEBHOOK_SECRET);
    let r = post(&right, &header);
    assert_eq!((r.status, r.body.as_str()), (200, "paid"), "{header}");
    assert_eq!(enrollments(app, &buyer, "active"), 1);
}

#[test]
fn duplicate_webhooks_at_once_make_one_order_one_enrollment_one_receipt() {
    let app = spawn_app();
    let (school, _, _, offer) = selling_school(app, "doublon", "15");
    let buyer = format!("double-{}@example.com", school.slug);
    let (_, order, session) = start_checkout(app, &school.slug, offer, &buyer);
    let body = serde_json::json!({
        "id": format!("evt_dup_{}", school.slug), "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "client_reference_id": order, "amount_total": 1500, "currency": "eur", "payment_status": "paid", "payment_intent": "pi_dup"}}
    })
    .to_string();
    let header = stripe_signature(&body, STANDIN_WEBHOOK_SECRET, now_ms() / 1000);
    let host = app.school_host(&school.slug);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (body, header, host) = (body.clone(), header.clone(), host.clone());
            std::thread::spawn(move || {
                let mut c = spawn_app().client(&host);
                c.headers.push(("stripe-signature".into(), header));
                c.post_raw("/hooks/stripe", "application/json", &body).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(app.sql_count(&format!("SELECT COUNT(*) AS n FROM payment_events WHERE id = 'evt_dup_{}'", school.slug)), 1);
    assert_eq!(enrollments(app, &buyer, "active"), 1);
    assert_eq!(app.mails(&buyer).len(), 1, "one receipt");
}

#[test]
fn a_full_refund_ends_the_access_it_gave() {
    let app = spawn_app();
    let (school, _, _, offer) = selling_school(app, "rembourse", "30");
    let buyer = format!("rembourse-{}@example.com", school.slug);
    let (_, order, session) = start_checkout(app, &school.slug, offer, &buyer);
    standin().call("POST", &format!("/_standin/pay/{session}"));
    assert_eq!(enrollments(app, &buyer, "active"), 1);
    let intent = app.sql_rows(&format!("SELECT payment_intent FROM orders WHERE id = '{order}'"))[0]["payment_intent"].as_str().unwrap().to_string();
    let r = ureq::post(&format!("{}/v1/refunds", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).send_form(&[("payment_intent", &intent)]);
    assert!(r.is_ok());
    assert_eq!(app.sql_rows(&format!("SELECT status FROM orders WHERE id = '{order}'"))[0]["status"], "refunded");
    assert_eq!(enrollments(app, &buyer, "active"), 0);
    assert_eq!(enrollments(app, &buyer, "revoked"), 1);
}

#[test]
fn a_refund_keeps_the_access_when_the_offer_says_so() {
    let app = spawn_app();
    let (school, _, _, offer) = selling_school_with(app, "garde", "30", false);
    let buyer = format!("garde-{}@example.com", school.slug);
    let (_, order, session) = start_checkout(app, &school.slug, offer, &buyer);
    standin().call("POST", &format!("/_standin/pay/{session}"));
    let intent = app.sql_rows(&format!("SELECT payment_intent FROM orders WHERE id = '{order}'"))[0]["payment_intent"].as_str().unwrap().to_string();
    ureq::post(&format!("{}/v1/refunds", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).send_form(&[("payment_intent", &intent)]).unwrap();
    assert_eq!(app.sql_rows(&format!("SELECT status FROM orders WHERE id = '{order}'"))[0]["status"], "refunded");
    assert_eq!(enrollments(app, &buyer, "active"), 1, "refunded, access kept");
}

#[test]
fn another_schools_orders_and_keys_are_out_of_reach() {
    let app = spawn_app();
    let (mine, _, _, offer) = selling_school(app, "a-moi", "10");
    let (_, order, session) = start_checkout(app, &mine.slug, offer, &format!("x-{}@example.com", mine.slug));
    let (theirs, _, _, _) = selling_school(app, "chez-eux", "10");
    // My order's page is not theirs to show.
    let mut c = app.client(&app.school_host(&theirs.slug));
    assert_eq!(c.get(&format!("/checkout/{order}")).status, 404);
    // An event about my order sent to their endpoint (same stand-in secret) settles nothing.
    let body = serde_json::json!({
        "id": format!("evt_cross_{}", theirs.slug), "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session, "client_reference_id": order, "amount_total": 1000, "currency": "eur", "payment_status": "paid"}}
    })
    .to_string();
    c.headers.push(("stripe-signature".into(), stripe_signature(&body, STANDIN_WEBHOOK_SECRET, now_ms() / 1000)));
    let r = c.post_raw("/hooks/stripe", "application/json", &body);
    assert_eq!((r.status, r.body.as_str()), (200, "unknown order"));
    assert_eq!(app.sql_rows(&format!("SELECT status FROM orders WHERE id = '{order}'"))[0]["status"], "pending");
    // A school without an account has no endpoint.
    let plain = open_school(app);
    let mut p = app.client(&app.school_host(&plain.slug));
    assert_eq!(p.post_raw("/hooks/stripe", "application/json", "{}").status, 404);
}

#[test]
fn keys_are_checked_and_a_price_needs_an_account() {
    let app = spawn_app();
    let mut school = open_school(app);
    for (key, secret, error) in [("pk_test_123456789012345", STANDIN_WEBHOOK_SECRET, "stripe_key_invalid"), (SECRET_KEY, "secret", "stripe_webhook_secret_invalid")] {
        let r = school.owner.post("/admin/api/save_payment_settings", &[("secret_key", key), ("webhook_secret", secret), ("currency", "EUR")]);
        assert!(r.location().contains(&format!("error={error}")) && !r.location().contains(key), "{}", r.location());
    }
    let course = school.create_course("Sans compte", "sans-compte", "published");
    let r = school.owner.post(
        "/admin/api/save_offer",
        &[("course_id", &course.to_string()), ("offer_id", ""), ("name", "Payant"), ("summary", ""), ("price", "10"), ("access_kind", "forever"), ("access_days", ""), ("access_until", ""), ("seats", ""), ("open", "on")],
    );
    assert!(r.location().contains("error=offer_paid_needs_payments"), "{}", r.location());
}

#[test]
fn coupons_lower_the_price_on_the_server_within_their_rules() {
    let app = spawn_app();
    let (mut school, _, _, offer) = selling_school(app, "promo", "50");
    let save = |school: &mut School, code: &str, kind: &str, value: &str, offer_id: &str, expires: &str, uses: &str| {
        school.owner.post("/admin/api/save_coupon", &[("code", code), ("kind", kind), ("value", value), ("offer_id", offer_id), ("expires", expires), ("max_uses", uses)]).location()
    };
    assert_eq!(save(&mut school, "rentree-20", "percent", "20", "", "", "1"), "/admin/settings?ok=coupon_saved#coupons");
    assert!(save(&mut school, "RENTREE-20", "amount", "5", "", "", "").contains("error=coupon_code_taken"));
    assert!(save(&mut school, "TROP", "percent", "120", "", "", "").contains("error=coupon_percent_invalid"));
    save(&mut school, "VIEUX", "amount", "5", "", "2020-01-31", "");
    save(&mut school, "AUTRE", "amount", "5", &(offer + 1000).to_string(), "", "");
    save(&mut school, "GRATUIT", "percent", "100", "", "", "");
    let settings = school.owner.get("/admin/settings").body;
    assert!(settings.contains("RENTREE-20") && settings.contains("−20\u{a0}%"), "the list shows the coupon");

    let host = app.school_host(&school.slug);
    let buyer = format!("promo-{}@example.com", school.slug);
    let try_coupon = |code: &str| {
        let mut c = app.client(&host);
        c.post("/api/checkout", &[("offer_id", &offer.to_string()), ("email", &buyer), ("coupon", code)]).location()
    };
    for (code, error) in [("NOPE", "coupon_unknown"), ("VIEUX", "coupon_expired"), ("GRATUIT", "coupon_too_large")] {
        let to = try_coupon(code);
        assert!(to.contains(&format!("error={error}")) && to.contains("email="), "{code}: {to}");
    }
    // The 20 % coupon: the session is for 40,00 €, the order keeps the discount.
    let to = try_coupon(" rentree-20 ");
    let session = to.rsplit('/').next().unwrap().to_string();
    let s = ureq::get(&format!("{}/v1/checkout/sessions/{session}", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).call().unwrap().into_string().unwrap();
    let s: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["amount_total"], 4000, "{s}");
    let row = &app.sql_rows(&format!("SELECT amount_minor, discount_minor FROM orders WHERE provider_session = '{session}'"))[0];
    assert_eq!((row["amount_minor"].as_i64(), row["discount_minor"].as_i64()), (Some(4000), Some(1000)));
    standin().call("POST", &format!("/_standin/pay/{session}"));
    assert_eq!(enrollments(app, &buyer, "active"), 1);
    // One use allowed, one used.
    assert!(try_coupon("RENTREE-20").contains("error=coupon_used_up"));
}

#[test]
fn the_sales_page_and_its_csv_add_up_paid_orders_refunds_and_coupons_for_the_owner_only() {
    let app = spawn_app();
    let (mut school, _, _, offer) = selling_school(app, "ventes", "25");
    school.owner.post("/admin/api/save_coupon", &[("code", "MOINS5"), ("kind", "amount"), ("value", "5"), ("offer_id", ""), ("expires", ""), ("max_uses", "")]);
    let host = app.school_host(&school.slug);
    let mut paid = vec![];
    for (i, coupon) in ["", "MOINS5", ""].iter().enumerate() {
        let email = format!("client{i}-{}@example.com", school.slug);
        let mut c = app.client(&host);
        let to = c.post("/api/checkout", &[("offer_id", &offer.to_string()), ("email", &email), ("coupon", coupon)]).location();
        let session = to.rsplit('/').next().unwrap().to_string();
        standin().call("POST", &format!("/_standin/pay/{session}"));
        paid.push((email, session));
    }
    // One refunded, one left pending (never paid).
    let intent = app.sql_rows(&format!("SELECT payment_intent FROM orders WHERE provider_session = '{}'", paid[2].1))[0]["payment_intent"].as_str().unwrap().to_string();
    ureq::post(&format!("{}/v1/refunds", standin().url())).set("authorization", &format!("Bearer {SECRET_KEY}")).send_form(&[("payment_intent", &intent)]).unwrap();
    start_checkout(app, &school.slug, offer, &format!("pending-{}@example.com", school.slug));

    let page = school.owner.get("/admin/sales?period=month").body;
    // 25 + 20 paid (the refunded one is a refund, not revenue).
    assert!(page.contains("45,00\u{a0}€") && page.contains("2 commandes payées") && page.contains("Remboursements : 1 (25,00\u{a0}€)"), "{page}");
    assert!(page.contains("MOINS5") && page.contains("5,00\u{a0}€") && page.contains("<svg"), "coupon use and the chart");
    assert!(page.contains("En attente") && page.contains(&format!("pending-{}@example.com", school.slug)), "the latest orders, pending included");
    let csv = school.owner.get("/admin/sales.csv");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 5, "a header and four orders: {}", csv.body);
    assert!(csv.body.contains(";20.00;5.00;EUR;paid;MOINS5;"), "{}", csv.body);
    // The student's page lists their order.
    let student = school.student_id(&paid[1].0);
    assert!(school.owner.get(&format!("/admin/students/{student}")).body.contains("id=\"orders\""));
    // An assistant manages students, not money.
    let (_, mut assistant) = school.team_member(app, "assistant", "assistant");
    assert_eq!(assistant.get("/admin/sales.csv").status, 403);
    assert!(!assistant.get("/admin/sales").body.contains("45,00"));
}
