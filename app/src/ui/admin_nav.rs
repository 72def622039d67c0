//! The admin's navigation on every page under `/admin`: a sidebar on a desktop, a menu on a
//! phone (a `<details>`: no script needed), each section shown to those allowed in it, the
//! one you are in marked (`aria-current`).

use crate::kernel::access::Permission;
use crate::ui::layout::{tr, viewer};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// (label key, address, who may use it: `None` for the whole team).
pub const SECTIONS: [(&str, &str, Option<Permission>); 8] = [
    ("admin_nav_overview", "/admin", None),
    ("admin_nav_courses", "/admin/courses", Some(Permission::ManageCourses)),
    ("students", "/admin/students", Some(Permission::ManageStudents)),
    ("sales_title", "/admin/sales", Some(Permission::ManageSettings)),
    ("reviews", "/admin/reviews", Some(Permission::ReviewAssignments)),
    ("admin_nav_reports", "/admin/reports", Some(Permission::ManageCourses)),
    ("team", "/admin/team", Some(Permission::ManageTeam)),
    ("settings", "/admin/settings", Some(Permission::ManageSettings)),
];

/// The section a page belongs to (its address in `SECTIONS`): a course's report is under
/// Reports, imports and "why can't they see it?" under Students, the rest under the longest
/// matching address.
pub fn section_of(path: &str) -> &'static str {
    let path = path.trim_end_matches('/');
    if path.starts_with("/admin/courses/") && path.ends_with("/report") {
        return "/admin/reports";
    }
    if path.starts_with("/admin/imports") || path.starts_with("/admin/explain") {
        return "/admin/students";
    }
    SECTIONS
        .iter()
        .map(|(_, href, _)| *href)
        .filter(|href| path == *href || path.starts_with(&format!("{href}/")))
        .max_by_key(|href| href.len())
        .unwrap_or("/admin")
}

#[component]
pub fn AdminNav(path: String) -> impl IntoView {
    let v = viewer();
    let current = section_of(&path);
    let links = move || {
        SECTIONS
            .iter()
            .filter(|(_, _, p)| p.is_none_or(|p| v.may(p)))
            .map(|(key, href, _)| {
                let here = *href == current;
                view! { <li><a href=*href aria-current=here.then_some("page")>{tr(key)}</a></li> }
            })
            .collect_view()
    };
    let label = tr("admin_nav");
    let here = SECTIONS.iter().find(|(_, href, _)| *href == current).map(|(key, _, _)| tr(key)).unwrap_or_default();
    view! {
        <nav class="admin-sidebar" aria-label=label><ul>{links.clone()()}</ul></nav>
        <details class="admin-menu">
            <summary>{tr("admin_menu")}" · "{here}</summary>
            <nav aria-label=label><ul>{links()}</ul></nav>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_belongs_to_its_section() {
        for (path, section) in [
            ("/admin", "/admin"),
            ("/admin/", "/admin"),
            ("/admin/courses/12", "/admin/courses"),
            ("/admin/courses/12/lessons/3", "/admin/courses"),
            ("/admin/courses/12/report", "/admin/reports"),
            ("/admin/students/bulk/ab", "/admin/students"),
            ("/admin/imports/xy", "/admin/students"),
            ("/admin/explain", "/admin/students"),
            ("/admin/settings", "/admin/settings"),
            ("/admin/sales", "/admin/sales"),
        ] {
            assert_eq!(section_of(path), section, "{path}");
        }
    }
}

/// Where an admin page sits, above its title: its section (from its address, as the
/// navigation marks it), the pages between (`trail`: label and address), then the page
/// itself (`here`, `aria-current="page"`). Sections' own pages have none: the navigation
/// already says where they are.
#[component]
pub fn Crumbs(#[prop(optional)] trail: Vec<(String, String)>, #[prop(into)] here: String) -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let section = section_of(&path);
    let root = SECTIONS.iter().find(|(_, href, _)| *href == section).map(|(key, href, _)| (tr(key).to_string(), href.to_string()));
    let items: Vec<(String, String)> = root.into_iter().chain(trail).collect();
    view! {
        <nav class="crumbs" aria-label=tr("breadcrumbs")>
            <ol>
                {items.into_iter().map(|(label, href)| view! { <li><a href=href>{label}</a></li> }).collect_view()}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}
