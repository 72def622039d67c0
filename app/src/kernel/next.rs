//! Where the browser may be sent after a step (`?next=`, `back=`): the one check every
//! server path and every island uses, so "/\evil.example" cannot slip through one of them.

/// A same-site path, or nothing. The value is taken as decoded exactly once (by the query or
/// form parser); it is refused if it could leave the site: it must start with one `/`, and
/// contain no backslash and no control character (tab and newline included) and no `//` at
/// its start. Its path part (before `?` or `#`) is also checked decoded once more, so a
/// careless reader decoding it again still stays here; its query may hold encoded text.
pub fn safe_next(next: &str) -> Option<&str> {
    let path = next.split(['?', '#']).next().unwrap_or("");
    (stays_on_site(next) && stays_on_site(&percent_decoded(path))).then_some(next)
}

fn stays_on_site(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(|c| c.is_control())
}

/// `%XX` decoded (lossy): only for checking, never for use.
fn percent_decoded(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_site_paths_pass() {
        for ok in ["/", "/admin", "/courses/a/lessons/2?x=1#task", "/login?next=%2Fadmin", "/a%20b", "/admin/settings?error=x&hosts=a%0Ab%5C%2F%2F#hosts"] {
            assert_eq!(safe_next(ok), Some(ok), "{ok}");
        }
    }

    #[test]
    fn every_way_off_site_is_refused() {
        for bad in [
            "", "x", "//x", "https://x", "http://x", "javascript:alert(1)", "/\\x", "\\\\x", "/%5Cx", "/%5cx", "/%09/x", "/\t/x", "/\n/x",
            "%2F%2Fx", "/%2F/x", "/%2f%2fx", " /x", "/x\u{0}", "data:text/html,x", "///x", "/\u{7f}x",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    proptest! {
        /// Whatever is accepted, a browser resolves on this site: starts with a single '/',
        /// and neither it nor its decoding holds a backslash or a control character.
        #[test]
        fn accepted_values_stay_on_site(s in "[/\\\\%a-zA-Z0-9:\t. ]{0,12}") {
            if let Some(p) = safe_next(&s) {
                let decoded = percent_decoded(p);
                for v in [p, decoded.as_str()] {
                    prop_assert!(v.starts_with('/') && !v.starts_with("//"));
                    prop_assert!(!v.contains('\\') && !v.chars().any(char::is_control));
                }
            }
        }
    }
}

/// A "continue" destination: `/courses/{slug}/continue` leads to the lesson a student left
/// off at (or the first open one). Emails whose lesson is decided when they are opened
/// (an invitation, a reminder) carry it.
pub fn continue_path(slug: &str) -> String {
    format!("/courses/{slug}/continue")
}

/// The course of a "continue" destination.
pub fn continue_course(path: &str) -> Option<&str> {
    let slug = path.strip_prefix("/courses/")?.strip_suffix("/continue")?;
    (!slug.is_empty() && !slug.contains('/')).then_some(slug)
}

/// Turns a "continue" destination into the student's lesson, for the login step that has
/// just opened their session (so the email's second tap lands on the lesson itself). The
/// course feature provides it as request context; the login, below it, only calls it.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub struct ContinueResolver(pub for<'a> fn(&'a worker::D1Database, i64, i64, &'a str, i64, &'a str) -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>> + 'a>>);
