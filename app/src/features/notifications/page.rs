//! `/notifications`: what happened for me, newest first, unread ones marked; opening one
//! marks it read and goes to its page; "mark all as read". Plain forms: no script needed.

use crate::features::notifications::api::load_notifications;
use crate::ui::layout::{tr, viewer};
use crate::ui::notice::{ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use leptos::prelude::*;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let list = crate::ui::page_data::page_data(|| (), |_| load_notifications());
    let v = viewer();
    let (zone, locale) = (v.time_zone().to_string(), v.locale);
    view! {
        <section class="card narrow notifications">
            <PageTitle text=tr("notifications")/><h1>{tr("notifications")}</h1>
            <Notice/>
            <Suspense fallback=|| ()>
                {{
                    let zone = zone.clone();
                    Suspend::new(async move {
                        match list.await {
                            Ok(items) if items.is_empty() => view! { <p class="muted">{tr("notifications_none")}</p> }.into_any(),
                            Ok(items) => {
                                let unread = items.iter().any(|n| !n.read);
                                view! {
                                    {unread.then(|| view! {
                                        <PostForm action="/api/read_all_notifications" class="inline">
                                            <button type="submit" class="secondary">{tr("notifications_read_all")}</button>
                                        </PostForm>
                                    })}
                                    <ul class="notification-list">
                                        {items.into_iter().map(|n| view! {
                                            <li class=if n.read { "notification read" } else { "notification unread" } data-kind=n.kind.clone()>
                                                <PostForm action="/api/open_notification" class="open-notification">
                                                    <input type="hidden" name="id" value=n.id.to_string()/>
                                                    <button type="submit" class="link">
                                                        {(!n.read).then(|| view! { <span class="visually-hidden">{tr("notification_unread")}" : "</span> })}
                                                        <strong>{n.title.clone()}</strong>
                                                    </button>
                                                </PostForm>
                                                {(!n.body.is_empty()).then(|| view! { <p class="pre">{n.body.clone()}</p> })}
                                                <time class="muted">{crate::kernel::time::date_time(n.created_at, &zone, locale)}</time>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }
                            Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
