//! The parts of a `multipart/form-data` body (a file upload form): just enough of RFC 7578
//! for a browser's form post — named parts, an optional file name, raw bytes.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: &'a [u8],
}

/// The boundary of a `multipart/form-data` content type, quoted or not.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    }).filter(|b| !b.is_empty() && b.len() <= 70)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| haystack[i] == needle[0] && &haystack[i..i + needle.len()] == needle)
}

/// `name="x"` out of a Content-Disposition header.
fn parameter(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Every part, in order. A malformed body gives the parts read before the problem.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delimiter = format!("--{boundary}");
    let mut out = vec![];
    let Some(mut at) = find(body, delimiter.as_bytes(), 0) else { return out };
    loop {
        let start = at + delimiter.len();
        // `--` after the delimiter closes the body.
        if body.get(start..start + 2) == Some(b"--") {
            return out;
        }
        let Some(headers_end) = find(body, b"\r\n\r\n", start) else { return out };
        let headers = String::from_utf8_lossy(&body[start..headers_end]);
        let data_start = headers_end + 4;
        let Some(next) = find(body, format!("\r\n{delimiter}").as_bytes(), data_start) else { return out };
        let disposition = headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:")).unwrap_or("");
        if let Some(name) = parameter(disposition, "name") {
            out.push(Part { name, file_name: parameter(disposition, "filename"), bytes: &body[data_start..next] });
        }
        at = next + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_upload_reads_back() {
        let ct = "multipart/form-data; boundary=----WebKitFormBoundaryX";
        let b = boundary(ct).unwrap();
        let body = format!(
            "------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n\
             ------WebKitFormBoundaryX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"élèves.csv\"\r\nContent-Type: text/csv\r\n\r\nemail\r\na@x.fr\r\n\r\n\
             ------WebKitFormBoundaryX--\r\n"
        );
        let parts = parts(body.as_bytes(), &b);
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].bytes), ("csrf", &b"tok"[..]));
        assert_eq!(parts[1].file_name.as_deref(), Some("élèves.csv"));
        assert_eq!(parts[1].bytes, b"email\r\na@x.fr\r\n");
    }

    #[test]
    fn not_multipart_or_malformed() {
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\""), Some("abc".into()));
        assert!(parts(b"garbage", "abc").is_empty());
        assert!(parts(b"--abc\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "abc").is_empty());
    }
}
