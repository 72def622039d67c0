use crate::components::layout::tr;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::ssr::set_status(404);
    view! { <section class="card"><h1>{tr("not_found")}</h1><p><a href="/">"← Atelier"</a></p></section> }
}
