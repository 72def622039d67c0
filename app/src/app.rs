//! The shell and the route table: one route per page, each page in its own file.

use crate::api::auth::get_viewer;
use crate::api::types::Viewer;
use crate::components::layout::Layout;
use crate::routes;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href="/style.css"/>
                <link rel="icon" href="/favicon.ico"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = Resource::new_blocking(|| (), |_| get_viewer());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer: Viewer = match viewer.await {
                    Ok(v) => v,
                    Err(_) => Viewer { school: None, user: None, locale: Default::default(), platform_url: String::new() },
                };
                let lang = viewer.locale.code();
                let title = viewer.school.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "Atelier".into());
                provide_context(viewer);
                view! {
                    <Html attr:lang=lang/>
                    <Title text=title/>
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
                                <Route path=path!("/admin/courses/new") view=routes::admin::course::NewCourse ssr=SsrMode::Async/>
                                <Route path=path!("/admin/courses/:id") view=routes::admin::course::EditCourse ssr=SsrMode::Async/>
                                <Route path=path!("/admin/courses/:id/lessons/new") view=routes::admin::lesson::NewLesson ssr=SsrMode::Async/>
                                <Route path=path!("/admin/courses/:id/lessons/:lesson") view=routes::admin::lesson::EditLesson ssr=SsrMode::Async/>
                            </Routes>
                        </Layout>
                    </Router>
                }
            })}
        </Suspense>
    }
}
