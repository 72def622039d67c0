//! French and English. Every string a person reads comes from `MESSAGES` by key, including
//! error codes from validation, so an error is always shown in the reader's language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
    pub fn other(self) -> Locale {
        match self {
            Locale::Fr => Locale::En,
            Locale::En => Locale::Fr,
        }
    }
    /// First supported language in an `Accept-Language` header, by listed order and q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(l) = Locale::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, l));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

/// Looks a key up; an unknown key shows itself, which a test catches.
pub fn t(locale: Locale, key: &str) -> &'static str {
    match MESSAGES.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, fr)) => match locale {
            Locale::En => en,
            Locale::Fr => fr,
        },
        None => "…",
    }
}

pub fn has_key(key: &str) -> bool {
    MESSAGES.iter().any(|(k, _, _)| *k == key)
}

/// (key, English, French)
pub const MESSAGES: &[(&str, &str, &str)] = &[
    // Platform home
    ("home_title", "Open your online school", "Ouvrez votre école en ligne"),
    ("home_lead", "Courses, lessons and students on your own subdomain. Your students log in with a code sent by email: no password to forget.", "Cours, leçons et élèves sur votre propre sous-domaine. Vos élèves se connectent avec un code envoyé par e-mail : aucun mot de passe à oublier."),
    ("school_name", "School name", "Nom de l’école"),
    ("school_slug", "Subdomain", "Sous-domaine"),
    ("school_slug_help", "3 to 30 characters: lowercase letters, digits and hyphens.", "3 à 30 caractères : lettres minuscules, chiffres et tirets."),
    ("your_email", "Your email", "Votre e-mail"),
    ("create_school", "Create my school", "Créer mon école"),
    // Errors from validation
    ("email_empty", "Enter your email address.", "Saisissez votre adresse e-mail."),
    ("email_too_long", "This email address is too long.", "Cette adresse e-mail est trop longue."),
    ("email_missing_at", "An email address needs an @, like name@example.com.", "Une adresse e-mail contient un @, par exemple nom@exemple.fr."),
    ("email_bad_local", "The part before the @ is not valid.", "La partie avant le @ n’est pas valide."),
    ("email_bad_domain", "The part after the @ is not a valid domain.", "La partie après le @ n’est pas un domaine valide."),
    ("slug_too_short", "The subdomain needs at least 3 characters.", "Le sous-domaine doit faire au moins 3 caractères."),
    ("slug_too_long", "The subdomain can have at most 30 characters (60 for a course).", "Le sous-domaine fait au plus 30 caractères (60 pour un cours)."),
    ("slug_invalid_chars", "Use only lowercase letters (a-z), digits and hyphens.", "Utilisez seulement des lettres minuscules (a-z), des chiffres et des tirets."),
    ("slug_hyphen_edge", "It cannot start or end with a hyphen.", "Il ne peut pas commencer ni finir par un tiret."),
    ("slug_reserved", "This name is reserved. Please choose another.", "Ce nom est réservé. Choisissez-en un autre."),
    ("slug_taken", "This subdomain is already taken.", "Ce sous-domaine est déjà pris."),
    ("course_slug_taken", "Another course of this school already uses this address.", "Un autre cours de cette école utilise déjà cette adresse."),
    ("title_required", "A title is required.", "Un titre est obligatoire."),
    ("title_too_long", "This title is too long.", "Ce titre est trop long."),
    ("title_invalid", "This title contains invalid characters.", "Ce titre contient des caractères invalides."),
    ("name_required", "A school name is required.", "Le nom de l’école est obligatoire."),
    ("date_invalid", "This date is not valid (use YYYY-MM-DD).", "Cette date n’est pas valide (format AAAA-MM-JJ)."),
    ("content_too_long", "This lesson is too long (100,000 characters at most).", "Cette leçon est trop longue (100 000 caractères au plus)."),
    ("description_too_long", "This description is too long.", "Cette description est trop longue."),
    ("cover_invalid", "The cover must be an http(s) image URL.", "La couverture doit être une URL d’image http(s)."),
    ("code_format", "The code has 8 digits.", "Le code comporte 8 chiffres."),
    ("code_wrong", "This code is not right. Check the latest email and try again.", "Ce code n’est pas le bon. Vérifiez le dernier e-mail et réessayez."),
    ("code_expired", "This code has expired or was already used. Ask for a new one.", "Ce code a expiré ou a déjà servi. Demandez-en un nouveau."),
    ("code_locked", "Too many wrong codes. Ask for a new code.", "Trop de codes erronés. Demandez un nouveau code."),
    ("link_used", "This login link was already used.", "Ce lien de connexion a déjà servi."),
    ("forbidden", "You do not have access to this page.", "Vous n’avez pas accès à cette page."),
    ("not_found", "Not found", "Introuvable"),
    ("internal", "Something went wrong on our side. Nothing was saved; please try again.", "Un problème est survenu de notre côté. Rien n’a été enregistré ; réessayez."),
    ("bad_request", "This form could not be read. Please try again.", "Ce formulaire n’a pas pu être lu. Réessayez."),
    ("owner_only", "Only the school's team can do this.", "Seule l’équipe de l’école peut faire cela."),
    ("date_order", "The access end date must be after today.", "La date de fin d’accès doit être après aujourd’hui."),
    ("unknown_school", "This school does not exist (yet).", "Cette école n’existe pas (encore)."),
    ("unknown_school_lead", "Check the address, or open your own school on Atelier.", "Vérifiez l’adresse, ou ouvrez votre propre école sur Atelier."),
    // Login
    ("login_title", "Log in", "Connexion"),
    ("login_lead", "Enter your email: we will send you a code and a link.", "Saisissez votre e-mail : nous vous envoyons un code et un lien."),
    ("send_code", "Send me a code", "Recevoir un code"),
    ("check_email_title", "Check your email", "Consultez vos e-mails"),
    ("check_email_lead", "If an account exists for this address, we sent an email with an 8-digit code and a link. Type the code here, in any browser.", "Si un compte existe pour cette adresse, nous avons envoyé un e-mail avec un code à 8 chiffres et un lien. Saisissez le code ici, dans n’importe quel navigateur."),
    ("code_label", "8-digit code", "Code à 8 chiffres"),
    ("verify", "Log in", "Se connecter"),
    ("other_email", "Use another email", "Utiliser une autre adresse"),
    ("continue_as", "Continue as", "Continuer en tant que"),
    ("confirm_login", "Log in", "Me connecter"),
    ("link_lead", "Tap the button to finish logging in on this device.", "Touchez le bouton pour terminer la connexion sur cet appareil."),
    ("new_login", "Get a new login email", "Recevoir un nouvel e-mail de connexion"),
    ("logout", "Log out", "Se déconnecter"),
    ("login_required", "Please log in to continue.", "Connectez-vous pour continuer."),
    // School and student pages
    ("courses", "Courses", "Cours"),
    ("my_courses", "My courses", "Mes cours"),
    ("other_courses", "Other courses of this school", "Autres cours de cette école"),
    ("no_courses", "No course yet.", "Aucun cours pour l’instant."),
    ("no_enrollments", "You are not enrolled in any course of this school yet.", "Vous n’êtes inscrit à aucun cours de cette école pour l’instant."),
    ("progress", "Progress", "Progression"),
    ("lessons", "Lessons", "Leçons"),
    ("lessons_done", "lessons completed", "leçons terminées"),
    ("previous", "Previous", "Précédente"),
    ("next", "Next", "Suivante"),
    ("mark_complete", "Mark as complete", "Marquer comme terminée"),
    ("completed", "Completed", "Terminée"),
    ("not_available", "Not available", "Non disponible"),
    ("not_available_lead", "This content is not available to you. If you think it should be, ask the school.", "Ce contenu ne vous est pas accessible. Si vous pensez qu’il devrait l’être, contactez l’école."),
    ("back_to_course", "Back to the course", "Retour au cours"),
    ("start_course", "Open the course", "Ouvrir le cours"),
    ("admin", "Admin", "Administration"),
    ("access_until", "Access until", "Accès jusqu’au"),
    ("language", "Language", "Langue"),
    ("switch_language", "Français", "English"),
    // Admin
    ("admin_title", "Your school", "Votre école"),
    ("new_course", "New course", "Nouveau cours"),
    ("title", "Title", "Titre"),
    ("slug", "Address (slug)", "Adresse (slug)"),
    ("slug_help", "Leave empty to derive it from the title.", "Laissez vide pour la déduire du titre."),
    ("description", "Description", "Description"),
    ("cover_url", "Cover image URL", "URL de l’image de couverture"),
    ("status", "Status", "Statut"),
    ("draft", "Draft", "Brouillon"),
    ("published", "Published", "Publié"),
    ("save", "Save", "Enregistrer"),
    ("saved", "Saved.", "Enregistré."),
    ("create", "Create", "Créer"),
    ("edit", "Edit", "Modifier"),
    ("delete", "Delete", "Supprimer"),
    ("delete_course_confirm", "Delete this course? Students lose access. Type the course address to confirm.", "Supprimer ce cours ? Les élèves en perdent l’accès. Saisissez l’adresse du cours pour confirmer."),
    ("delete_lesson_confirm", "Delete this lesson?", "Supprimer cette leçon ?"),
    ("confirm_mismatch", "The confirmation does not match the course address.", "La confirmation ne correspond pas à l’adresse du cours."),
    ("deleted", "Deleted.", "Supprimé."),
    ("new_lesson", "New lesson", "Nouvelle leçon"),
    ("content_md", "Content (Markdown)", "Contenu (Markdown)"),
    ("move_up", "Move up", "Monter"),
    ("move_down", "Move down", "Descendre"),
    ("students", "Students", "Élèves"),
    ("add_student", "Add a student", "Ajouter un élève"),
    ("access_end", "Access end (optional)", "Fin d’accès (facultatif)"),
    ("send_invitation", "Send an invitation email", "Envoyer une invitation par e-mail"),
    ("invite", "Send invitation", "Envoyer l’invitation"),
    ("student_added", "Student added.", "Élève ajouté."),
    ("invitation_sent", "Invitation sent.", "Invitation envoyée."),
    ("no_students", "No student yet.", "Aucun élève pour l’instant."),
    ("view_as_student", "View", "Voir"),
    ("preview_note", "Preview: you see drafts because you run this school.", "Aperçu : vous voyez les brouillons car vous gérez cette école."),
    ("never", "never", "jamais"),
    // Mail
    ("mail_login_subject", "Your login code", "Votre code de connexion"),
    ("mail_invite_subject", "You are invited to", "Vous êtes invité·e à"),
    ("mail_code_intro", "Your login code:", "Votre code de connexion :"),
    ("mail_link_intro", "Or open this link to log in:", "Ou ouvrez ce lien pour vous connecter :"),
    ("mail_expiry", "The code and the link are valid for 10 minutes and work once.", "Le code et le lien sont valables 10 minutes et ne servent qu’une fois."),
    ("mail_ignore", "If you did not ask for this, ignore this email.", "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail."),
    ("mail_signup_subject", "Confirm your new school", "Confirmez votre nouvelle école"),
    // Login that never strands a student (issue 3).
    ("inapp_title", "You are in {app}'s built-in browser", "Vous êtes dans le navigateur intégré de {app}"),
    ("inapp_steps_meta", "It does not keep you logged in. Tap ⋯ (top right), then “Open in browser” / “Open in Safari”. Or type the code from the email below.", "Il ne vous garde pas connecté. Touchez ⋯ (en haut à droite), puis « Ouvrir dans le navigateur » / « Ouvrir dans Safari ». Ou saisissez ci-dessous le code reçu par e-mail."),
    ("inapp_steps_dots", "It does not keep you logged in. Tap ⋮ or ⋯, then “Open in browser”. Or type the code from the email below.", "Il ne vous garde pas connecté. Touchez ⋮ ou ⋯, puis « Ouvrir dans le navigateur ». Ou saisissez ci-dessous le code reçu par e-mail."),
    ("inapp_steps_gmail", "It does not keep you logged in. Tap ⋮ (top right), then “Open in Chrome” / “Open in browser”. Or type the code from the email below.", "Il ne vous garde pas connecté. Touchez ⋮ (en haut à droite), puis « Ouvrir dans Chrome » / « Ouvrir dans le navigateur ». Ou saisissez ci-dessous le code reçu par e-mail."),
    ("inapp_steps_share", "It does not keep you logged in. Tap the share or ⋯ button, then “Open in browser”. Or type the code from the email below.", "Il ne vous garde pas connecté. Touchez le bouton Partager ou ⋯, puis « Ouvrir dans le navigateur ». Ou saisissez ci-dessous le code reçu par e-mail."),
    ("have_code", "Already have a code?", "Vous avez déjà un code ?"),
    ("need_code", "Need a code?", "Besoin d’un code ?"),
    ("sent_at", "Sent at {time}", "Envoyé à {time}"),
    ("sent_again_at", "sent again at {time}", "renvoyé à {time}"),
    ("resend", "Send the email again", "Renvoyer l’e-mail"),
    ("code_resent", "Sent again: the same code and link as before, both still work.", "Renvoyé : le même code et le même lien qu’avant, tous deux valables."),
    ("wait_lead", "Opened the link on another device? Choose “Also log in on that device” there, and this page goes on by itself.", "Vous avez ouvert le lien sur un autre appareil ? Choisissez-y « Me connecter aussi sur cet appareil » : cette page continuera d’elle-même."),
    ("wait_continue", "I’ve confirmed, continue", "J’ai confirmé, continuer"),
    ("wait_no_request", "No login is waiting in this browser. Ask for a code.", "Aucune connexion n’attend dans ce navigateur. Demandez un code."),
    ("wait_not_confirmed", "Not confirmed for this device yet. In the email, tap the button and choose “Also log in on that device” — or type the code.", "Pas encore confirmé pour cet appareil. Dans l’e-mail, touchez le bouton et choisissez « Me connecter aussi sur cet appareil » — ou saisissez le code."),
    ("requested_from", "Asked from {device} · {ago}", "Demandé depuis {device} · {ago}"),
    ("log_in_here", "Log in here", "Me connecter ici"),
    ("also_log_in_there", "Also log in on that device", "Me connecter aussi sur cet appareil"),
    ("also_log_in_hint", "Only if that device is yours: it will be logged in too.", "Seulement si cet appareil est le vôtre : il sera connecté lui aussi."),
    ("also_logged_in_there", "You are logged in here, and the device that asked is logging in too.", "Vous êtes connecté ici, et l’appareil qui a demandé se connecte aussi."),
    ("copy_link", "Copy link", "Copier le lien"),
    ("link_copied", "Copied: paste it in your browser.", "Copié : collez-le dans votre navigateur."),
    ("already_logged_in", "You are logged in", "Vous êtes connecté"),
    ("link_used_lead", "Each link works once. Get a new one in one tap:", "Chaque lien ne sert qu’une fois. Recevez-en un nouveau en un geste :"),
    ("link_expired", "This login link has expired.", "Ce lien de connexion a expiré."),
    ("link_expired_lead", "Get a new one in one tap:", "Recevez-en un nouveau en un geste :"),
    ("send_new_link", "Email me a new link", "M’envoyer un nouveau lien"),
    ("link_invalid", "This login link is not valid.", "Ce lien de connexion n’est pas valide."),
    ("rate_ip", "Too many login requests from this network.", "Trop de demandes de connexion depuis ce réseau."),
    ("rate_email", "Too many emails asked for this address.", "Trop d’e-mails demandés pour cette adresse."),
    ("rate_wrong_codes", "Too many wrong codes for this account.", "Trop de codes erronés pour ce compte."),
    ("retry_at", "Try again at {time} (in {minutes} min). Codes already sent still work.", "Réessayez à {time} (dans {minutes} min). Les codes déjà envoyés restent valables."),
    ("mail_reminder_subject", "Your access link", "Votre lien d’accès"),
    ("mail_expiry_week_code", "The code and the link are valid for 7 days and work once.", "Le code et le lien sont valables 7 jours et ne servent qu’une fois."),
    ("mail_expiry_week", "The link is valid for 7 days and works once.", "Le lien est valable 7 jours et ne sert qu’une fois."),
    ("mail_no_account_subject", "Login attempt", "Tentative de connexion"),
    ("mail_no_account_body", "Someone asked to log in with this address, but it has no account at this school.", "Quelqu’un a demandé à se connecter avec cette adresse, mais elle n’a pas de compte dans cette école."),
    ("mail_no_account_access", "If you expected one, ask the school’s team to invite this address, or use the address they invited:", "Si vous pensiez en avoir un, demandez à l’équipe de l’école d’inviter cette adresse, ou utilisez l’adresse invitée :"),
    ("account_title", "My account", "Mon compte"),
    ("sessions_title", "Where you are logged in", "Où vous êtes connecté"),
    ("session_since", "since {time}", "depuis le {time}"),
    ("session_seen", "last active {time}", "actif le {time}"),
    ("this_device", "this device", "cet appareil"),
    ("end_session", "Log out that device", "Déconnecter cet appareil"),
    ("session_ended", "That device is logged out.", "Cet appareil est déconnecté."),
    ("logout_everywhere", "Log out everywhere", "Me déconnecter partout"),
    ("logged_out_everywhere", "You are logged out on every device.", "Vous êtes déconnecté sur tous vos appareils."),
    ("email", "Email", "E-mail"),
    ("last_login", "Last login", "Dernière connexion"),
    ("active_sessions", "Active sessions", "Sessions actives"),
    ("send_access_reminder", "Send access reminder (link valid 7 days)", "Envoyer un rappel d’accès (lien valable 7 jours)"),
    ("reminder_sent", "Access reminder sent.", "Rappel d’accès envoyé."),
    ("end_student_sessions", "Log this student out everywhere", "Déconnecter cet élève partout"),
    ("sessions_ended", "All the student’s sessions are ended.", "Toutes les sessions de l’élève sont terminées."),
    ("login_timeline", "Login timeline", "Historique de connexion"),
    ("likely_scanner", "likely a mail scanner", "sans doute un antivirus de messagerie"),
    ("event_code_sent", "Login email sent", "E-mail de connexion envoyé"),
    ("event_code_resent", "Login email sent again", "E-mail de connexion renvoyé"),
    ("event_invite_sent", "Invitation sent", "Invitation envoyée"),
    ("event_reminder_sent", "Access reminder sent", "Rappel d’accès envoyé"),
    ("event_link_view", "Link opened", "Lien ouvert"),
    ("event_link_confirmed", "Link confirmed", "Lien confirmé"),
    ("event_code_used", "Code used", "Code utilisé"),
    ("event_code_wrong", "Wrong code", "Code erroné"),
    ("event_locked", "Code locked after 5 wrong tries", "Code bloqué après 5 essais"),
    ("event_waiter_finished", "Logged in on the device that asked", "Connecté sur l’appareil demandeur"),
    ("event_rate_limited", "Limit reached", "Limite atteinte"),
    ("event_sessions_ended", "Sessions ended by the school", "Sessions terminées par l’école"),
    ("settings", "Settings", "Réglages"),
    ("default_language", "Default language", "Langue par défaut"),
    ("unknown_email_policy", "When an email with no account asks for a code", "Quand une adresse sans compte demande un code"),
    ("unknown_email_silent", "Send nothing", "Ne rien envoyer"),
    ("unknown_email_notify", "Send an email saying there is no account here and how to get access", "Envoyer un e-mail indiquant qu’il n’y a pas de compte ici et comment obtenir l’accès"),
    // Drip (issue 4).
    ("opens_at", "Opens {when}", "Ouvre le {when}"),
    ("opens_after_previous", "Opens when the previous lesson is completed", "S’ouvre quand la leçon précédente est terminée"),
    ("closes_in_hours", "Closes in {n} hours", "Se ferme dans {n} heures"),
    ("closed_since", "Closed since {when}", "Fermée depuis le {when}"),
    ("access_ended_on", "Your access ended on {when}. To continue, ask the school’s team.", "Votre accès a pris fin le {when}. Pour continuer, adressez-vous à l’équipe de l’école."),
    ("completed_expired", "Completed / expired", "Terminés / expirés"),
    ("drip_open_invalid", "The opening rule is incomplete: give the number of days and a time, or a date and time.", "La règle d’ouverture est incomplète : indiquez le nombre de jours et une heure, ou une date et une heure."),
    ("drip_close_invalid", "The closing rule is incomplete: give the number of days and a time, or a date and time.", "La règle de fermeture est incomplète : indiquez le nombre de jours et une heure, ou une date et une heure."),
    ("drip_opens", "Opens", "Ouverture"),
    // Embeds (issue 5).
    ("site_scheme", "A site starts with https:// (or http://).", "Un site commence par https:// (ou http://)."),
    ("site_origin_only", "Give the site only (https://www.example.com), without a page path.", "Indiquez seulement le site (https://www.exemple.fr), sans chemin de page."),
    ("site_port", "The port after “:” must be a number.", "Le port après « : » doit être un nombre."),
    ("site_host", "This is not a valid site name.", "Ce nom de site n’est pas valide."),
    ("site_too_many", "At most 50 sites.", "50 sites au plus."),
    ("impact_lead", "Content saved. The new schedule is not applied yet: right now it would give {gain} current student(s) access to this lesson and take it away from {lose}.", "Contenu enregistré. Le nouveau programme n’est pas encore appliqué : il donnerait dès maintenant accès à cette leçon à {gain} élève(s) et le retirerait à {lose}."),
    ("impact_confirm", "Apply the new schedule", "Appliquer le nouveau programme"),
    ("rule_day_at", "day {n} at {time}", "jour {n} à {time}"),
    ("preview_open", "Open", "Ouverte"),
    ("schedule_start", "Dates for a student starting on", "Dates pour un élève qui commence le"),
    ("preview_at", "Preview at", "Aperçu au"),
    ("preview_as", "As", "En tant que"),
    ("preview_hypothetical", "a student starting on that date", "un élève qui commence à cette date"),
    ("preview_column", "What they see", "Ce qu’il voit"),
    ("show", "Show", "Afficher"),
    ("schedule_and_preview", "Schedule and preview as a student", "Programme et aperçu élève"),
    ("mail_digest_subject", "New lessons are open", "De nouvelles leçons sont ouvertes"),
    ("digest_opened", "Now open in “{course}”:", "Maintenant ouvertes dans « {course} » :"),
    ("digest_closing", "Closing within 48 hours in “{course}”:", "Se ferment dans moins de 48 heures dans « {course} » :"),
    ("digest_opt_out", "You can switch these emails off in “My account”.", "Vous pouvez désactiver ces e-mails dans « Mon compte »."),
    ("event_digest_sent", "Digest sent", "Récapitulatif envoyé"),
    ("digest_emails", "Emails when new lessons open", "E-mails quand de nouvelles leçons s’ouvrent"),
    ("digest_on", "Send them", "Les recevoir"),
    ("digest_off", "Switch them off", "Les désactiver"),
    ("schedule", "Schedule", "Programme"),
    ("access_mode", "Days count from", "Les jours comptent à partir"),
    ("mode_evergreen", "each student’s access start (evergreen)", "du début d’accès de chaque élève (permanent)"),
    ("mode_cohort", "one start for everyone (marathon / cohort)", "d’un même départ pour tous (marathon / cohorte)"),
    ("cohort_start", "Cohort start (school time)", "Départ de la cohorte (heure de l’école)"),
    ("access_days", "Access lasts (days, empty: no limit)", "Durée d’accès (jours, vide : illimitée)"),
    ("cohort_start_invalid", "A cohort needs a start date and time.", "Une cohorte a besoin d’une date et d’une heure de départ."),
    ("access_from", "Access from", "Accès depuis le"),
    ("shifted_days", "schedule moved by (days)", "programme décalé de (jours)"),
    ("all_released", "everything released", "tout débloqué"),
    ("freeze_days", "Move the schedule later by (days)", "Décaler le programme de (jours)"),
    ("freeze", "Freeze / shift", "Geler / décaler"),
    ("unlock_lesson", "Unlock one lesson", "Débloquer une leçon"),
    ("unlock", "Unlock", "Débloquer"),
    ("release_all", "Release everything", "Tout débloquer"),
    ("relock_all", "Back to the schedule", "Revenir au programme"),
    ("days_invalid", "Give a whole number of days.", "Indiquez un nombre entier de jours."),
    ("drip_closes", "Closes", "Fermeture"),
    ("drip_immediately", "At access start", "Dès le début de l’accès"),
    ("drip_on_date", "On a date (school time)", "À une date (heure de l’école)"),
    ("drip_days_after", "N days after access start, at a time", "N jours après le début de l’accès, à une heure"),
    ("drip_after_previous", "When the previous lesson is completed", "Quand la leçon précédente est terminée"),
    ("drip_never", "Never", "Jamais"),
    ("drip_at_access_end", "When access ends", "À la fin de l’accès"),
    ("drip_days", "Days", "Jours"),
    ("drip_time", "Time", "Heure"),
    ("drip_date", "Date and time", "Date et heure"),
    ("access_expired_short", "Access ended", "Accès terminé"),
    // Trial lessons and embeds
    ("trial_tag", "Free trial lesson", "Leçon d’essai gratuite"),
    ("trial_cta", "Get the full course", "Accéder au cours complet"),
    ("trial_cta_note", "Opens the course in a new tab.", "Le cours s’ouvre dans un nouvel onglet."),
    ("embed_not_available", "Not available", "Non disponible"),
    ("embed_not_available_lead", "This lesson is not available here.", "Cette leçon n’est pas disponible ici."),
    ("log_in", "Log in", "Se connecter"),
    ("trial_badge", "Free preview", "Aperçu gratuit"),
    ("trial_visitor_lead", "You are reading a free trial lesson of this course.", "Vous lisez une leçon d’essai gratuite de ce cours."),
    ("course_visitor_lead", "Already a student of this course? Log in to follow it.", "Déjà inscrit à ce cours ? Connectez-vous pour le suivre."),
    ("trial_title", "Trial lesson", "Leçon d’essai"),
    ("trial_lead", "A trial lesson can be read by anyone: on its public page, and embedded on your own website.", "Une leçon d’essai est lisible par tous : sur sa page publique, et intégrée à votre propre site."),
    ("trial_enable", "Trial lesson (public)", "Leçon d’essai (publique)"),
    ("trial_on", "This lesson is now a trial lesson.", "Cette leçon est maintenant une leçon d’essai."),
    ("trial_off", "This lesson is no longer public: its page and embeds say it is not available.", "Cette leçon n’est plus publique : sa page et ses intégrations indiquent qu’elle n’est pas disponible."),
    ("trial_not_live", "Not public yet: the lesson and its course must both be published.", "Pas encore publique : la leçon et son cours doivent être publiés."),
    ("trial_public_page", "Public page", "Page publique"),
    ("trial_embed_url", "Embed URL", "Adresse d’intégration"),
    ("trial_snippet", "Code to paste on your website", "Code à coller sur votre site"),
    ("trial_snippet_help", "The frame grows to fit the lesson. Without the script it keeps a fixed height and scrolls.", "Le cadre s’ajuste à la leçon. Sans le script, il garde une hauteur fixe avec défilement."),
    ("copy", "Copy", "Copier"),
    ("copied", "Copied.", "Copié."),
    ("embed_regenerate", "Regenerate the embed URL", "Régénérer l’adresse d’intégration"),
    ("embed_regenerate_confirm", "Embeds already on websites will show “not available”.", "Les intégrations déjà en place afficheront « non disponible »."),
    ("embed_regenerate_confirm_needed", "Tick the box to confirm: embeds already on websites will stop working.", "Cochez la case pour confirmer : les intégrations déjà en place cesseront de fonctionner."),
    ("embed_regenerated", "New embed URL: update the code on your website.", "Nouvelle adresse d’intégration : mettez à jour le code sur votre site."),
    ("trial_stats", "Last 30 days", "30 derniers jours"),
    ("stats_day", "Day", "Jour"),
    ("stats_views", "Views", "Vues"),
    ("stats_clicks", "“Get the full course” clicks", "Clics « Accéder au cours complet »"),
    ("stats_total", "Total", "Total"),
    ("no_views_yet", "No views yet.", "Aucune vue pour l’instant."),
    ("embeds_title", "Trial lesson embeds", "Intégration des leçons d’essai"),
    ("brand_color", "School colour", "Couleur de l’école"),
    ("embed_sites", "Websites allowed to embed your trial lessons", "Sites autorisés à intégrer vos leçons d’essai"),
    ("embed_sites_help", "One address per line, like https://www.example.com or https://*.example.com. Empty: any website.", "Une adresse par ligne, comme https://www.exemple.fr ou https://*.exemple.fr. Vide : tous les sites."),
    ("brand_color_invalid", "A colour is written #rrggbb, like #2d5bd7.", "Une couleur s’écrit #rrvvbb, comme #2d5bd7."),
    ("line_n", "Line {n}:", "Ligne {n} :"),
    // CSV files and student imports
    ("csv_empty", "The file is empty.", "Le fichier est vide."),
    ("csv_utf16", "The file is in UTF-16. In your spreadsheet, save it as “CSV UTF-8”.", "Le fichier est en UTF-16. Dans votre tableur, enregistrez-le en « CSV UTF-8 »."),
    ("csv_not_utf8", "The file is not in UTF-8 (first problem on line {line}). In your spreadsheet, save it as “CSV UTF-8”.", "Le fichier n’est pas en UTF-8 (premier problème ligne {line}). Dans votre tableur, enregistrez-le en « CSV UTF-8 »."),
    ("csv_record_too_long", "Line {line} is too long (over 64 KB): is this a CSV file of students?", "La ligne {line} est trop longue (plus de 64 Ko) : est-ce bien un fichier CSV d’élèves ?"),
    ("csv_too_many_rows", "Too many rows: at most 10,000 per file. Split the file.", "Trop de lignes : 10 000 au plus par fichier. Découpez le fichier."),
    ("csv_too_large", "The file is too large (at most 5 MB).", "Le fichier est trop gros (5 Mo au plus)."),
    ("csv_no_file", "Choose a CSV file to upload.", "Choisissez un fichier CSV à déposer."),
    ("import_no_email_column", "No email column: the first line must name the columns (email, first_name, last_name, courses...).", "Aucune colonne email : la première ligne doit nommer les colonnes (email, prénom, nom, cours…)."),
    ("import_repeated_column", "A column appears twice: {column}.", "Une colonne apparaît deux fois : {column}."),
    ("import_no_rows", "The file has a header but no rows.", "Le fichier a une ligne d’en-tête mais aucune ligne d’élève."),
    ("import_email_invalid", "not a valid email address.", "adresse email invalide."),
    ("import_email_missing", "missing (every row needs one).", "manquant (chaque ligne en a besoin)."),
    ("import_course_unknown", "no course has this slug in your school.", "aucun cours de votre école n’a cet identifiant."),
    ("import_date_impossible", "this date does not exist.", "cette date n’existe pas."),
    ("import_date_format", "write dates as YYYY-MM-DD, like 2026-09-01.", "écrivez les dates AAAA-MM-JJ, comme 2026-09-01."),
    ("import_end_before_start", "access ends before it starts.", "l’accès se termine avant de commencer."),
    ("import_language_unknown", "unknown language (fr or en): the school’s language is used.", "langue inconnue (fr ou en) : la langue de l’école sera utilisée."),
    ("import_name_too_long", "longer than 100 characters.", "plus de 100 caractères."),
    ("import_note_too_long", "longer than 2,000 characters.", "plus de 2 000 caractères."),
    ("import_duplicate_conflict", "the same email is on line {line} with different data.", "le même email est ligne {line} avec d’autres informations."),
    ("import_duplicate_same", "repeats line {line} exactly: imported once.", "répète exactement la ligne {line} : importé une fois."),
    ("import_unknown_column", "unknown column, not imported.", "colonne inconnue, non importée."),
    ("import_title", "Import students", "Importer des élèves"),
    ("import_step_upload", "1. Upload a CSV file", "1. Déposer un fichier CSV"),
    ("import_lead", "One student per line. Columns: email (required), first_name, last_name, courses (course slugs separated by |), access_start and access_end (YYYY-MM-DD), language (fr or en), note. French headers work too; the separator (; or ,) is detected.", "Un élève par ligne. Colonnes : email (obligatoire), prénom, nom, cours (identifiants séparés par |), début et fin (AAAA-MM-JJ), langue (fr ou en), remarque. Les en-têtes anglais fonctionnent aussi ; le séparateur (; ou ,) est détecté."),
    ("import_template", "Download the template", "Télécharger le modèle"),
    ("import_file", "File", "Fichier"),
    ("import_upload", "Upload and preview", "Déposer et prévisualiser"),
    ("import_recent", "Recent imports", "Imports récents"),
    ("import_rows", "rows", "lignes"),
    ("import_status_previewed", "not imported yet", "pas encore importé"),
    ("import_status_running", "importing", "import en cours"),
    ("import_status_done", "imported", "importé"),
    ("import_step_preview", "2. How your file is read", "2. Lecture de votre fichier"),
    ("import_read_as", "Separator:", "Séparateur :"),
    ("import_column", "Column", "Colonne"),
    ("import_field", "Read as", "Lue comme"),
    ("import_first_row", "First row", "Première ligne"),
    ("import_not_imported", "not imported", "non importée"),
    ("import_warning", "Warning", "Avertissement"),
    ("import_error", "Error", "Erreur"),
    ("import_rows_ok", "rows ready", "lignes prêtes"),
    ("import_rows_rejected", "rows rejected", "lignes rejetées"),
    ("import_rows_warned", "with warnings", "avec avertissements"),
    ("import_line", "Line", "Ligne"),
    ("import_problems", "Problems", "Problèmes"),
    ("import_rejected", "Rejected", "Rejetée"),
    ("import_step_run", "3. Import", "3. Importer"),
    ("import_update_existing", "Update students who already exist (same email)", "Mettre à jour les élèves existants (même email)"),
    ("import_grant_courses", "Give access to the listed courses", "Donner accès aux cours indiqués"),
    ("import_invite_new", "Send an invitation to new students", "Envoyer une invitation aux nouveaux élèves"),
    ("import_rejected_not_imported", "Rejected rows are not imported: download them, fix them, and import that file.", "Les lignes rejetées ne sont pas importées : téléchargez-les, corrigez-les, puis importez ce fichier."),
    ("import_run", "Import {n} rows", "Importer {n} lignes"),
    ("import_running", "Importing…", "Import en cours…"),
    ("import_done", "Import finished", "Import terminé"),
    ("import_created", "Created", "Créés"),
    ("import_updated", "Updated", "Mis à jour"),
    ("import_enrolled", "Course access given or changed", "Accès aux cours donnés ou modifiés"),
    ("import_unchanged", "Unchanged", "Inchangés"),
    ("import_invited", "Invitations sent", "Invitations envoyées"),
    ("import_rejects_file", "Download rejected rows (CSV)", "Télécharger les lignes rejetées (CSV)"),
    ("import_log_file", "Download the log", "Télécharger le journal"),
    ("import_outcome_created", "created", "créé"),
    ("import_outcome_updated", "updated", "mis à jour"),
    ("import_outcome_unchanged", "unchanged", "inchangé"),
    ("import_outcome_rejected", "rejected", "rejetée"),
    ("import_outcome_repeat", "repeat, imported once", "répétition, importée une fois"),
    ("import_outcome_pending", "not imported yet", "pas encore importée"),
    // Student directory, profile, account
    ("explain_title", "Why can't they see it?", "Pourquoi ne voit-il pas le cours ?"),
    ("filter_text", "Name or email contains", "Nom ou email contient"),
    ("filter_any_course", "Any course", "Tous les cours"),
    ("filter_enrollment", "Access", "Accès"),
    ("filter_whatever", "Any", "Peu importe"),
    ("enrollment_active", "Active", "Actif"),
    ("enrollment_expired", "Expired", "Expiré"),
    ("enrollment_revoked", "Revoked", "Retiré"),
    ("enrollment_none", "Not enrolled", "Non inscrit"),
    ("filter_account", "Account", "Compte"),
    ("account_active", "Active", "Actif"),
    ("account_deactivated", "Deactivated", "Désactivé"),
    ("filter_never_logged_in", "Never logged in", "Jamais connecté"),
    ("filter_login_after", "Last login on or after", "Dernière connexion à partir du"),
    ("filter_login_before", "Last login before", "Dernière connexion avant le"),
    ("filter_all", "All criteria", "Tous les critères"),
    ("filter_any", "Any criterion", "Au moins un critère"),
    ("filter_apply", "Filter", "Filtrer"),
    ("filter_invalid", "A filter value was not understood and is ignored.", "Une valeur de filtre n’a pas été comprise et est ignorée."),
    ("students_matching", "{n} students", "{n} élèves"),
    ("export_csv", "Export (CSV)", "Exporter (CSV)"),
    ("name", "Name", "Nom"),
    ("previous_page", "Previous", "Précédent"),
    ("next_page", "Next", "Suivant"),
    ("page_of", "Page {page} of {pages}", "Page {page} sur {pages}"),
    ("profile", "Profile", "Profil"),
    ("first_name", "First name", "Prénom"),
    ("last_name", "Last name", "Nom"),
    ("school_language", "The school's language", "La langue de l’école"),
    ("note", "Note (only you see it)", "Remarque (vous seul la voyez)"),
    ("deactivate_lead", "A deactivated student cannot log in, and is logged out everywhere now. Nothing is deleted.", "Un élève désactivé ne peut plus se connecter et est déconnecté partout immédiatement. Rien n’est supprimé."),
    ("reactivate_lead", "Reactivating gives back everything: courses, progress, history.", "La réactivation rend tout : cours, progression, historique."),
    ("deactivate", "Deactivate the account", "Désactiver le compte"),
    ("reactivate", "Reactivate the account", "Réactiver le compte"),
    ("account_reactivated", "Account reactivated.", "Compte réactivé."),
    ("emails_sent", "Emails", "Emails"),
    ("mail_status_pending", "waiting to be sent", "en attente d’envoi"),
    ("mail_status_sent", "sent", "envoyé"),
    ("mail_status_failed", "failed", "échec"),
    ("mail_status_delivered", "delivered", "distribué"),
    ("mail_status_complained", "marked as spam by the recipient", "signalé comme indésirable par le destinataire"),
    ("mail_status_bounced", "bounced", "rejeté par le destinataire"),
    ("history", "History", "Historique"),
    ("event_audit_student_created", "Created (import)", "Créé (import)"),
    ("event_audit_student_updated", "Updated (import)", "Mis à jour (import)"),
    ("event_audit_course_granted", "Course access given or changed", "Accès au cours donné ou modifié"),
    ("event_audit_account_deactivated", "Account deactivated", "Compte désactivé"),
    ("event_audit_account_reactivated", "Account reactivated", "Compte réactivé"),
    ("event_audit_profile_saved", "Profile saved", "Profil enregistré"),
    // "Why can't this student see it?"
    ("email_invalid", "This is not a valid email address.", "Ce n’est pas une adresse email valide."),
    ("explain_run", "Check", "Vérifier"),
    ("explain_similar", "Did you mean…", "Vouliez-vous dire…"),
    ("explain_check_this", "check this one", "vérifier celui-ci"),
    ("fix_grant", "Give access (and send an invitation)", "Donner l’accès (et envoyer une invitation)"),
    ("fix_publish_course", "Publish the course", "Publier le cours"),
    ("fix_publish_lesson", "Publish the lesson", "Publier la leçon"),
    ("fix_extend", "Extend access", "Prolonger l’accès"),
    ("check_account", "Account in this school", "Compte dans cette école"),
    ("check_active", "Account active", "Compte actif"),
    ("check_course_published", "Course published", "Cours publié"),
    ("check_lesson_published", "Lesson published", "Leçon publiée"),
    ("check_enrolled", "Enrolled in the course", "Inscrit au cours"),
    ("check_access_now", "Access valid now", "Accès valide maintenant"),
    ("check_lesson_open", "Lesson open for this student", "Leçon ouverte pour cet élève"),
    ("check_login", "Has logged in", "S’est déjà connecté"),
    ("check_login_email", "Last login email", "Dernier email de connexion"),
    ("fact_no_account", "no account with this email in your school.", "aucun compte avec cet email dans votre école."),
    ("fact_account_since", "account created {when}.", "compte créé le {when}."),
    ("fact_active", "the account is active.", "le compte est actif."),
    ("fact_deactivated", "the account is deactivated: they cannot log in.", "le compte est désactivé : connexion impossible."),
    ("fact_course_published", "the course is published.", "le cours est publié."),
    ("fact_course_draft", "the course is a draft: students do not see it.", "le cours est un brouillon : les élèves ne le voient pas."),
    ("fact_lesson_published", "the lesson is published.", "la leçon est publiée."),
    ("fact_lesson_draft", "the lesson is a draft: students do not see it.", "la leçon est un brouillon : les élèves ne la voient pas."),
    ("fact_not_enrolled", "not enrolled in this course.", "pas inscrit à ce cours."),
    ("fact_enrolled_since", "access from {when}.", "accès depuis le {when}."),
    ("fact_revoked", "access was removed.", "l’accès a été retiré."),
    ("fact_starts_on", "access has not started: it starts {when}.", "l’accès n’a pas commencé : il commence le {when}."),
    ("fact_ended_on", "access ended {when}.", "l’accès a pris fin le {when}."),
    ("fact_access_until", "access until {when}.", "accès jusqu’au {when}."),
    ("fact_access_unlimited", "access without end date.", "accès sans date de fin."),
    ("fact_open", "the lesson is open.", "la leçon est ouverte."),
    ("fact_open_until", "the lesson is open until {when}.", "la leçon est ouverte jusqu’au {when}."),
    ("fact_opens_at", "locked by the schedule: it opens {when}.", "verrouillée par le programme : elle ouvre le {when}."),
    ("fact_waits_previous", "locked until the previous lesson is completed.", "verrouillée jusqu’à ce que la leçon précédente soit terminée."),
    ("fact_closed_since", "closed by the schedule since {when}.", "fermée par le programme depuis le {when}."),
    ("fact_lesson_expired", "closed: the access has ended.", "fermée : l’accès a pris fin."),
    ("fact_last_login", "last login {when}.", "dernière connexion le {when}."),
    ("fact_never_logged_in", "has never logged in.", "ne s’est jamais connecté."),
    ("fact_email_used", "sent {when}, and used to log in.", "envoyé le {when}, et utilisé pour se connecter."),
    ("fact_email_scanner_only", "sent {when}; its link was opened only by a mail scanner, never used.", "envoyé le {when} ; son lien n’a été ouvert que par un antivirus de messagerie, jamais utilisé."),
    ("fact_email_unused", "sent {when}, never used.", "envoyé le {when}, jamais utilisé."),
    ("export_completed_on", "completed on", "terminée le"),
    ("export_done", "completed", "terminée"),
    ("export_not_done", "not completed", "non terminée"),
    ("export_title", "Export", "Exporter"),
    ("export_columns", "Columns", "Colonnes"),
    ("export_separator", "Separator", "Séparateur"),
    ("export_progress", "Progress (CSV)", "Progression (CSV)"),
    // Bulk actions and saved lists
    ("bulk_title", "Act on several students", "Agir sur plusieurs élèves"),
    ("bulk_checked", "The checked students", "Les élèves cochés"),
    ("bulk_all_matching", "All {n} students matching the filter", "Les {n} élèves correspondant au filtre"),
    ("bulk_action", "Action", "Action"),
    ("bulk_start", "Access from (grant)", "Accès à partir du (donner l’accès)"),
    ("bulk_end", "Access until", "Accès jusqu’au"),
    ("bulk_days", "Days (extend)", "Jours (prolonger)"),
    ("bulk_subject", "Email subject", "Objet de l’email"),
    ("bulk_body", "Email text", "Texte de l’email"),
    ("bulk_fields_help", "In an email: {{first_name}}, {{last_name}}, {{email}}, {{course_title}}, {{school_name}}, {{login_link}} (a personal login link, 7 days).", "Dans un email : {{first_name}}, {{last_name}}, {{email}}, {{course_title}}, {{school_name}}, {{login_link}} (un lien de connexion personnel, 7 jours)."),
    ("bulk_continue", "Continue", "Continuer"),
    ("bulk_action_grant", "Give access to a course", "Donner accès à un cours"),
    ("bulk_action_set_end", "Change the access end date", "Changer la date de fin d’accès"),
    ("bulk_action_extend", "Extend access by days", "Prolonger l’accès de N jours"),
    ("bulk_action_revoke", "Remove access to a course", "Retirer l’accès à un cours"),
    ("bulk_action_reset_progress", "Reset progress in a course", "Remettre à zéro la progression d’un cours"),
    ("bulk_action_deactivate", "Deactivate accounts", "Désactiver les comptes"),
    ("bulk_action_reactivate", "Reactivate accounts", "Réactiver les comptes"),
    ("bulk_action_reminder", "Send an access reminder", "Envoyer un rappel d’accès"),
    ("bulk_action_email", "Send an email", "Envoyer un email"),
    ("bulk_effect_grant", "Give access to “{course}” from {start} until {end}.", "Donner accès à « {course} » du {start} jusqu’au {end}."),
    ("bulk_effect_set_end", "Set the end of access to “{course}” to {end}.", "Fixer la fin d’accès à « {course} » au {end}."),
    ("bulk_effect_extend", "Extend access to “{course}” by {days} days.", "Prolonger l’accès à « {course} » de {days} jours."),
    ("bulk_effect_revoke", "Remove access to “{course}”.", "Retirer l’accès à « {course} »."),
    ("bulk_effect_reset_progress", "Erase progress in “{course}” (lessons completed).", "Effacer la progression dans « {course} » (leçons terminées)."),
    ("bulk_effect_deactivate", "Deactivate the accounts: no more login, logged out everywhere now.", "Désactiver les comptes : plus de connexion, déconnexion partout immédiatement."),
    ("bulk_effect_reactivate", "Reactivate the accounts.", "Réactiver les comptes."),
    ("bulk_effect_reminder", "Email each one a personal login link (7 days).", "Envoyer à chacun un lien de connexion personnel (7 jours)."),
    ("bulk_effect_email", "Send the email “{subject}”.", "Envoyer l’email « {subject} »."),
    ("bulk_today", "today", "aujourd’hui"),
    ("bulk_no_end", "no end date", "sans date de fin"),
    ("bulk_confirm_lead", "{n} students:", "{n} élèves :"),
    ("bulk_confirm", "Confirm for {n} students", "Confirmer pour {n} élèves"),
    ("bulk_nobody", "No student selected: check some, or choose “all matching the filter”.", "Aucun élève sélectionné : cochez-en, ou choisissez « tous ceux du filtre »."),
    ("bulk_unknown_action", "Choose an action.", "Choisissez une action."),
    ("bulk_course_required", "Choose a course for this action.", "Choisissez un cours pour cette action."),
    ("bulk_subject_required", "The email needs a subject.", "L’email a besoin d’un objet."),
    ("bulk_body_required", "The email needs a text.", "L’email a besoin d’un texte."),
    ("bulk_too_long", "The email is too long.", "L’email est trop long."),
    ("bulk_unknown_fields", "Unknown fields: {fields}. Known fields: {known}.", "Champs inconnus : {fields}. Champs connus : {known}."),
    ("bulk_course_title_needs_course", "{{course_title}} needs a course: choose one.", "{{course_title}} a besoin d’un cours : choisissez-en un."),
    ("bulk_result_title", "Result", "Résultat"),
    ("bulk_succeeded", "done", "fait"),
    ("bulk_failed", "failed", "échec"),
    ("bulk_ok", "done", "fait"),
    ("bulk_ok_updated", "done (access dates changed)", "fait (dates d’accès modifiées)"),
    ("bulk_fail_not_enrolled", "not enrolled in this course", "pas inscrit à ce cours"),
    ("bulk_fail_no_end", "access has no end date to extend", "l’accès n’a pas de date de fin à prolonger"),
    ("bulk_fail_already_deactivated", "already deactivated", "déjà désactivé"),
    ("bulk_fail_already_active", "already active", "déjà actif"),
    ("bulk_fail_deactivated", "account deactivated: no email sent", "compte désactivé : aucun email envoyé"),
    ("list_name", "Save this selection as a list named", "Enregistrer cette sélection comme liste nommée"),
    ("list_save", "Save the list", "Enregistrer la liste"),
    ("list_name_required", "Give the list a name (100 characters at most).", "Donnez un nom à la liste (100 caractères au plus)."),
    ("filter_list", "Saved list", "Liste enregistrée"),
    ("event_audit_bulk_grant", "Course access given (bulk)", "Accès au cours donné (en masse)"),
    ("event_audit_bulk_set_end", "Access end changed (bulk)", "Fin d’accès modifiée (en masse)"),
    ("event_audit_bulk_extend", "Access extended (bulk)", "Accès prolongé (en masse)"),
    ("event_audit_bulk_revoke", "Course access removed (bulk)", "Accès au cours retiré (en masse)"),
    ("event_audit_bulk_reset_progress", "Progress reset (bulk)", "Progression remise à zéro (en masse)"),
    ("event_audit_bulk_deactivate", "Account deactivated (bulk)", "Compte désactivé (en masse)"),
    ("event_audit_bulk_reactivate", "Account reactivated (bulk)", "Compte réactivé (en masse)"),
    ("event_audit_bulk_reminder", "Access reminder sent (bulk)", "Rappel d’accès envoyé (en masse)"),
    ("event_audit_bulk_email", "Email sent (bulk)", "Email envoyé (en masse)"),
    // Inviting one student
    ("invite_title", "Invite a student", "Inviter un élève"),
    ("invite_courses", "Courses", "Cours"),
    ("invite_start", "Access from (empty: today)", "Accès à partir du (vide : aujourd’hui)"),
    ("invite_send", "Send the invitation (login link and code, valid 7 days)", "Envoyer l’invitation (lien et code de connexion, valables 7 jours)"),
    ("invite_copy", "Send me a copy (without the link and code)", "M’en envoyer une copie (sans le lien ni le code)"),
    ("invite_submit", "Add the student", "Ajouter l’élève"),
    ("resend_invitation", "Send the invitation again", "Renvoyer l’invitation"),
    ("mail_copy_prefix", "Copy:", "Copie :"),
    ("mail_copy_intro", "Copy of the invitation sent to {email}. Their personal link and code are hidden in your copy.", "Copie de l’invitation envoyée à {email}. Son lien et son code personnels sont masqués dans votre copie."),
    ("mail_copy_hidden", "[hidden in your copy]", "[masqué dans votre copie]"),
    // Lesson blocks
    ("video_not_https", "A video address starts with https://.", "Une adresse de vidéo commence par https://."),
    ("video_unsupported", "This is not a YouTube, Vimeo, Cloudflare Stream or .mp4 address.", "Ce n’est pas une adresse YouTube, Vimeo, Cloudflare Stream ou .mp4."),
    ("video_bad_id", "This video address is incomplete or wrong.", "Cette adresse de vidéo est incomplète ou erronée."),
    ("block_button_label", "A button needs a label (80 characters at most).", "Un bouton a besoin d’un libellé (80 caractères au plus)."),
    ("block_button_url", "A button links to an http(s) address.", "Un bouton mène à une adresse http(s)."),
    ("block_embed_host", "This site is not among the sites your school allows in lessons (Settings).", "Ce site ne fait pas partie des sites autorisés dans les leçons de votre école (Réglages)."),
    ("block_spoiler_title", "A spoiler needs a title (200 characters at most).", "Un bloc masqué a besoin d’un titre (200 caractères au plus)."),
    ("block_video_title", "Lesson video", "Vidéo de la leçon"),
    ("block_embed_title", "Embedded content", "Contenu intégré"),
    ("math_too_deep", "The formula is nested too deeply.", "La formule est trop imbriquée."),
    ("math_unclosed", "A { is not closed.", "Une { n’est pas fermée."),
    ("math_unopened", "A } closes nothing.", "Une } ne ferme rien."),
    ("math_double_script", "Two exponents or two indices in a row: use braces.", "Deux exposants ou deux indices de suite : utilisez des accolades."),
    ("math_expected_group", "This command expects {…}.", "Cette commande attend {…}."),
    ("math_missing", "Something is missing at the end of the formula.", "Il manque quelque chose à la fin de la formule."),
    ("math_unknown_character", "This character cannot be used in a formula.", "Ce caractère ne peut pas être utilisé dans une formule."),
    ("math_unknown_command", "Unknown command.", "Commande inconnue."),
    ("math_too_long", "The formula is too long.", "La formule est trop longue."),
    ("math_empty", "The formula is empty.", "La formule est vide."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("de-DE,en-US;q=0.7,fr;q=0.3"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("en;q=0.2, fr;q=0.8"), Some(Locale::Fr));
        assert_eq!(Locale::from_accept_language("de"), None);
        assert_eq!(Locale::from_accept_language(""), None);
    }

    /// Every `tr("key")` in the pages names a message: a typo would show "…" to people.
    #[test]
    fn every_key_used_in_the_source_exists() {
        fn walk(dir: &std::path::Path, missing: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, missing);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for (at, _) in source.match_indices("tr(\"") {
                        // `tr(`, not `push_str(`.
                        if source[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let key = source[at + 4..].split('"').next().unwrap_or("");
                        if !has_key(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        let mut missing = vec![];
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut missing);
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut keys: Vec<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate message keys");
        assert!(MESSAGES.iter().all(|(_, en, fr)| !en.is_empty() && !fr.is_empty()));
    }

    #[test]
    fn every_domain_error_code_has_a_message() {
        use crate::domain::{email::EmailError, slug::SlugError};
        for e in [EmailError::Empty, EmailError::TooLong, EmailError::MissingAt, EmailError::BadLocalPart, EmailError::BadDomain] {
            assert!(has_key(e.code()), "{}", e.code());
        }
        for e in [SlugError::TooShort, SlugError::TooLong, SlugError::InvalidCharacters, SlugError::HyphenAtEdge, SlugError::Reserved] {
            assert!(has_key(e.code()), "{}", e.code());
        }
        for k in ["title_required", "title_too_long", "title_invalid", "date_invalid"] {
            assert!(has_key(k), "{k}");
        }
    }
}
