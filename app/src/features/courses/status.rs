//! A course's or lesson's status as the creator's pages show and choose it.

use crate::ui::layout::tr;
use crate::kernel::access::Status;
use leptos::prelude::*;

pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Draft => tr("draft"),
        Status::Published => tr("published"),
    }
}

/// Draft / published choice shared by the course and lesson forms.
#[component]
pub fn StatusSelect(published: bool) -> impl IntoView {
    view! {
        <label>{tr("status")}
            <select name="status">
                <option value="draft" selected=!published>{tr("draft")}</option>
                <option value="published" selected=published>{tr("published")}</option>
            </select>
        </label>
    }
}
