//! The school's look and its own domain (issue 18, item 5) through the real worker: colours
//! refused with their contrast when white text on them would be unreadable (what was typed
//! kept), applied to the school's pages, embeds and emails; the welcome text on the home page
//! (Markdown made safe); a custom domain that serves the school, its DNS record, and the
//! platform's 404 for a host nobody has.

use atelier_tests::*;

fn look(school: &mut School, brand: &str, header: &str, welcome: &str) -> Response {
    school.owner.post("/admin/api/save_look", &[("brand_color", brand), ("header_color", header), ("welcome_md", welcome)])
}

fn look_with(school: &mut School, form: &[(&str, &str)]) -> Response {
    school.owner.post("/admin/api/save_look", form)
}

#[test]
fn colours_that_make_text_unreadable_are_refused_and_good_ones_reach_every_page() {
    let app = spawn_app();
    let mut school = open_school(app);
    let course = school.create_course("Aquarelle", "aquarelle", "published");
    let lesson = school.create_lesson(course, "Les pinceaux", "Un.", "published");
    let embed = school.make_trial(course, lesson);

    // Yellow buttons with white text: refused, with its contrast; nothing saved.
    let r = look(&mut school, "#ffcc00", "", "Bonjour");
    assert!(r.location().contains("error=color_unreadable") && r.location().contains("which=brand_color"), "{}", r.location());
    let page = school.owner.get(&r.location()).body;
    assert!(page.contains("avec du texte blanc, #ffcc00 n’a qu’un contraste de 1,5:1 ; il faut au moins 4,5:1 (WCAG AA)"), "the reason, with figures");
    assert!(page.contains("value=\"#ffcc00\"") && page.contains(">Bonjour</textarea>"), "what was typed stays");
    let r = look(&mut school, "#2d5bd7", "#eeeeee", "");
    assert!(r.location().contains("which=header_color"), "{}", r.location());
    assert!(look(&mut school, "bleu", "", "").location().contains("error=brand_color_invalid"));
    assert!(look(&mut school, "#2d5bd7", "", &"x".repeat(1001)).location().contains("error=welcome_too_long"));
    let visitor_home = app.client(&app.school_host(&school.slug)).get("/").body;
    assert!(!visitor_home.contains("#ffcc00") && !visitor_home.contains("header.top{background"), "nothing was saved");

    // Good colours and a welcome: on the school's pages (a visitor's and a student's).
    let r = look(&mut school, "#8A3B12", "#1F2A44", "Bienvenue **chez nous** <script>alert(1)</script>");
    assert_eq!(r.location(), "/admin/settings?ok=look_saved#look");
    let mut visitor = app.client(&app.school_host(&school.slug));
    let home = visitor.get("/").body;
    assert!(home.contains(":root{--accent:#8a3b12}"), "buttons and links");
    assert!(home.contains("header.top{background:#1f2a44"), "the header band");
    assert!(home.contains("<strong>chez nous</strong>") && home.contains("&lt;script&gt;") && !home.contains("<script>alert(1)"), "the welcome, made safe");
    let course_page = visitor.get("/courses/aquarelle").body;
    assert!(course_page.contains(":root{--accent:#8a3b12}"));
    // The embed, and the emails.
    assert!(visitor.get(&format!("/embed/{embed}")).body.contains("#8a3b12"), "the embedded lesson");
    let email = format!("invite-{}@example.com", school.slug);
    school.add_student(course, &email, true);
    let mail = app.latest_mail(&email);
    assert!(mail.html.contains("background:#8a3b12") && !mail.html.contains("#2d5bd7"), "the invitation's button");
    // The settings page previews both.
    let settings = school.owner.get("/admin/settings").body;
    assert!(settings.contains("background:#1f2a44;color:#fff") && settings.contains("background:#8a3b12"));
    // A cover for the home page: an uploaded picture, at the top; taken off by the form.
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.resize(2048, 7);
    let r = school.owner.post_file("/admin/files/school_cover", "file", "couverture.png", &png);
    assert!(r.location().ends_with("/admin/settings?ok=school_cover_saved#look"), "{} {}", r.location(), r.body);
    let home = visitor.get("/").body;
    let at = home.find("class=\"school-cover\"").expect("the cover on the home page");
    let tag = &home[home[..at].rfind("<img").unwrap()..at];
    let cover = tag.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("its picture").to_string();
    assert_eq!(visitor.get(&cover).status, 200, "the picture is served");
    assert!(school.owner.get("/admin/settings").body.contains("class=\"look-cover\""), "and previewed");
    look_with(&mut school, &[("brand_color", "#8a3b12"), ("header_color", "#1f2a44"), ("welcome_md", "x"), ("remove_cover", "on")]);
    assert!(!visitor.get("/").body.contains("school-cover"), "taken off");
    // Without a header colour, the header is white again.
    look(&mut school, "#8a3b12", "", "");
    let home = visitor.get("/").body;
    assert!(!home.contains("header.top{background") && !home.contains("class=\"welcome"));
}

#[test]
fn a_custom_domain_serves_the_school_and_unknown_hosts_get_the_platforms_404() {
    let app = spawn_app();
    let mut school = open_school(app);
    school.create_course("Céramique", "ceramique", "published");
    let domain = format!("learn-{}.example.com", school.slug);

    // Refused spellings, then the domain; the page shows the record to add.
    for (typed, error) in [("https://learn", "domain_invalid"), ("learn", "domain_invalid"), (&*format!("x.{}", app.school_host(&school.slug).split(':').next().unwrap()), "domain_ours")] {
        let r = school.owner.post("/admin/api/save_domain", &[("custom_domain", typed)]);
        assert!(r.location().contains(&format!("error={error}")), "{typed}: {}", r.location());
    }
    let r = school.owner.post("/admin/api/save_domain", &[("custom_domain", &format!("https://{}/", domain.to_uppercase()))]);
    assert_eq!(r.location(), "/admin/settings?ok=domain_saved#domain");
    // (Leptos leaves `<!>` markers after text.)
    let settings = school.owner.get("/admin/settings").body.replace("<!>", "");
    assert!(settings.contains("<td>CNAME</td>") && settings.contains(&format!("<code>{domain}</code>")) && settings.contains(&format!("<code>{}.localhost</code>", school.slug)), "the DNS record: {}", settings.split("id=\"domain\"").nth(1).unwrap_or("").chars().take(1500).collect::<String>());

    // Requests for that host are the school's: its pages, and its forms (Origin: the domain).
    let port = app.school_host(&school.slug).rsplit(':').next().unwrap().to_string();
    let mut visitor = app.client(&format!("{domain}:{port}"));
    let home = visitor.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Céramique"), "the school's catalogue");
    assert_eq!(visitor.get("/courses/ceramique").status, 200);
    let student = format!("eleve-{}@example.com", school.slug);
    let tour = school.create_course("Tour", "tour", "published");
    school.add_student(tour, &student, false);
    let r = visitor.post("/api/request_login", &[("email", &student)]);
    assert!(r.status == 303 || r.status == 200, "a form posted on the domain is accepted: {} {}", r.status, r.location());
    assert_ne!(r.status, 403);
    // Another school cannot take it.
    let mut other = open_school(app);
    assert!(other.owner.post("/admin/api/save_domain", &[("custom_domain", &domain)]).location().contains("error=domain_taken"));

    // A host nobody has: the platform's 404, not a school and not an error.
    let mut stranger = app.client(&format!("nobody-{}.example.org:{port}", school.slug));
    let r = stranger.get("/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Cette école n’existe pas") || r.body.contains("This school does not exist"), "{}", r.body);
    // A forged internal header changes nothing.
    stranger.headers.push(("x-atelier-custom-host".into(), domain.clone()));
    assert_eq!(stranger.get("/").status, 404);

    // Removed: the domain is nobody's again.
    school.owner.post("/admin/api/save_domain", &[("custom_domain", "")]);
    assert_eq!(visitor.get("/").status, 404);
}

/// With Cloudflare for SaaS set up (the stand-in here), a saved domain is registered there
/// first: the page shows the records Cloudflare asks for and where the domain stands; it goes
/// live when they are in place (checked by the creator, or by the hourly cron); a change or
/// a removal deletes the old registration; a domain Cloudflare refuses, or cannot be asked
/// about, is not saved and the previous one stays.
#[test]
fn a_custom_domain_is_registered_at_cloudflare_and_goes_live_once_its_records_are_in_place() {
    let app = spawn_app();
    let mut school = open_school(app);
    let slug = school.slug.clone();
    let registered = |name: &str| -> Vec<serde_json::Value> {
        standin().call("GET", "/_standin/hostnames").as_array().cloned().unwrap_or_default().into_iter().filter(|h| h["hostname"] == name).collect()
    };
    let domain_card = |owner: &mut Client| owner.get("/admin/settings").body.replace("<!>", "").split("id=\"domain\"").nth(1).unwrap_or("").split("</section>").next().unwrap_or("").to_string();

    let domain = format!("learn-{slug}.example.com");
    let r = school.owner.post("/admin/api/save_domain", &[("custom_domain", &domain)]);
    assert_eq!(r.location(), "/admin/settings?ok=domain_saved#domain");
    let at_cloudflare = registered(&domain);
    assert_eq!(at_cloudflare.len(), 1, "registered once");
    assert_eq!(at_cloudflare[0]["token"], SAAS_API_TOKEN, "with the platform's token");
    assert_eq!(at_cloudflare[0]["zone"], SAAS_ZONE_ID);
    assert_eq!(at_cloudflare[0]["ssl"]["method"], "http");
    let txt_value = at_cloudflare[0]["ownership_verification"]["value"].as_str().unwrap().to_string();
    let card = domain_card(&mut school.owner);
    assert!(card.contains("data-domain-state=\"waiting\"") && card.contains("En attente du DNS"), "waiting: {card}");
    assert!(card.contains("<td>CNAME</td>") && card.contains(&format!("<code>_cf-custom-hostname.{domain}</code>")) && card.contains(&format!("<code>{txt_value}</code>")), "the CNAME and Cloudflare's TXT record: {card}");
    assert!(card.contains("data-check-domain"), "a check button");

    // Checked before the records are there: still waiting; once they are: live.
    assert_eq!(school.owner.post("/admin/api/save_domain", &[("custom_domain", &domain)]).location(), "/admin/settings?ok=domain_still_waiting#domain");
    standin().call("POST", &format!("/_standin/hostnames/{domain}/activate"));
    assert_eq!(school.owner.post("/admin/api/save_domain", &[("custom_domain", &domain)]).location(), "/admin/settings?ok=domain_live#domain");
    let card = domain_card(&mut school.owner);
    assert!(card.contains("data-domain-state=\"live\"") && card.contains("En ligne") && !card.contains("data-check-domain"), "live: {card}");

    // Refused by Cloudflare, or Cloudflare unreachable: nothing changes.
    for (typed, error) in [(format!("{slug}.refused.test"), "domain_provider_refused"), (format!("{slug}.down.test"), "domain_provider_down")] {
        let r = school.owner.post("/admin/api/save_domain", &[("custom_domain", &typed)]);
        assert!(r.location().contains(&format!("error={error}")), "{typed}: {}", r.location());
        assert!(registered(&typed).is_empty());
        assert!(domain_card(&mut school.owner).contains("data-domain-state=\"live\""), "the previous domain stays");
        assert_eq!(registered(&domain).len(), 1, "and stays registered");
    }

    // Another domain: the old registration is deleted, the new one waits; the hourly cron
    // notices when its records are in place.
    let second = format!("cours-{slug}.example.org");
    assert_eq!(school.owner.post("/admin/api/save_domain", &[("custom_domain", &second)]).location(), "/admin/settings?ok=domain_saved#domain");
    assert!(registered(&domain).is_empty(), "the old domain is no longer registered");
    assert_eq!(registered(&second).len(), 1);
    standin().call("POST", &format!("/_standin/hostnames/{second}/activate"));
    let mut platform = app.client(&app.platform_host());
    assert_eq!(platform.get("/__scheduled?cron=0+*+*+*+*").status, 200);
    assert!(domain_card(&mut school.owner).contains("data-domain-state=\"live\""), "live after the hourly check");

    // Removed: deleted at Cloudflare too.
    school.owner.post("/admin/api/save_domain", &[("custom_domain", "")]);
    assert!(registered(&second).is_empty());
    assert!(!domain_card(&mut school.owner).contains("data-domain-state"));
}

/// A domain saved before Cloudflare for SaaS was set up is only routed; once it is set up,
/// saving the same domain again registers it.
#[test]
fn a_domain_saved_before_cloudflare_for_saas_is_registered_when_saved_again() {
    let app = start_worker_with("dev", &[("CLOUDFLARE_API_TOKEN", "")]);
    let mut school = open_school(&app);
    let earlier = format!("avant-{}.example.net", school.slug);
    assert_eq!(school.owner.post("/admin/api/save_domain", &[("custom_domain", &earlier)]).location(), "/admin/settings?ok=domain_saved#domain");
    let at_cloudflare = || standin().call("GET", "/_standin/hostnames").as_array().cloned().unwrap_or_default().into_iter().filter(|h| h["hostname"] == earlier.as_str()).count();
    assert_eq!(at_cloudflare(), 0, "routed only");
    let app = restart_worker(app, "dev");
    let mut owner = app.client(&app.school_host(&school.slug));
    owner.cookies = school.owner.cookies.clone();
    assert_eq!(owner.post("/admin/api/save_domain", &[("custom_domain", &earlier)]).location(), "/admin/settings?ok=domain_saved#domain");
    assert_eq!(at_cloudflare(), 1, "registered");
    assert!(owner.get("/admin/settings").body.contains("data-domain-state=\"waiting\""));
    app.stop();
}
