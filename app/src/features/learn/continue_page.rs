//! `/courses/:slug/continue`: where the student left off (the lesson last opened, or the
//! first open one not done), the destination of emails whose lesson is decided when they
//! are opened. A logged-out student logs in first and comes back here.

use crate::features::learn::api::continue_course;
use crate::ui::notice::ErrorPage;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ContinuePage() -> impl IntoView {
    let params = use_params_map();
    let target = crate::ui::page_data::page_data(move || params.read().get("slug").unwrap_or_default(), continue_course);
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match target.await {
                    Ok(path) => view! { <leptos_router::components::Redirect path=crate::kernel::next::safe_next(&path).unwrap_or("/").to_string()/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
