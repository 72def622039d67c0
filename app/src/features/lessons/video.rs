//! Lesson video blocks (issue 7, groundwork): which URLs are videos we can play (YouTube,
//! Vimeo, Cloudflare Stream, an MP4 file), the player URL from a start time, and timecodes
//! ("1:23", "01:02:03") in lesson text. Nothing from the URL reaches the page unchecked: ids
//! are validated character by character and the player URL is rebuilt from them.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VideoSource {
    YouTube(String),
    Vimeo(String),
    /// A Cloudflare Stream video id (32 hex digits).
    Stream(String),
    /// An https URL of an `.mp4` file, played by the browser's own player.
    Mp4(String),
    /// A video uploaded to the school (`/media/{id}`): the watermarked player, signed URLs.
    Uploaded(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoError {
    NotHttps,
    Unsupported,
    BadId,
}

impl VideoError {
    pub fn code(self) -> &'static str {
        match self {
            VideoError::NotHttps => "video_not_https",
            VideoError::Unsupported => "video_unsupported",
            VideoError::BadId => "video_bad_id",
        }
    }
}

fn youtube_id(id: &str) -> Result<String, VideoError> {
    (id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).then(|| id.to_string()).ok_or(VideoError::BadId)
}

fn vimeo_id(id: &str) -> Result<String, VideoError> {
    (!id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_string()).ok_or(VideoError::BadId)
}

fn stream_id(id: &str) -> Result<String, VideoError> {
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_ascii_lowercase()).ok_or(VideoError::BadId)
}

fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

impl VideoSource {
    pub fn parse(url: &str) -> Result<VideoSource, VideoError> {
        let url = url.trim();
        if url.starts_with("/media/") {
            return crate::kernel::url::media_id(url).map(|id| VideoSource::Uploaded(id.to_ascii_lowercase())).ok_or(VideoError::BadId);
        }
        let rest = url.strip_prefix("https://").ok_or(VideoError::NotHttps)?;
        if url.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>' || c == '\'') {
            return Err(VideoError::Unsupported);
        }
        let (host_path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, path) = host_path.split_once('/').unwrap_or((host_path, ""));
        let host = host.to_ascii_lowercase();
        let host = host.trim_start_matches("www.").trim_start_matches("m.");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match (host, segments.as_slice()) {
            ("youtube.com", ["watch"]) => youtube_id(query_value(query, "v").unwrap_or("")).map(VideoSource::YouTube),
            ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live", id]) => youtube_id(id).map(VideoSource::YouTube),
            ("youtu.be", [id]) => youtube_id(id).map(VideoSource::YouTube),
            ("vimeo.com", [id]) => vimeo_id(id).map(VideoSource::Vimeo),
            ("player.vimeo.com", ["video", id]) => vimeo_id(id).map(VideoSource::Vimeo),
            ("iframe.videodelivery.net" | "watch.videodelivery.net", [id, ..]) => stream_id(id).map(VideoSource::Stream),
            (h, [id, ..]) if h.starts_with("customer-") && h.ends_with(".cloudflarestream.com") => stream_id(id).map(VideoSource::Stream),
            (_, [.., file]) if file.to_ascii_lowercase().ends_with(".mp4") => Ok(VideoSource::Mp4(url.to_string())),
            _ => Err(VideoError::Unsupported),
        }
    }

    /// The player's URL, starting at `start` seconds. Rebuilt from the validated id.
    pub fn player_url(&self, start: u32) -> String {
        self.url_starting_at(&start.to_string())
    }

    /// The player's URL with `{t}` where the start time goes: what the page's seek script
    /// fills in when a timecode is tapped.
    pub fn seek_template(&self) -> String {
        self.url_starting_at("{t}")
    }

    fn url_starting_at(&self, start: &str) -> String {
        match self {
            VideoSource::YouTube(id) => format!("https://www.youtube-nocookie.com/embed/{id}?start={start}&enablejsapi=1&rel=0"),
            VideoSource::Vimeo(id) => format!("https://player.vimeo.com/video/{id}#t={start}s"),
            VideoSource::Stream(id) => format!("https://iframe.videodelivery.net/{id}?startTime={start}s"),
            VideoSource::Mp4(url) => format!("{url}#t={start}"),
            VideoSource::Uploaded(id) => format!("/media/{id}#t={start}"),
        }
    }
}

/// "83", "1:23", "01:02:03" → seconds. Minutes and seconds below 60 (except a lone number).
pub fn parse_timecode(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let nums: Vec<u32> = parts.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match nums.as_slice() {
        [s] => Some(*s),
        [m, s] if *s < 60 => Some(m * 60 + s),
        [h, m, s] if *m < 60 && *s < 60 => Some(h * 3600 + m * 60 + s),
        _ => None,
    }
}

/// "1:23" for 83 seconds, "1:02:03" past an hour.
pub fn format_timecode(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_urls() {
        let yt = Ok(VideoSource::YouTube("dQw4w9WgXcQ".into()));
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        ] {
            assert_eq!(VideoSource::parse(url), yt, "{url}");
        }
        assert_eq!(VideoSource::parse("https://vimeo.com/76979871"), Ok(VideoSource::Vimeo("76979871".into())));
        assert_eq!(VideoSource::parse("https://player.vimeo.com/video/76979871"), Ok(VideoSource::Vimeo("76979871".into())));
        let stream = "5d5bc37ffcf54c9b82e996823bffbb81";
        assert_eq!(VideoSource::parse(&format!("https://customer-abc123.cloudflarestream.com/{stream}/watch")), Ok(VideoSource::Stream(stream.into())));
        assert_eq!(VideoSource::parse(&format!("https://iframe.videodelivery.net/{stream}")), Ok(VideoSource::Stream(stream.into())));
        assert_eq!(VideoSource::parse("https://cdn.example.com/cours/intro.MP4"), Ok(VideoSource::Mp4("https://cdn.example.com/cours/intro.MP4".into())));
    }

    #[test]
    fn hostile_or_unknown_urls_are_refused() {
        let cases = [
            ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", VideoError::NotHttps),
            ("javascript:alert(1)", VideoError::NotHttps),
            ("https://www.youtube.com/watch?v=dQw4w9WgXc\"><script>", VideoError::Unsupported),
            ("https://www.youtube.com/watch?v=short", VideoError::BadId),
            ("https://www.youtube.com/embed/dQw4w9WgXcQ%22onload", VideoError::BadId),
            ("https://vimeo.com/12ab", VideoError::BadId),
            ("https://evil.example/page", VideoError::Unsupported),
            ("https://customer-x.cloudflarestream.com/not-an-id/watch", VideoError::BadId),
            ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", VideoError::Unsupported),
        ];
        for (url, err) in cases {
            assert_eq!(VideoSource::parse(url), Err(err), "{url}");
        }
    }

    #[test]
    fn player_urls_start_where_asked() {
        assert_eq!(VideoSource::YouTube("dQw4w9WgXcQ".into()).player_url(83), "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=83&enablejsapi=1&rel=0");
        assert_eq!(VideoSource::Vimeo("1".into()).player_url(5), "https://player.vimeo.com/video/1#t=5s");
    }

    #[test]
    fn timecodes() {
        assert_eq!(parse_timecode("1:23"), Some(83));
        assert_eq!(parse_timecode("01:02:03"), Some(3723));
        assert_eq!(parse_timecode("90"), Some(90));
        for bad in ["", "1:60", "1:2:60", "a:10", "1::2", "-1:00", "1:00:00:00", "99999999:00"] {
            assert_eq!(parse_timecode(bad), None, "{bad}");
        }
        assert_eq!(format_timecode(83), "1:23");
        assert_eq!(format_timecode(3723), "1:02:03");
    }
}
