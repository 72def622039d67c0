//! The uploader: a plain multipart form (a file up to `FORM_UPLOAD_MAX_BYTES` without
//! JavaScript) that, once awake, sends the file in parts instead, with a progress bar:
//! 1. it asks for an upload (`POST /admin/uploads`: refused at once if too big or over the
//!    school's storage), or, for the same file chosen again, asks which parts arrived;
//! 2. it sends the missing parts one by one, trying each again after a dropped connection
//!    (waiting longer each time); if the connection stays down, choosing the file again
//!    resumes where it stopped (the upload's id is kept in the browser's storage);
//! 3. it completes the upload and goes where the server says (the page, with its notice).

use leptos::prelude::*;

/// The texts the uploader shows, in the viewer's language.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UploaderTexts {
    pub label: String,
    pub help: String,
    pub button: String,
    /// "{percent}% sent"
    pub progress: String,
    pub retrying: String,
    /// The connection stayed down: choose the file again to resume.
    pub interrupted: String,
    pub finishing: String,
}

#[island]
pub fn Uploader(
    /// `video` or `lesson` (a file to download).
    place: String,
    course_id: i64,
    lesson_id: i64,
    /// The form token (the plain form's field).
    csrf: String,
    /// The `accept` attribute of the file field.
    accept: String,
    texts: UploaderTexts,
) -> impl IntoView {
    let live = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let percent = RwSignal::new(None::<u32>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let action = format!("/admin/files/{place}?course_id={course_id}&lesson_id={lesson_id}");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_submit = {
        let texts = texts.clone();
        let place = place.clone();
        move |event: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                let Some(input) = input_ref.get() else { return };
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                event.prevent_default();
                if busy.get_untracked() {
                    return;
                }
                busy.set(true);
                let job = client::Job { place: place.clone(), course_id, lesson_id, texts: texts.clone(), status, percent };
                leptos::task::spawn_local(async move {
                    if let Some(next) = job.run(file).await {
                        let _ = window().location().set_href(&next);
                    }
                    busy.set(false);
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&event, &place, &texts, input_ref, course_id, lesson_id);
        }
    };
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="stack uploader" on:submit=on_submit data-live=move || live.get().then_some("1")>
            <input type="hidden" name=crate::ui::post_form::CSRF_FIELD value=csrf/>
            <label>{texts.label.clone()}<input type="file" name="file" accept=accept required node_ref=input_ref/></label>
            <p class="muted small">{texts.help.clone()}</p>
            <progress max="100" value=move || percent.get().unwrap_or(0) hidden=move || percent.get().is_none() aria-label=texts.button.clone()></progress>
            <p class="muted" role="status" aria-live="polite">{move || status.get()}</p>
            <button type="submit" disabled=move || busy.get()>{texts.button.clone()}</button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::UploaderTexts;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// How many times a part is sent again after a dropped connection or a server error,
    /// waiting 1, 2, 4, 8, 16 seconds: half a minute of a phone in a tunnel.
    const RETRIES: u32 = 5;

    pub struct Job {
        pub place: String,
        pub course_id: i64,
        pub lesson_id: i64,
        pub texts: UploaderTexts,
        pub status: RwSignal<String>,
        pub percent: RwSignal<Option<u32>>,
    }

    #[derive(serde::Deserialize)]
    struct State {
        id: String,
        size: u64,
        part_size: u64,
        parts: u64,
        done: Vec<u64>,
    }

    /// An answer: its status and JSON body (`None` when the connection failed).
    async fn call(method: &str, url: &str, body: Option<&JsValue>) -> Option<(u16, serde_json::Value)> {
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        if let Some(body) = body {
            init.set_body(body);
        }
        let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await.ok()?.dyn_into().ok()?;
        let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string().unwrap_or_default();
        Some((response.status(), serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)))
    }

    async fn sleep(ms: i32) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
    }

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    impl Job {
        fn say(&self, text: &str) {
            self.status.set(text.to_string());
        }

        fn refused(&self, body: &serde_json::Value) {
            self.percent.set(None);
            self.say(body["message"].as_str().unwrap_or(&self.texts.interrupted));
        }

        fn show_progress(&self, state: &State) {
            let sent: u64 = state.done.iter().map(|n| state.part_size.min(state.size - (n - 1) * state.part_size)).sum();
            let percent = (sent * 100 / state.size.max(1)) as u32;
            self.percent.set(Some(percent));
            self.say(&self.texts.progress.replace("{percent}", &percent.to_string()));
        }

        /// Sends the file; where to go once it is stored.
        pub async fn run(&self, file: web_sys::File) -> Option<String> {
            let size = file.size() as u64;
            let key = format!("atelier-upload:{}:{}:{}:{}:{}", self.place, self.lesson_id, file.name(), size, file.last_modified());
            // The same file chosen again: the upload it started, if the server still has it.
            let mut state: Option<State> = None;
            if let Some(id) = storage().and_then(|s| s.get_item(&key).ok().flatten()) {
                if let Some((200, body)) = call("GET", &format!("/admin/uploads/{id}"), None).await {
                    state = serde_json::from_value(body).ok();
                }
            }
            let mut state = match state {
                Some(s) => s,
                None => {
                    let url = format!(
                        "/admin/uploads?place={}&course_id={}&lesson_id={}&size={size}&name={}",
                        self.place,
                        self.course_id,
                        self.lesson_id,
                        String::from(js_sys::encode_uri_component(&file.name()))
                    );
                    match call("POST", &url, None).await {
                        Some((201, body)) => serde_json::from_value::<State>(body).ok()?,
                        Some((_, body)) => {
                            self.refused(&body);
                            return None;
                        }
                        None => {
                            self.say(&self.texts.interrupted);
                            return None;
                        }
                    }
                }
            };
            if let Some(s) = storage() {
                let _ = s.set_item(&key, &state.id);
            }
            self.show_progress(&state);
            for number in 1..=state.parts {
                if state.done.contains(&number) {
                    continue;
                }
                let start = (number - 1) * state.part_size;
                let end = (start + state.part_size).min(state.size);
                let part = file.slice_with_f64_and_f64(start as f64, end as f64).ok()?;
                let mut attempt = 0;
                loop {
                    match call("PUT", &format!("/admin/uploads/{}/parts/{number}", state.id), Some(part.as_ref())).await {
                        Some((200, body)) => {
                            state = serde_json::from_value(body).ok()?;
                            self.show_progress(&state);
                            break;
                        }
                        Some((status, body)) if (400..500).contains(&status) => {
                            if body["final"].as_bool() == Some(true) {
                                if let Some(s) = storage() {
                                    let _ = s.remove_item(&key);
                                }
                            }
                            self.refused(&body);
                            return None;
                        }
                        _ if attempt < RETRIES => {
                            self.say(&self.texts.retrying);
                            sleep(1000 << attempt).await;
                            attempt += 1;
                        }
                        _ => {
                            self.say(&self.texts.interrupted);
                            return None;
                        }
                    }
                }
            }
            self.say(&self.texts.finishing);
            match call("POST", &format!("/admin/uploads/{}/complete", state.id), None).await {
                Some((200, body)) => {
                    if let Some(s) = storage() {
                        let _ = s.remove_item(&key);
                    }
                    body["next"].as_str().map(str::to_string)
                }
                Some((_, body)) => {
                    self.refused(&body);
                    None
                }
                None => {
                    self.say(&self.texts.interrupted);
                    None
                }
            }
        }
    }
}
