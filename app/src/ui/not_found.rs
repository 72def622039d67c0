use crate::ui::layout::tr;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::kernel::fns::set_status(404);
    view! { <section class="card"><PageTitle text=tr("not_found")/><h1>{tr("not_found")}</h1><p><a href="/">"← Atelier"</a></p></section> }
}
