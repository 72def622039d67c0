//! The shell and the route table: one route per page, each page in its own file.

use crate::api::types::Viewer;
use crate::components::layout::Layout;
use crate::routes;
use leptos::prelude::*;
use crate::components::raw_text::PageTitle;
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
    crate::server::request::current().map(|c| c.viewer).unwrap_or_else(|_| anonymous())
}

#[cfg(not(feature = "ssr"))]
fn current_viewer() -> Viewer {
    anonymous()
}

fn anonymous() -> Viewer {
    Viewer { school: None, user: None, locale: Default::default(), platform_url: String::new(), csrf: String::new(), now_ms: 0, in_app: None }
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
                <Routes fallback=routes::not_found::NotFound>
                    <Route path=path!("/") view=routes::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=routes::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/code") view=routes::login::CodePage ssr=SsrMode::Async/>
                    <Route path=path!("/login/link/:token") view=routes::login::LinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug") view=routes::course::CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:slug/lessons/:id") view=routes::lesson::LessonPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=routes::admin::overview::AdminOverview ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=routes::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students") view=routes::admin::students::StudentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/bulk") view=routes::admin::bulk::BulkConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/bulk/:id") view=routes::admin::bulk::BulkResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/students/:id") view=routes::admin::students::StudentPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/explain") view=routes::admin::explain::ExplainPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/imports") view=routes::admin::imports::ImportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/imports/:id") view=routes::admin::imports::ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/team") view=routes::admin::team::TeamPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reviews") view=routes::admin::reviews::ReviewsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/report") view=routes::admin::report::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view=routes::admin::settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/new") view=routes::admin::course::NewCourse ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id") view=routes::admin::course::EditCourse ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/schedule") view=routes::admin::schedule::SchedulePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/lessons/new") view=routes::admin::lesson::NewLesson ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:id/lessons/:lesson") view=routes::admin::lesson::EditLesson ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
