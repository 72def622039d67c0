//! The login code field. Without JavaScript it is a plain numeric input; as an island it
//! submits the form as soon as 8 digits are there (typed, pasted or autofilled from SMS/mail
//! suggestions), which saves a tap on a phone. A code typed before the script ran (a slow
//! phone network) is submitted as soon as the island wakes up.

use leptos::prelude::*;

#[island]
pub fn CodeInput(label: String) -> impl IntoView {
    let field = NodeRef::<leptos::html::Input>::new();
    let on_input = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        submit_when_complete(field.get_untracked());
    };
    // Effects run only in the browser: the attribute tells that the island is live.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        #[cfg(feature = "hydrate")]
        submit_when_complete(field.get_untracked());
    });
    view! {
        <label>{label}
            <input node_ref=field name="code" required inputmode="numeric" pattern="[0-9 ]{8,9}" maxlength="9"
                autocomplete="one-time-code" class="code" autofocus on:input=on_input
                data-live=move || live.get().then_some("1")/>
        </label>
    }
}

/// Sends the form once the field holds a whole code, whatever spaces were typed with it.
#[cfg(feature = "hydrate")]
fn submit_when_complete(input: Option<web_sys::HtmlInputElement>) {
    let Some(input) = input else { return };
    let digits = input.value().chars().filter(|c| c.is_ascii_digit()).count();
    if digits == crate::kernel::token::LOGIN_CODE_DIGITS {
        if let Some(form) = input.form() {
            let _ = form.request_submit();
        }
    }
}
