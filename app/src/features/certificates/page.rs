//! One page for two addresses. `/certificates/:id`: a certificate's public page — the
//! sentence that verifies it, the sheet, its PDF, and for its student the ways to share it.
//! `/courses/:slug/completed`: the course is finished — congratulations, and the certificate
//! (not finished yet: back to the course).

use crate::features::certificates::api::load_certificate;
use crate::features::certificates::types::{CertificateView, Completion};
use crate::ui::layout::tr;
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CertificatePage() -> impl IntoView {
    let params = use_params_map();
    let (id, course) = params.with_untracked(|p| (p.get("id"), p.get("slug")));
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match load_certificate(id, course).await {
                    Ok(p) => match (p.completion, p.certificate) {
                        (Some(c), _) if !c.finished => view! { <leptos_router::components::Redirect path=format!("/courses/{}", c.slug)/> }.into_any(),
                        (Some(c), certificate) => view! { <CompletionView c certificate/> }.into_any(),
                        (None, Some(c)) => view! {
                            <section class="card certificate-page">
                                <PageTitle text=format!("{} – {}", tr("certificate"), c.course_title)/>
                                <h1>{tr("certificate")}</h1>
                                <p class="certificate-statement" role="status"><span class="verified" aria-hidden="true">"✓ "</span>{c.statement.clone()}</p>
                                {c.updated.clone().map(|u| view! { <p class="muted">{u}</p> })}
                                <CertificateSheet c=c.clone()/>
                                <p class="muted">{tr("certificate_issued_by").replace("{school}", &c.school_name)}" · "<a href=c.course_href.clone()>{c.course_title.clone()}</a></p>
                            </section>
                        }.into_any(),
                        (None, None) => view! { <ErrorPage error=crate::kernel::error::AppError::NotFound/> }.into_any(),
                    },
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Congratulations, and the certificate when the course gives one.
#[component]
fn CompletionView(c: Completion, certificate: Option<CertificateView>) -> impl IntoView {
    let hello = if c.first_name.is_empty() { tr("completion_title").to_string() } else { tr("completion_title_name").replace("{name}", &c.first_name) };
    view! {
        <section class="card completion">
            <PageTitle text=format!("{} – {}", tr("completion_title"), c.course_title)/>
            // A medal drawn as SVG (a phone without an emoji font still shows it).
            <svg class="completion-mark" aria-hidden="true" width="64" height="64" viewBox="0 0 64 64"><path d="M20 4h10l6 18H26zM44 4H34l-6 18h10z" fill="#e0b64a"/><circle cx="32" cy="40" r="18" fill="#f2c94c" stroke="#c99a2e" stroke-width="3"/><path d="M24 40l6 6 11-12" fill="none" stroke="#7a5a12" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>
            <h1>{hello}</h1>
            <p class="lead">{tr("completion_lead").replace("{course}", &c.course_title)}</p>
            <Notice/>
            {match certificate {
                Some(cert) => {
                    let public = format!("/certificates/{}", cert.id);
                    view! {
                        <h2>{tr("certificate_yours")}</h2>
                        <CertificateSheet c=cert/>
                        <p><a href=public>{tr("certificate_public_page")}</a></p>
                    }.into_any()
                }
                None => view! { <p class="muted">{tr("completion_no_certificate")}</p> }.into_any(),
            }}
            <p><a href="/">{tr("completion_back")}</a>" · "<a href=format!("/courses/{}", c.slug)>{tr("completion_course")}</a></p>
        </section>
    }
}

/// The sheet (drawn on the server from escaped text) and what can be done with it: the PDF,
/// and for its student the address to share, LinkedIn, and their name when it is missing.
#[component]
pub fn CertificateSheet(c: CertificateView) -> impl IntoView {
    let own = c.own;
    let name_link = format!("/account?next={}#profile", crate::kernel::url::encode(&format!("/certificates/{}", c.id)));
    view! {
        {(own && c.name_missing).then(|| view! {
            <p class="notice" id="name">{tr("certificate_name_lead")}" "<a href=name_link>{tr("certificate_name_add")}</a></p>
        })}
        <figure class="certificate" inner_html=c.svg></figure>
        <p class="actions">
            <a class="button" href=c.pdf_href download="">{tr("certificate_download_pdf")}</a>
            {own.then(|| view! { <a class="button secondary" href=c.linkedin_href rel="noopener" target="_blank">{tr("certificate_linkedin")}</a> })}
        </p>
        {own.then(|| view! {
            <p>
                <label for="certificate-url">{tr("certificate_share")}</label>
                <input id="certificate-url" type="url" readonly=true value=c.url/>
            </p>
        })}
    }
}
