//! What a user agent says about the device and browser behind it: enough to show "iPhone ·
//! Safari" on a login confirm page, list sessions, and spot in-app browsers (which keep
//! their own cookies, apart from the phone's real browser).

/// The apps whose built-in browsers students most often open our emails and links in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InAppBrowser {
    Instagram,
    Facebook,
    Messenger,
    Telegram,
    Gmail,
    LinkedIn,
    TikTok,
    Line,
    WeChat,
    Snapchat,
    Pinterest,
    Twitter,
}

impl InAppBrowser {
    pub fn name(self) -> &'static str {
        match self {
            InAppBrowser::Instagram => "Instagram",
            InAppBrowser::Facebook => "Facebook",
            InAppBrowser::Messenger => "Messenger",
            InAppBrowser::Telegram => "Telegram",
            InAppBrowser::Gmail => "Gmail / Google",
            InAppBrowser::LinkedIn => "LinkedIn",
            InAppBrowser::TikTok => "TikTok",
            InAppBrowser::Line => "LINE",
            InAppBrowser::WeChat => "WeChat",
            InAppBrowser::Snapchat => "Snapchat",
            InAppBrowser::Pinterest => "Pinterest",
            InAppBrowser::Twitter => "X / Twitter",
        }
    }

    /// The i18n key of the "open in your browser" steps for this app: where its menu is.
    pub fn steps_key(self) -> &'static str {
        match self {
            InAppBrowser::Instagram | InAppBrowser::Facebook | InAppBrowser::Messenger => "inapp_steps_meta",
            InAppBrowser::Telegram | InAppBrowser::Line | InAppBrowser::WeChat => "inapp_steps_dots",
            InAppBrowser::Gmail => "inapp_steps_gmail",
            InAppBrowser::LinkedIn | InAppBrowser::TikTok | InAppBrowser::Snapchat | InAppBrowser::Pinterest | InAppBrowser::Twitter => {
                "inapp_steps_share"
            }
        }
    }
}

/// Tokens apps append to the system web view's user agent, most specific first
/// (Messenger's agent also names Facebook).
const IN_APP_MARKERS: &[(&str, InAppBrowser)] = &[
    ("instagram", InAppBrowser::Instagram),
    ("fb_iab/messenger", InAppBrowser::Messenger),
    ("messengerforios", InAppBrowser::Messenger),
    ("orca-android", InAppBrowser::Messenger),
    ("fban/", InAppBrowser::Facebook),
    ("fbav/", InAppBrowser::Facebook),
    ("fb_iab", InAppBrowser::Facebook),
    ("telegram", InAppBrowser::Telegram),
    ("gsa/", InAppBrowser::Gmail),
    ("linkedinapp", InAppBrowser::LinkedIn),
    ("bytedancewebview", InAppBrowser::TikTok),
    ("musical_ly", InAppBrowser::TikTok),
    ("tiktok", InAppBrowser::TikTok),
    (" line/", InAppBrowser::Line),
    ("micromessenger", InAppBrowser::WeChat),
    ("snapchat", InAppBrowser::Snapchat),
    ("pinterest", InAppBrowser::Pinterest),
    ("twitter", InAppBrowser::Twitter),
];

pub fn in_app_browser(user_agent: &str) -> Option<InAppBrowser> {
    let ua = user_agent.to_ascii_lowercase();
    if let Some((_, app)) = IN_APP_MARKERS.iter().find(|(marker, _)| ua.contains(marker)) {
        return Some(*app);
    }
    // Android web views say "; wv)"; the Gmail app opens links in one.
    if ua.contains("android") && ua.contains("; wv)") {
        return Some(InAppBrowser::Gmail);
    }
    None
}

/// "iPhone · Safari", "Android · Instagram", "Windows · Edge"; "Unknown device" when the
/// agent says nothing useful (scripts, scanners).
pub fn describe(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let device = if ua.contains("iphone") {
        "iPhone"
    } else if ua.contains("ipad") {
        "iPad"
    } else if ua.contains("android") {
        "Android"
    } else if ua.contains("cros") {
        "Chromebook"
    } else if ua.contains("macintosh") || ua.contains("mac os x") {
        "Mac"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        ""
    };
    let browser = if let Some(app) = in_app_browser(user_agent) {
        app.name()
    } else if ua.contains("edg/") || ua.contains("edga/") || ua.contains("edgios/") {
        "Edge"
    } else if ua.contains("samsungbrowser") {
        "Samsung Internet"
    } else if ua.contains("opr/") || ua.contains("opera") {
        "Opera"
    } else if ua.contains("firefox/") || ua.contains("fxios/") {
        "Firefox"
    } else if ua.contains("crios/") || ua.contains("chrome/") || ua.contains("chromium/") {
        "Chrome"
    } else if ua.contains("safari/") || (ua.contains("applewebkit") && (device == "iPhone" || device == "iPad")) {
        "Safari"
    } else {
        ""
    };
    match (device, browser) {
        ("", "") => "Unknown device".to_string(),
        (d, "") => d.to_string(),
        ("", b) => b.to_string(),
        (d, b) => format!("{d} · {b}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE_SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    const IPHONE_INSTAGRAM: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 321.0.2.18.108 (iPhone14,5; iOS 17_4; fr_FR; fr; scale=3.00; 1170x2532; 577210397)";
    const ANDROID_FACEBOOK: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/123.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/456.0.0.0;]";
    const ANDROID_MESSENGER: &str = "Mozilla/5.0 (Linux; Android 13; SM-A536B; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/445.0.0.0;]";
    const IPHONE_GMAIL: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/300.0.6 Mobile/15E148 Safari/604.1";
    const ANDROID_WEBVIEW: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0 Mobile Safari/537.36";
    const ANDROID_TELEGRAM: &str = "Mozilla/5.0 (Linux; Android 12; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Telegram-Android/10.6.2";
    const LINKEDIN: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.1";
    const TIKTOK: &str = "Mozilla/5.0 (Linux; Android 13; SM-G991B; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0 Mobile Safari/537.36 trill_320104 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/32.1.4 ByteLocale/fr BytedanceWebview/d8a21c6";
    const LINE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/13.16.0";
    const WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x18002831) NetType/WIFI Language/zh_CN";
    const ANDROID_CHROME: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    const IPHONE_CHROME: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.71 Mobile/15E148 Safari/604.1";
    const WINDOWS_EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51";
    const MAC_FIREFOX: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0";
    const SAMSUNG: &str = "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";

    #[test]
    fn in_app_browsers_are_recognised() {
        let cases = [
            (IPHONE_INSTAGRAM, InAppBrowser::Instagram),
            (ANDROID_FACEBOOK, InAppBrowser::Facebook),
            (ANDROID_MESSENGER, InAppBrowser::Messenger),
            (IPHONE_GMAIL, InAppBrowser::Gmail),
            (ANDROID_WEBVIEW, InAppBrowser::Gmail),
            (ANDROID_TELEGRAM, InAppBrowser::Telegram),
            (LINKEDIN, InAppBrowser::LinkedIn),
            (TIKTOK, InAppBrowser::TikTok),
            (LINE, InAppBrowser::Line),
            (WECHAT, InAppBrowser::WeChat),
        ];
        for (ua, app) in cases {
            assert_eq!(in_app_browser(ua), Some(app), "{ua}");
        }
    }

    #[test]
    fn real_browsers_are_not_in_app() {
        for ua in [IPHONE_SAFARI, ANDROID_CHROME, IPHONE_CHROME, WINDOWS_EDGE, MAC_FIREFOX, SAMSUNG, "", "curl/8.5.0"] {
            assert_eq!(in_app_browser(ua), None, "{ua}");
        }
    }

    #[test]
    fn devices_are_described_briefly() {
        assert_eq!(describe(IPHONE_SAFARI), "iPhone · Safari");
        assert_eq!(describe(IPHONE_CHROME), "iPhone · Chrome");
        assert_eq!(describe(IPHONE_INSTAGRAM), "iPhone · Instagram");
        assert_eq!(describe(ANDROID_CHROME), "Android · Chrome");
        assert_eq!(describe(ANDROID_MESSENGER), "Android · Messenger");
        assert_eq!(describe(WINDOWS_EDGE), "Windows · Edge");
        assert_eq!(describe(MAC_FIREFOX), "Mac · Firefox");
        assert_eq!(describe(SAMSUNG), "Android · Samsung Internet");
        assert_eq!(describe("curl/8.5.0"), "Unknown device");
        assert_eq!(describe(""), "Unknown device");
    }

    #[test]
    fn every_in_app_browser_has_steps() {
        for ua in [IPHONE_INSTAGRAM, ANDROID_FACEBOOK, IPHONE_GMAIL, ANDROID_TELEGRAM, LINKEDIN, TIKTOK, LINE, WECHAT] {
            let app = in_app_browser(ua).unwrap();
            assert!(crate::kernel::i18n::has_key(app.steps_key()), "{}", app.steps_key());
        }
    }
}
