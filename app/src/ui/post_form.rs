//! Every state-changing form. Browsers send `Origin` with a POST, which the worker checks;
//! the hidden form token covers the ones that do not (old browsers, privacy tools): it must
//! match the `__Host-` form-token cookie, which another site can neither read nor set.

use crate::ui::layout::viewer;
use leptos::prelude::*;

/// The hidden field's name, read by the worker's guard.
pub const CSRF_FIELD: &str = "csrf";

#[component]
pub fn PostForm(
    #[prop(into)] action: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action class=class id=id>
            <input type="hidden" name=CSRF_FIELD value=viewer().csrf/>
            {children()}
        </form>
    }
}
