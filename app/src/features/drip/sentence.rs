//! A lesson's schedule as one sentence, for the lesson editor: "Opens 3 days after the
//! student's start, at 09:00; closes when access ends." Pure.

use crate::features::drip::rules::{CloseRule, OpenRule};
use crate::kernel::i18n::{t, tn, Locale};
use chrono::NaiveDateTime;

fn moment(at: NaiveDateTime, locale: Locale) -> String {
    let day = crate::kernel::time::long_day(at.date(), locale);
    t(locale, "drip_s_on").replace("{date}", &day).replace("{time}", &at.format("%H:%M").to_string())
}

fn after_start(days: u32, at: chrono::NaiveTime, locale: Locale) -> String {
    let time = at.format("%H:%M").to_string();
    if days == 0 {
        t(locale, "drip_s_start_day").replace("{time}", &time)
    } else {
        tn(locale, "drip_s_days_after", i64::from(days)).replace("{time}", &time)
    }
}

/// The sentence for a lesson's opening and closing rules, in `locale`.
pub fn sentence(open: &OpenRule, close: &CloseRule, locale: Locale) -> String {
    let opens = match open {
        OpenRule::Immediately => t(locale, "drip_s_immediately").to_string(),
        OpenRule::OnDate(at) => moment(*at, locale),
        OpenRule::DaysAfterStart { days, at } => after_start(*days, *at, locale),
        OpenRule::AfterPrevious => t(locale, "drip_s_after_previous").to_string(),
    };
    let closes = match close {
        CloseRule::Never => None,
        CloseRule::OnDate(at) => Some(moment(*at, locale)),
        CloseRule::DaysAfterStart { days, at } => Some(after_start(*days, *at, locale)),
        CloseRule::AtAccessEnd => Some(t(locale, "drip_s_access_end").to_string()),
    };
    let opens = t(locale, "drip_s_opens").replace("{when}", &opens);
    match closes {
        None => format!("{opens}."),
        Some(when) => format!("{opens}{}.", t(locale, "drip_s_closes").replace("{when}", &when)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    #[test]
    fn every_rule_reads_as_one_sentence_in_both_languages() {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let three = OpenRule::DaysAfterStart { days: 3, at: nine };
        assert_eq!(sentence(&three, &CloseRule::Never, Locale::En), "Opens 3 days after the student’s start, at 09:00.");
        assert_eq!(sentence(&three, &CloseRule::Never, Locale::Fr), "S’ouvre 3 jours après le début de l’élève, à 09:00.");
        let one = OpenRule::DaysAfterStart { days: 1, at: nine };
        assert_eq!(sentence(&one, &CloseRule::AtAccessEnd, Locale::Fr), "S’ouvre 1 jour après le début de l’élève, à 09:00 ; se ferme à la fin de son accès.");
        let zero = OpenRule::DaysAfterStart { days: 0, at: nine };
        assert_eq!(sentence(&zero, &CloseRule::Never, Locale::En), "Opens on the student’s first day, at 09:00.");
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap().and_hms_opt(18, 30, 0).unwrap();
        assert_eq!(sentence(&OpenRule::Immediately, &CloseRule::OnDate(date), Locale::Fr), "S’ouvre dès le début de l’accès ; se ferme le 1er mars 2027 à 18:30.");
        assert_eq!(sentence(&OpenRule::AfterPrevious, &CloseRule::DaysAfterStart { days: 10, at: nine }, Locale::En), "Opens when the previous lesson is completed; closes 10 days after the student’s start, at 09:00.");
        assert_eq!(sentence(&OpenRule::OnDate(date), &CloseRule::Never, Locale::En), "Opens on 1 March 2027 at 18:30.");
    }
}
