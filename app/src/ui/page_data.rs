//! How a page reads its data: the source (route parameters, query) read once — a page
//! renders once, on the server — and the loader's future awaited under `<Suspense>`.
//!
//! Unlike a `Resource`, nothing is serialized into the page for hydration (pages do not
//! hydrate; islands carry their own props), and the Worker carries no resource machinery or
//! deserializer per page type (~10 KB of code each, measured on the student Worker).

use leptos::prelude::untrack;

pub fn page_data<S, Fut>(source: impl Fn() -> S, fetch: impl FnOnce(S) -> Fut) -> Fut {
    fetch(untrack(source))
}
