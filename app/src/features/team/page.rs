//! `/admin/team`: who helps run the school, with which role; invite and remove.

use crate::features::team::api::load_team;
use crate::ui::layout::tr;
use crate::ui::notice::{query, ErrorPage, Notice};
use crate::ui::post_form::PostForm;
use crate::ui::raw_text::PageTitle;
use crate::ui::notice::Allowed;
use crate::kernel::access::Permission;
use leptos::prelude::*;

/// Only for those allowed to manage team: anyone else gets 403, not the forms.
#[component]
pub fn TeamPage() -> impl IntoView {
    view! { <Allowed permission=Permission::ManageTeam><TeamPageBody/></Allowed> }
}

#[component]
fn TeamPageBody() -> impl IntoView {
    let team = crate::ui::page_data::page_data(|| (), |_| load_team());
    let courses = Resource::new(|| (), |_| crate::features::courses::api::admin_courses());
    let typed = query("email")();
    view! {
        <PageTitle text=tr("team")/><h1>{tr("team")}</h1>
        <Notice/>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let courses = courses.await.unwrap_or_default();
                match team.await {
                    Ok(members) => view! {
                        <table class="admin team">
                            <tbody>
                                {members.into_iter().map(|m| {
                                    let removable = m.role != "owner";
                                    // A curator reviews the courses ticked here.
                                    let courses = courses.clone();
                                    let assign = (m.role == "curator").then(|| view! {
                                        <PostForm action="/admin/api/save_curator_courses" class="curator-courses">
                                            <input type="hidden" name="user_id" value=m.id.to_string()/>
                                            {courses.iter().map(|c| view! {
                                                <label class="check"><input type="checkbox" name=format!("courses[{}]", c.id) value="on" checked=m.courses.contains(&c.id)/>{c.title.clone()}</label>
                                            }).collect_view()}
                                            <button type="submit" class="link">{tr("curator_courses_save")}</button>
                                        </PostForm>
                                    });
                                    view! {
                                        <tr data-role=m.role.clone()>
                                            <td>{m.email}</td>
                                            <td>{tr(&format!("role_{}", m.role))}{assign}</td>
                                            <td>{removable.then(|| view! {
                                                <PostForm action="/admin/api/remove_member" class="inline">
                                                    <input type="hidden" name="id" value=m.id.to_string()/>
                                                    <button type="submit" class="link danger">{tr("team_remove")}</button>
                                                </PostForm>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card narrow">
            <h2>{tr("team_invite")}</h2>
            <PostForm action="/admin/api/invite_member" class="stack">
                <label>{tr("email")}<input type="email" name="email" required value=typed/></label>
                <fieldset>
                    <label class="check"><input type="radio" name="role" value="assistant" checked/>{tr("role_assistant")}" — "{tr("role_assistant_lead")}</label>
                    <label class="check"><input type="radio" name="role" value="curator"/>{tr("role_curator")}" — "{tr("role_curator_lead")}</label>
                </fieldset>
                <button type="submit">{tr("team_invite")}</button>
            </PostForm>
        </section>
    }
}
