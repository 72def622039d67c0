//! Page chrome: school name, language switch, log in / log out. Mobile first.

use crate::kernel::viewer::Viewer;
use crate::kernel::i18n::t;
use crate::ui::post_form::PostForm;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub fn viewer() -> Viewer {
    use_context::<Viewer>().expect("viewer is provided by App")
}

/// Translates a message key in the viewer's language.
pub fn tr(key: &str) -> &'static str {
    t(viewer().locale, key)
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let v = viewer();
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get().is_empty().then(String::new).unwrap_or_else(|| format!("?{}", location.search.get())));
    let other = v.locale.other();
    let brand = v.school.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "Atelier".into());
    let logged_in = v.user.is_some();
    let is_team = v.is_team();
    let on_school = v.school.is_some();
    // The team's pages under /admin get the admin's navigation.
    let path = location.pathname.get_untracked();
    let in_admin = is_team && (path == "/admin" || path.starts_with("/admin/"));
    let style = v.school.as_ref().map(|s| {
        let parse = |c: &Option<String>| c.as_deref().and_then(crate::kernel::color::Rgb::parse);
        (parse(&s.brand_color), parse(&s.header_color))
    });
    view! {
        {style.map(|(brand, header)| view! { <crate::ui::raw_text::SchoolStyle brand header/> })}
        <a class="skip-link" href="#main">{tr("skip_to_content")}</a>
        <header class="top">
            <a class="brand" href="/">
                {v.school.as_ref().and_then(|s| s.logo_url.clone()).map(|src| view! { <img class="logo" src=src alt="" width="32" height="32"/> })}
                {brand}
            </a>
            <nav>
                {is_team.then(|| view! { <a href="/admin">{tr("admin")}</a> })}
                <PostForm action="/api/set_language" class="inline">
                    <input type="hidden" name="lang" value=other.code()/>
                    <input type="hidden" name="back" value=back/>
                    <button type="submit" class="link" lang=other.code()>{tr("switch_language")}</button>
                </PostForm>
                {(on_school && logged_in).then(|| {
                    // The bell: how many notifications wait, on every page (read in the viewer's
                    // own query, no extra round trip).
                    let unread = v.user.as_ref().map_or(0, |u| u.unread);
                    let label = if unread > 0 { crate::kernel::i18n::tn(v.locale, "notifications_unread", unread) } else { tr("notifications").to_string() };
                    view! {
                        <a class="bell" href="/notifications" aria-label=label>
                            <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/></svg>
                            {(unread > 0).then(|| view! { <span class="count" aria-hidden="true" data-unread=unread.to_string()>{unread.min(99).to_string()}</span> })}
                        </a>
                    }
                })}
                {v.user.as_ref().map(|u| view! { <a class="who" href="/account">{u.email.clone()}</a> })}
                {(on_school && logged_in).then(|| view! {
                    <PostForm action="/api/logout" class="inline">
                        <button type="submit" class="link">{tr("logout")}</button>
                    </PostForm>
                })}
                {(on_school && !logged_in).then(|| view! { <a href="/login">{tr("login_title")}</a> })}
            </nav>
        </header>
        <main id="main" tabindex="-1" class:admin=in_admin>
            {if in_admin {
                view! { <div class="admin-shell"><crate::ui::admin_nav::AdminNav path=path/><div class="admin-content">{children()}</div></div> }.into_any()
            } else {
                children().into_any()
            }}
        </main>
    }
}
