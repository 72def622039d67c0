//! How an assignment's link answer is shown, to the student and to the reviewer.

use leptos::prelude::*;

/// An answer's link with the host it really goes to; a link stored before links were checked
/// and that fails the check now is shown as text, not as a link.
#[component]
pub fn AnswerLink(link: String) -> impl IntoView {
    match crate::features::tasks::weblink::WebLink::parse(&link) {
        Some(web) => view! {
            <p class="answer-link"><a href=web.as_str().to_string() rel="noopener noreferrer nofollow" target="_blank">{web.as_str().to_string()}</a>" "<span class="muted">{format!("({})", web.host())}</span></p>
        }
        .into_any(),
        None if link.is_empty() => ().into_any(),
        None => view! { <p class="answer-link muted">{link}</p> }.into_any(),
    }
}
