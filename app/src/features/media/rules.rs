//! Media, the pure rules: what a file is (from its first bytes, never its name), what each
//! use accepts and up to what size, byte ranges for video seeking, and the short-lived
//! signed URLs a page embeds private files with. No I/O; unit-tested here.

use crate::kernel::states::stored_enum;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A file type Atelier accepts, decided from the file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
    Gif,
    Pdf,
    Mp4,
    Webm,
    Mp3,
}

impl MediaType {
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Webp => "image/webp",
            MediaType::Gif => "image/gif",
            MediaType::Pdf => "application/pdf",
            MediaType::Mp4 => "video/mp4",
            MediaType::Webm => "video/webm",
            MediaType::Mp3 => "audio/mpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Webp => "webp",
            MediaType::Gif => "gif",
            MediaType::Pdf => "pdf",
            MediaType::Mp4 => "mp4",
            MediaType::Webm => "webm",
            MediaType::Mp3 => "mp3",
        }
    }

    /// The type a stored file was given (its row's `content_type`).
    pub fn from_content_type(content_type: &str) -> Option<MediaType> {
        [MediaType::Jpeg, MediaType::Png, MediaType::Webp, MediaType::Gif, MediaType::Pdf, MediaType::Mp4, MediaType::Webm, MediaType::Mp3].into_iter().find(|t| t.content_type() == content_type)
    }

    pub fn is_image(self) -> bool {
        matches!(self, MediaType::Jpeg | MediaType::Png | MediaType::Webp | MediaType::Gif)
    }

    pub fn is_video(self) -> bool {
        matches!(self, MediaType::Mp4 | MediaType::Webm)
    }
}

/// What the first bytes of a file say it is; `None` for anything not on the list (HTML,
/// SVG, scripts, archives, executables... whatever the name says).
pub fn sniff(head: &[u8]) -> Option<MediaType> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaType::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaType::Png);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(MediaType::Webp);
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Some(MediaType::Gif);
    }
    if starts(b"%PDF-") {
        return Some(MediaType::Pdf);
    }
    // ISO base media (MP4, M4V, MOV-compatible): a box size, then "ftyp" and a brand.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        const VIDEO_BRANDS: &[&[u8]] = &[b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"MSNV", b"qt  "];
        if VIDEO_BRANDS.contains(&brand) {
            return Some(MediaType::Mp4);
        }
        if brand == b"M4A " {
            return None;
        }
    }
    // Matroska/WebM: the EBML header, with the "webm" doc type near the start.
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) && head.windows(4).take(64).any(|w| w == b"webm") {
        return Some(MediaType::Webm);
    }
    // MP3: an ID3 tag, or an MPEG audio frame sync (layer III).
    if starts(b"ID3") || (head.len() >= 2 && head[0] == 0xFF && (head[1] & 0xE6) == 0xE2) {
        return Some(MediaType::Mp3);
    }
    None
}

stored_enum! {
    /// Where a file is used, and so what it may be and how big.
    Use in "files.use" {
        /// A course's cover or banner image, the school's logo.
        Cover = "cover",
        /// An image inside a lesson's text.
        LessonImage = "lesson_image",
        /// A file attached to a lesson (PDF, slides as PDF, audio, images).
        LessonFile = "lesson_file",
        /// A video for the video block.
        Video = "video",
        /// A file in a student's answer to an assignment.
        Answer = "answer",
    }
}

const MB: u64 = 1024 * 1024;

/// Where an uploaded file goes: what it becomes once stored, and the page the creator
/// comes back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Replaces the course's cover.
    CourseCover { course: i64 },
    /// An image added at the end of the course's banner text (public, like the page).
    CourseBanner { course: i64 },
    /// Replaces the school's logo.
    SchoolLogo,
    /// Replaces the cover at the top of the school's home.
    SchoolCover,
    /// An image added at the end of the lesson's text.
    LessonImage { course: i64, lesson: i64 },
    /// A file in the lesson's "Files to download".
    LessonFile { course: i64, lesson: i64 },
    /// A video block added at the end of the lesson.
    LessonVideo { course: i64, lesson: i64 },
}

impl Place {
    /// From an upload address's last segment and its `course_id`, `lesson_id`.
    pub fn parse(kind: &str, course: Option<i64>, lesson: Option<i64>) -> Option<Place> {
        Some(match (kind, course, lesson) {
            ("cover", Some(course), _) => Place::CourseCover { course },
            ("banner", Some(course), _) => Place::CourseBanner { course },
            ("logo", _, _) => Place::SchoolLogo,
            ("school_cover", _, _) => Place::SchoolCover,
            ("lesson_image", Some(course), Some(lesson)) => Place::LessonImage { course, lesson },
            ("lesson", Some(course), Some(lesson)) => Place::LessonFile { course, lesson },
            ("video", Some(course), Some(lesson)) => Place::LessonVideo { course, lesson },
            _ => return None,
        })
    }

    /// The place of an upload in parts (only lesson files and videos are sent in parts).
    pub fn of_stored(use_: Use, course: Option<i64>, lesson: Option<i64>) -> Option<Place> {
        match (use_, course, lesson) {
            (Use::Video, Some(course), Some(lesson)) => Some(Place::LessonVideo { course, lesson }),
            (Use::LessonFile, Some(course), Some(lesson)) => Some(Place::LessonFile { course, lesson }),
            _ => None,
        }
    }

    pub fn use_(self) -> Use {
        match self {
            Place::CourseCover { .. } | Place::CourseBanner { .. } | Place::SchoolLogo | Place::SchoolCover => Use::Cover,
            Place::LessonImage { .. } => Use::LessonImage,
            Place::LessonFile { .. } => Use::LessonFile,
            Place::LessonVideo { .. } => Use::Video,
        }
    }

    pub fn course(self) -> Option<i64> {
        match self {
            Place::CourseCover { course } | Place::CourseBanner { course } => Some(course),
            Place::LessonImage { course, .. } | Place::LessonFile { course, .. } | Place::LessonVideo { course, .. } => Some(course),
            Place::SchoolLogo | Place::SchoolCover => None,
        }
    }

    pub fn lesson(self) -> Option<i64> {
        match self {
            Place::LessonImage { lesson, .. } | Place::LessonFile { lesson, .. } | Place::LessonVideo { lesson, .. } => Some(lesson),
            _ => None,
        }
    }

    /// The creator's page this upload was sent from (a notice there says how it went).
    pub fn page(self) -> String {
        match self {
            Place::CourseCover { course } | Place::CourseBanner { course } => format!("/admin/courses/{course}"),
            Place::SchoolLogo | Place::SchoolCover => "/admin/settings".to_string(),
            Place::LessonImage { course, lesson } | Place::LessonFile { course, lesson } | Place::LessonVideo { course, lesson } => format!("/admin/courses/{course}/lessons/{lesson}"),
        }
    }

    /// Where on that page (after a success).
    pub fn anchor(self) -> &'static str {
        match self {
            Place::CourseCover { .. } => "#cover",
            Place::CourseBanner { .. } => "#presentation",
            Place::SchoolLogo => "#logo",
            Place::SchoolCover => "#look",
            Place::LessonImage { .. } => "",
            Place::LessonFile { .. } => "#files",
            Place::LessonVideo { .. } => "#blocks",
        }
    }
}

impl Use {
    /// The largest file accepted for this use.
    pub fn max_bytes(self) -> u64 {
        match self {
            Use::Cover | Use::LessonImage => 10 * MB,
            // One request's body, held in the Worker's memory (bigger files: in parts).
            Use::LessonFile => 50 * MB,
            Use::Answer => 50 * MB,
            // Videos up to 2 GB, sent in parts.
            Use::Video => 2 * 1024 * MB,
        }
    }

    pub fn accepts(self, t: MediaType) -> bool {
        match self {
            Use::Cover | Use::LessonImage => t.is_image(),
            Use::LessonFile | Use::Answer => matches!(t, MediaType::Pdf | MediaType::Mp3) || t.is_image(),
            Use::Video => t.is_video(),
        }
    }

    /// Public files (covers, logos) are cacheable by anyone; the rest are served only to
    /// who may read them, through signed URLs.
    pub fn is_public(self) -> bool {
        matches!(self, Use::Cover)
    }
}

/// Why a file is refused (a message key), with the figures the message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a type this use accepts (or not one Atelier accepts at all).
    Type,
    /// Bigger than this use allows: (size, limit), bytes.
    TooBig { size: u64, limit: u64 },
    /// Over the school's storage: (used, size, quota), bytes.
    Quota { used: u64, size: u64, quota: u64 },
    Empty,
    /// Sent in one request (the plain form) but bigger than one request may carry: bigger
    /// files go in parts, which the page does with JavaScript. (limit), bytes.
    FormTooBig { limit: u64 },
}

impl Refusal {
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::Type => "file_type_refused",
            Refusal::TooBig { .. } => "file_too_big",
            Refusal::Quota { .. } => "file_over_quota",
            Refusal::Empty => "file_empty",
            Refusal::FormTooBig { .. } => "file_form_too_big",
        }
    }
}

/// The storage a school gets.
pub const SCHOOL_QUOTA_BYTES: u64 = 20 * 1024 * MB;

/// Whether a file of `size` bytes whose first bytes are `head` may be stored for `use_`,
/// given what the school already stores.
pub fn check_upload(use_: Use, head: &[u8], size: u64, used: u64, quota: u64) -> Result<MediaType, Refusal> {
    if size == 0 {
        return Err(Refusal::Empty);
    }
    let t = sniff(head).filter(|t| use_.accepts(*t)).ok_or(Refusal::Type)?;
    if size > use_.max_bytes() {
        return Err(Refusal::TooBig { size, limit: use_.max_bytes() });
    }
    if used.saturating_add(size) > quota {
        return Err(Refusal::Quota { used, size, quota });
    }
    Ok(t)
}

/// Sent in one request (a plain form without JavaScript), a file may be this big: the
/// Worker holds one request's body in memory.
pub const FORM_UPLOAD_MAX_BYTES: u64 = 50 * MB;

/// Each part of an upload in parts (the last one is shorter). R2 wants every part but the
/// last of one size and at least 5 MiB; 8 MiB stays far under a Worker's request body limit
/// and costs a phone little to send again after a dropped connection.
pub const PART_SIZE: u64 = 8 * MB;

/// An upload in parts nobody finished for this long is aborted (its parts removed) by the
/// cron pass: a day leaves time to resume after a night's break.
pub const UPLOAD_ABANDONED_MS: i64 = 24 * 3600 * 1000;

/// A deleted lesson's files stay this long, like the lesson in the trash (it may be
/// restored), then go with it.
pub const DELETED_FILES_KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

/// How many parts a file of `size` bytes is sent in.
pub fn part_count(size: u64, part_size: u64) -> u64 {
    size.div_ceil(part_size.max(1))
}

/// How long part `number` (from 1) of a file of `size` bytes must be; `None` past the end.
pub fn part_len(size: u64, part_size: u64, number: u64) -> Option<u64> {
    let start = number.checked_sub(1)?.checked_mul(part_size)?;
    (number >= 1 && start < size).then(|| part_size.min(size - start))
}

/// The checksum of a file stored in parts: the SHA-256 of its parts' SHA-256 digests (hex,
/// in order), then `-` and the number of parts, as S3 and R2 write multipart ETags. The
/// Worker never holds the whole file, so the digest of the whole is not computed.
pub fn parts_checksum(part_digests: &[String]) -> String {
    use sha2::Digest;
    let mut hasher = Sha256::new();
    for digest in part_digests {
        hasher.update(digest.as_bytes());
    }
    format!("{}-{}", crate::kernel::token::to_hex(&hasher.finalize()), part_digests.len())
}

/// "2.3 GB", "12 MB", "850 KB": sizes as a person reads them (decimal comma in French).
/// Integer arithmetic only: float formatting would weigh kilobytes in the Worker.
pub fn human_size(bytes: u64, french: bool) -> String {
    let (unit, name) = match bytes {
        b if b >= 1024 * MB => (1024 * MB, if french { "Go" } else { "GB" }),
        b if b >= MB => (MB, if french { "Mo" } else { "MB" }),
        _ => (1024, if french { "Ko" } else { "KB" }),
    };
    if bytes == 0 {
        return format!("0\u{a0}{name}");
    }
    // Tenths, rounded half up; at least 1 KB.
    let tenths = ((bytes as u128 * 10 + unit as u128 / 2) / unit as u128).max(10) as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    let text = if whole >= 10 || tenth == 0 {
        // Whole units, rounded.
        ((bytes as u128 + unit as u128 / 2) / unit as u128).max(1).to_string()
    } else {
        format!("{whole}{}{tenth}", if french { ',' } else { '.' })
    };
    format!("{text}\u{a0}{name}")
}

/// A byte range to serve: `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

impl ByteRange {
    pub fn len(self) -> u64 {
        self.end - self.start + 1
    }

    pub fn is_empty(self) -> bool {
        false
    }

    /// `Content-Range: bytes start-end/size`.
    pub fn content_range(self, size: u64) -> String {
        format!("bytes {}-{}/{size}", self.start, self.end)
    }
}

/// A `Range` header the file cannot satisfy: answer 416 with `bytes */size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsatisfiable;

/// The `Range` header of a request for a file of `size` bytes: `Ok(None)` to send it whole
/// (no header, or one in another unit), `Ok(Some(range))` for one range (`bytes=0-99`,
/// `bytes=100-`, `bytes=-500`), `Err` when it asks for nothing the file has. Several ranges
/// get the first one, as browsers only ask for one when seeking.
pub fn parse_range(header: Option<&str>, size: u64) -> Result<Option<ByteRange>, Unsatisfiable> {
    let Some(spec) = header.map(str::trim).and_then(|h| h.strip_prefix("bytes=")) else { return Ok(None) };
    let first = spec.split(',').next().unwrap_or("").trim();
    let (from, to) = first.split_once('-').ok_or(Unsatisfiable)?;
    let number = |s: &str| -> Result<Option<u64>, Unsatisfiable> {
        match s.trim() {
            "" => Ok(None),
            n if n.bytes().all(|b| b.is_ascii_digit()) && n.len() <= 19 => n.parse().map(Some).map_err(|_| Unsatisfiable),
            _ => Err(Unsatisfiable),
        }
    };
    let range = match (number(from)?, number(to)?) {
        (Some(start), end) => {
            let end = end.unwrap_or(u64::MAX).min(size.saturating_sub(1));
            if start >= size || end < start {
                return Err(Unsatisfiable);
            }
            ByteRange { start, end }
        }
        // The last `n` bytes.
        (None, Some(n)) if n > 0 && size > 0 => ByteRange { start: size.saturating_sub(n), end: size - 1 },
        _ => return Err(Unsatisfiable),
    };
    Ok(Some(range))
}

/// The id of a stored file in its path (`/media/{id}`): one rule, in the kernel, for
/// everything that meets such a path (lesson video blocks too).
pub use crate::kernel::url::media_id as id_in_path;

/// How long a signed media URL works: long enough to start a video and seek in it for a
/// while (the player asks for a fresh one when it expires), short enough that a copied URL
/// is soon useless.
pub const SIGNED_URL_TTL_MS: i64 = 10 * 60_000;

/// The signature of a private file's URL: the file, the viewer it was made for, and until
/// when it works, under the Worker's key.
pub fn sign_url(key: &str, file_id: &str, viewer: &str, expires_ms: i64) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("media\n{file_id}\n{viewer}\n{expires_ms}").as_bytes());
    crate::kernel::token::to_hex(&mac.finalize().into_bytes())
}

/// Whether a signed URL is still good for this viewer now.
pub fn verify_url(key: &str, file_id: &str, viewer: &str, expires_ms: i64, signature: &str, now_ms: i64) -> bool {
    now_ms < expires_ms && crate::kernel::token::constant_time_eq(&sign_url(key, file_id, viewer, expires_ms), signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parts_cover_the_file_exactly() {
        assert_eq!(part_count(1, PART_SIZE), 1);
        assert_eq!(part_count(PART_SIZE, PART_SIZE), 1);
        assert_eq!(part_count(PART_SIZE + 1, PART_SIZE), 2);
        assert_eq!(part_len(PART_SIZE + 1, PART_SIZE, 2), Some(1));
        assert_eq!(part_len(PART_SIZE + 1, PART_SIZE, 3), None);
        assert_eq!(part_len(10, PART_SIZE, 0), None);
        assert_ne!(parts_checksum(&["a".into(), "b".into()]), parts_checksum(&["b".into(), "a".into()]));
        assert!(parts_checksum(&["a".into()]).ends_with("-1"));
    }

    proptest! {
        #[test]
        fn the_parts_add_up_to_the_size(size in 1u64..(3 * 1024 * MB), part in (5 * MB)..(64 * MB)) {
            let n = part_count(size, part);
            let total: u64 = (1..=n).map(|i| part_len(size, part, i).unwrap()).sum();
            prop_assert_eq!(total, size);
            prop_assert!((1..n).all(|i| part_len(size, part, i) == Some(part)));
            prop_assert_eq!(part_len(size, part, n + 1), None);
        }
    }

    #[test]
    fn real_headers_are_recognised() {
        let cases: &[(&[u8], MediaType)] = &[
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'], MediaType::Jpeg),
            (&[0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34, b'E', b'x', b'i', b'f'], MediaType::Jpeg),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", MediaType::Png),
            (b"RIFF\x24\x00\x00\x00WEBPVP8 ", MediaType::Webp),
            (b"GIF89a\x01\x00\x01\x00", MediaType::Gif),
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", MediaType::Pdf),
            (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", MediaType::Mp4),
            (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", MediaType::Mp4),
            (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm", MediaType::Webm),
            (b"ID3\x04\x00\x00\x00\x00\x00\x23TSSE", MediaType::Mp3),
            (&[0xFF, 0xFB, 0x90, 0x64], MediaType::Mp3),
        ];
        for (head, t) in cases {
            assert_eq!(sniff(head), Some(*t), "{head:?}");
        }
    }

    #[test]
    fn html_svg_and_scripts_are_refused_whatever_their_name() {
        for head in [
            &b"<!DOCTYPE html><html><script>alert(1)</script>"[..],
            b"<html><body>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">",
            b"<?xml version=\"1.0\"?><svg",
            b"\xef\xbb\xbf<script>",
            b"  <img src=x onerror=alert(1)>",
            b"MZ\x90\x00",
            b"PK\x03\x04",
            b"\x1a\x45\xdf\xa3matroska",
            b"",
            b"\x00\x00\x00\x20ftypM4A ",
        ] {
            assert_eq!(sniff(head), None, "{:?}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn each_use_takes_its_types_up_to_its_size_within_the_quota() {
        let png = b"\x89PNG\r\n\x1a\n\x00";
        let mp4 = b"\x00\x00\x00\x20ftypisom\x00\x00";
        assert_eq!(check_upload(Use::Cover, png, 1000, 0, SCHOOL_QUOTA_BYTES), Ok(MediaType::Png));
        assert_eq!(check_upload(Use::Cover, mp4, 1000, 0, SCHOOL_QUOTA_BYTES), Err(Refusal::Type));
        assert_eq!(check_upload(Use::Video, mp4, 2 * 1024 * MB, 0, 10 * 1024 * MB), Ok(MediaType::Mp4));
        let big = 2 * 1024 * MB + 300 * MB;
        assert_eq!(check_upload(Use::Video, mp4, big, 0, 10 * 1024 * MB), Err(Refusal::TooBig { size: big, limit: 2 * 1024 * MB }));
        assert_eq!(check_upload(Use::LessonFile, png, 10, 100, 105).map_err(|r| r.key()), Err("file_over_quota"));
        assert_eq!(check_upload(Use::Answer, b"<html>", 10, 0, 100), Err(Refusal::Type));
        assert_eq!(check_upload(Use::Answer, png, 0, 0, 100), Err(Refusal::Empty));
        assert_eq!(human_size(big, false), "2.3\u{a0}GB");
        assert_eq!(human_size(2 * 1024 * MB, true), "2\u{a0}Go");
        assert_eq!(human_size(12 * MB + 1, false), "12\u{a0}MB");
        assert_eq!(human_size(300, true), "1\u{a0}Ko");
        assert_eq!(human_size(1536 * 1024, true), "1,5\u{a0}Mo");
        assert_eq!(human_size(10 * MB - 1, false), "10\u{a0}MB");
    }

    #[test]
    fn ranges_single_open_ended_suffix_and_unsatisfiable() {
        let r = |h: &str, size: u64| parse_range(Some(h), size);
        assert_eq!(parse_range(None, 100), Ok(None));
        assert_eq!(r("items=0-5", 100), Ok(None), "another unit: the whole file");
        assert_eq!(r("bytes=0-9", 100), Ok(Some(ByteRange { start: 0, end: 9 })));
        assert_eq!(r("bytes=90-", 100), Ok(Some(ByteRange { start: 90, end: 99 })));
        assert_eq!(r("bytes=-10", 100), Ok(Some(ByteRange { start: 90, end: 99 })));
        assert_eq!(r("bytes=-500", 100), Ok(Some(ByteRange { start: 0, end: 99 })));
        assert_eq!(r("bytes=50-500", 100), Ok(Some(ByteRange { start: 50, end: 99 })), "an end past the file is the file's end");
        assert_eq!(r("bytes=0-1, 5-6", 100), Ok(Some(ByteRange { start: 0, end: 1 })));
        for bad in ["bytes=100-", "bytes=5-1", "bytes=-0", "bytes=-", "bytes=a-b", "bytes=1", "bytes=+1-2", "bytes=99999999999999999999-"] {
            assert_eq!(r(bad, 100), Err(Unsatisfiable), "{bad}");
        }
        assert_eq!(r("bytes=0-", 0), Err(Unsatisfiable));
        let range = ByteRange { start: 90, end: 99 };
        assert_eq!((range.len(), range.content_range(100)), (10, "bytes 90-99/100".to_string()));
    }

    #[test]
    fn a_signed_url_works_for_its_viewer_until_it_expires() {
        let sig = sign_url("k", "f1", "session-a", 1_000);
        assert!(verify_url("k", "f1", "session-a", 1_000, &sig, 999));
        assert!(!verify_url("k", "f1", "session-a", 1_000, &sig, 1_000), "expired");
        assert!(!verify_url("k", "f1", "session-b", 1_000, &sig, 10), "another viewer");
        assert!(!verify_url("k", "f2", "session-a", 1_000, &sig, 10), "another file");
        assert!(!verify_url("k", "f1", "session-a", 2_000, &sig, 10), "a later expiry typed in");
        assert!(!verify_url("other", "f1", "session-a", 1_000, &sig, 10), "another key");
    }

    proptest! {
        /// Whatever the header, a range served lies inside the file.
        #[test]
        fn a_served_range_is_always_inside_the_file(header in "bytes=[0-9]{0,4}-[0-9]{0,4}", size in 0u64..5_000) {
            if let Ok(Some(r)) = parse_range(Some(&header), size) {
                prop_assert!(r.start <= r.end && r.end < size);
            }
        }
    }
}
