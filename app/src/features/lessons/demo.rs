//! The demo school's lessons (`/_dev/seed`), with their HTML written out: the Worker that
//! seeds them carries no Markdown renderer (the test below keeps the two in step).

/// (title, status, Markdown, HTML, open rule, days after access start): the third lesson drips.
pub const LESSONS: &[(&str, &str, &str, &str, &str, Option<i64>)] = &[
    ("Bienvenue", "published", "Bienvenue dans **Atelier** !\n\nCette courte leçon peut servir de leçon d'essai : elle présente le cours en trois phrases.\n\nBonne lecture.", "<p>Bienvenue dans <strong>Atelier</strong> !</p>\n<p>Cette courte leçon peut servir de leçon d'essai : elle présente le cours en trois phrases.</p>\n<p>Bonne lecture.</p>\n", "immediately", None),
    ("Premiers pas", "published", "## Ce que vous allez apprendre\n\n- Lire une leçon sur votre téléphone\n- Marquer une leçon comme terminée\n- Revenir plus tard : vous restez connecté·e\n\n[En savoir plus](https://example.com)", "<h2>Ce que vous allez apprendre</h2>\n<ul>\n<li>Lire une leçon sur votre téléphone</li>\n<li>Marquer une leçon comme terminée</li>\n<li>Revenir plus tard : vous restez connecté·e</li>\n</ul>\n<p><a href=\"https://example.com\">En savoir plus</a></p>\n", "immediately", None),
    ("Aller plus loin", "published", "Une leçon plus longue, avec une liste numérotée :\n\n1. Relire les notes\n2. Faire l'exercice\n3. Passer à la suite\n\n> Astuce : le code de connexion fonctionne dans n'importe quel navigateur.", "<p>Une leçon plus longue, avec une liste numérotée :</p>\n<ol>\n<li>Relire les notes</li>\n<li>Faire l'exercice</li>\n<li>Passer à la suite</li>\n</ol>\n<blockquote>\n<p>Astuce : le code de connexion fonctionne dans n'importe quel navigateur.</p>\n</blockquote>\n", "days", Some(1)),
    ("Brouillon : bonus", "draft", "Contenu en préparation, invisible pour les élèves.", "<p>Contenu en préparation, invisible pour les élèves.</p>\n", "immediately", None),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_written_html_is_what_the_markdown_renders() {
        for (title, _, md, html, _, _) in super::LESSONS {
            assert_eq!(crate::features::lessons::markdown::render_markdown(md), *html, "{title}");
        }
    }
}
