//! The shell and the route table: one route per page, each page in its own file.

use crate::kernel::viewer::Viewer;
use crate::ui::layout::Layout;
use crate::features as f;
use leptos::prelude::*;
use crate::ui::raw_text::PageTitle;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The viewer is resolved before routing (worker middleware). Pages render on the server;
    // only islands (small interactive parts) hydrate in the browser.
    let viewer = current_viewer();
    let lang = viewer.locale.code();
    provide_context(viewer);
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/style.css"/>
                <link rel="icon" href="/favicon.ico"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn current_viewer() -> Viewer {
    crate::kernel::request::current().map(|c| c.viewer).unwrap_or_else(|_| anonymous())
}

#[cfg(not(feature = "ssr"))]
fn current_viewer() -> Viewer {
    anonymous()
}

fn anonymous() -> Viewer {
    Viewer { school: None, user: None, locale: Default::default(), platform_url: String::new(), csrf: String::new(), now_ms: 0, in_app: None }
}

// Each Worker routes only its own pages (the student Worker forwards `/admin/*` to the admin
// Worker): the other's pages are a 404 there, and their code is not in its bundle.
#[cfg(feature = "student")]
macro_rules! student {
    ($page:path) => {
        $page
    };
}
#[cfg(not(feature = "student"))]
macro_rules! student {
    ($page:path) => {
        crate::ui::not_found::NotFound
    };
}
#[cfg(feature = "admin")]
macro_rules! admin {
    ($page:path) => {
        $page
    };
}
#[cfg(not(feature = "admin"))]
macro_rules! admin {
    ($page:path) => {
        crate::ui::not_found::NotFound
    };
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = use_context::<Viewer>().unwrap_or_else(anonymous);
    provide_context(viewer);
    view! {
        <PageTitle text=""/>
        <Router>
            <Layout>
                <Routes fallback=crate::ui::not_found::NotFound>
                    <Route path=path!("/") view=student!(f::learn::home_page::HomePage) ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=student!(f::login::page::LoginPage) ssr=SsrMode::Async/>
                    <Route path=path!("/login/code") view=student!(f::login::page::CodePage) ssr=SsrMode::Async/>
                    <Route path=path!("/login/link/:token") view=student!(f::login::page::LinkPage) ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug") view=student!(f::learn::course_page::CoursePage) ssr=SsrMode::Async/>
                    <Route path=path!("/checkout/:order") view=student!(f::payments::checkout_page::CheckoutPage) ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=student!(f::notifications::page::NotificationsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug/continue") view=student!(f::learn::continue_page::ContinuePage) ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug/completed") view=student!(f::certificates::page::CertificatePage) ssr=SsrMode::Async/>
                    <Route path=path!("/certificates/:id") view=student!(f::certificates::page::CertificatePage) ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug/lessons/:id") view=student!(f::learn::lesson_page::LessonPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=admin!(f::overview::page::OverviewPage) ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=student!(f::account::page::AccountPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students") view=admin!(f::students::page::StudentsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/bulk") view=admin!(f::bulk::page::BulkConfirmPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/bulk/:id") view=admin!(f::bulk::page::BulkResultPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/merge") view=admin!(f::merge::page::MergePage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/:id") view=admin!(f::students::page::StudentPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/explain") view=admin!(f::explain::page::ExplainPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/imports") view=admin!(f::imports::page::ImportsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/imports/:id") view=admin!(f::imports::page::ImportPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/team") view=admin!(f::team::page::TeamPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reviews") view=admin!(f::tasks::reviews_page::ReviewsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/report") view=admin!(f::reports::page::ReportPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=admin!(f::settings::page::SettingsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings/emails") view=admin!(f::emails::page::EmailsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings/emails/:kind") view=admin!(f::emails::page::EmailEditorPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sales") view=admin!(f::sales::page::SalesPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses") view=admin!(f::courses::list_page::CoursesPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reports") view=admin!(f::reports::index_page::ReportsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/new") view=admin!(f::courses::course_page::NewCourse) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id") view=admin!(f::courses::course_page::EditCourse) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/certificate") view=admin!(f::certificates::admin_page::CertificateSettingsPage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/schedule") view=admin!(f::drip::page::SchedulePage) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/lessons/new") view=admin!(f::courses::lesson_page::NewLesson) ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/lessons/:lesson") view=admin!(f::courses::lesson_page::EditLesson) ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
