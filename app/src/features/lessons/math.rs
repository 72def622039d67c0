//! Math blocks (issue 7, groundwork): a LaTeX subset rendered on the server to MathML, which
//! browsers display with no script. Everything typed becomes escaped text inside MathML
//! elements we choose; an unknown command or a malformed formula is an error the creator sees
//! when saving, never markup.

use crate::kernel::html::escape;

/// Longer formulas are refused: a lesson's math stays readable, rendering stays cheap.
pub const MAX_FORMULA_CHARS: usize = 2_000;
/// Nesting deeper than this is refused (no stack exhaustion from `{{{{…`).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    pub code: &'static str,
    pub detail: String,
}

fn error(code: &'static str, detail: &str) -> MathError {
    MathError { code, detail: detail.chars().take(40).collect() }
}

const SYMBOLS: &[(&str, &str, bool)] = &[
    // (command, character, is an operator)
    ("alpha", "α", false), ("beta", "β", false), ("gamma", "γ", false), ("delta", "δ", false), ("epsilon", "ε", false),
    ("theta", "θ", false), ("lambda", "λ", false), ("mu", "μ", false), ("pi", "π", false), ("rho", "ρ", false),
    ("sigma", "σ", false), ("tau", "τ", false), ("phi", "φ", false), ("omega", "ω", false), ("Delta", "Δ", false),
    ("Sigma", "Σ", false), ("Omega", "Ω", false), ("Pi", "Π", false), ("infty", "∞", false), ("partial", "∂", false),
    ("nabla", "∇", false), ("sum", "∑", true), ("prod", "∏", true), ("int", "∫", true), ("cdot", "·", true),
    ("times", "×", true), ("div", "÷", true), ("pm", "±", true), ("le", "≤", true), ("leq", "≤", true),
    ("ge", "≥", true), ("geq", "≥", true), ("neq", "≠", true), ("approx", "≈", true), ("to", "→", true),
    ("rightarrow", "→", true), ("leftarrow", "←", true), ("Rightarrow", "⇒", true), ("in", "∈", true),
    ("notin", "∉", true), ("subset", "⊂", true), ("cup", "∪", true), ("cap", "∩", true), ("forall", "∀", true),
    ("exists", "∃", true), ("ldots", "…", true), ("quad", "\u{2003}", true),
];

/// Named functions, set upright: `\sin x`, `\lim_{h \to 0}`.
const FUNCTIONS: &[&str] = &["lim", "sin", "cos", "tan", "log", "ln", "exp", "max", "min", "det", "sup", "inf"];

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    depth: usize,
    _src: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// Elements until `}` (inside a group) or the end.
    fn sequence(&mut self, in_group: bool) -> Result<String, MathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error("math_too_deep", ""));
        }
        let mut out = String::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                None if in_group => return Err(error("math_unclosed", "{")),
                None => break,
                Some('}') if in_group => {
                    self.at += 1;
                    break;
                }
                Some('}') => return Err(error("math_unopened", "}")),
                Some(_) => out.push_str(&self.scripted()?),
            }
        }
        self.depth -= 1;
        Ok(out)
    }

    /// An atom with its `_` and `^`.
    fn scripted(&mut self) -> Result<String, MathError> {
        let base = self.atom()?;
        let (mut sub, mut sup) = (None, None);
        loop {
            self.skip_spaces();
            match self.peek() {
                Some('_') if sub.is_none() => {
                    self.at += 1;
                    sub = Some(self.atom()?);
                }
                Some('^') if sup.is_none() => {
                    self.at += 1;
                    sup = Some(self.atom()?);
                }
                Some('_' | '^') => return Err(error("math_double_script", "")),
                _ => break,
            }
        }
        Ok(match (sub, sup) {
            (None, None) => base,
            (Some(b), None) => format!("<msub>{base}{b}</msub>"),
            (None, Some(p)) => format!("<msup>{base}{p}</msup>"),
            (Some(b), Some(p)) => format!("<msubsup>{base}{b}{p}</msubsup>"),
        })
    }

    fn group(&mut self) -> Result<String, MathError> {
        self.skip_spaces();
        if self.peek() != Some('{') {
            return Err(error("math_expected_group", ""));
        }
        self.at += 1;
        Ok(format!("<mrow>{}</mrow>", self.sequence(true)?))
    }

    fn atom(&mut self) -> Result<String, MathError> {
        self.skip_spaces();
        let Some(c) = self.peek() else { return Err(error("math_missing", "")) };
        self.at += 1;
        Ok(match c {
            '{' => format!("<mrow>{}</mrow>", self.sequence(true)?),
            '\\' => self.command()?,
            '0'..='9' | '.' => {
                let start = self.at - 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.at += 1;
                }
                format!("<mn>{}</mn>", self.chars[start..self.at].iter().collect::<String>())
            }
            c if c.is_alphabetic() => format!("<mi>{}</mi>", escape(&c.to_string())),
            '+' | '-' | '=' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | '/' | '|' | '!' | ':' | ';' | '\'' => {
                let op = if c == '-' { "−".to_string() } else { escape(&c.to_string()) };
                format!("<mo>{op}</mo>")
            }
            '}' => return Err(error("math_unopened", "}")),
            other => return Err(error("math_unknown_character", &other.to_string())),
        })
    }

    fn command(&mut self) -> Result<String, MathError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if name.is_empty() {
            // `\{`, `\}`, `\,`: an escaped character or a thin space.
            let c = self.peek().ok_or_else(|| error("math_missing", "\\"))?;
            self.at += 1;
            return Ok(match c {
                ',' | ' ' => "<mspace width=\"0.2em\"/>".to_string(),
                '{' | '}' | '%' | '$' | '#' | '&' | '_' => format!("<mo>{}</mo>", escape(&c.to_string())),
                other => return Err(error("math_unknown_command", &format!("\\{other}"))),
            });
        }
        Ok(match name.as_str() {
            "frac" => format!("<mfrac>{}{}</mfrac>", self.group()?, self.group()?),
            "sqrt" => {
                self.skip_spaces();
                if self.peek() == Some('[') {
                    self.at += 1;
                    let start = self.at;
                    while self.peek().is_some_and(|c| c != ']') {
                        self.at += 1;
                    }
                    if self.peek() != Some(']') {
                        return Err(error("math_unclosed", "["));
                    }
                    let index: String = self.chars[start..self.at].iter().collect();
                    self.at += 1;
                    let index = parse(&index)?;
                    format!("<mroot>{}<mrow>{index}</mrow></mroot>", self.group()?)
                } else {
                    format!("<msqrt>{}</msqrt>", self.group()?)
                }
            }
            "text" | "mathrm" => {
                self.skip_spaces();
                if self.peek() != Some('{') {
                    return Err(error("math_expected_group", &name));
                }
                self.at += 1;
                let start = self.at;
                while self.peek().is_some_and(|c| c != '}') {
                    self.at += 1;
                }
                if self.peek() != Some('}') {
                    return Err(error("math_unclosed", "{"));
                }
                let text: String = self.chars[start..self.at].iter().collect();
                self.at += 1;
                format!("<mtext>{}</mtext>", escape(&text))
            }
            "left" | "right" => self.atom()?,
            f if FUNCTIONS.contains(&f) => format!("<mi mathvariant=\"normal\">{f}</mi>"),
            other => match SYMBOLS.iter().find(|(n, ..)| *n == other) {
                Some((_, ch, true)) => format!("<mo>{ch}</mo>"),
                Some((_, ch, false)) => format!("<mi>{ch}</mi>"),
                None => return Err(error("math_unknown_command", &format!("\\{other}"))),
            },
        })
    }
}

fn parse(source: &str) -> Result<String, MathError> {
    let mut p = Parser { chars: source.chars().collect(), at: 0, depth: 0, _src: source };
    p.sequence(false)
}

/// A formula as a block of MathML.
pub fn render(source: &str) -> Result<String, MathError> {
    if source.chars().count() > MAX_FORMULA_CHARS {
        return Err(error("math_too_long", ""));
    }
    if source.trim().is_empty() {
        return Err(error("math_empty", ""));
    }
    let body = parse(source)?;
    Ok(format!("<math display=\"block\"><mrow>{body}</mrow></math>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formulas() {
        assert_eq!(render("x^2 + 1").unwrap(), "<math display=\"block\"><mrow><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mn>1</mn></mrow></math>");
        assert_eq!(render("\\frac{a}{b}").unwrap(), "<math display=\"block\"><mrow><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac></mrow></math>");
        assert!(render("\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}").unwrap().contains("<msubsup><mo>∑</mo>"));
        assert!(render("\\sqrt[3]{x}").unwrap().contains("<mroot><mrow><mi>x</mi></mrow><mrow><mn>3</mn></mrow></mroot>"));
        assert!(render("E = mc^2 \\quad \\text{(Einstein)}").unwrap().contains("<mtext>(Einstein)</mtext>"));
        assert!(render("a \\le b").unwrap().contains("<mo>≤</mo>"));
        assert!(render("\\lim_{h \\to 0} \\sin h").unwrap().contains("<msub><mi mathvariant=\"normal\">lim</mi>"));
    }

    #[test]
    fn hostile_input_is_text_or_an_error_never_markup() {
        let r = render("\\text{<script>alert(1)</script>}").unwrap();
        assert!(r.contains("&lt;script&gt;") && !r.contains("<script>"));
        let r = render("<img src=x>").unwrap();
        assert!(r.contains("<mo>&lt;</mo>") && !r.contains("<img"), "comparison signs, not markup: {r}");
        let cases = [
            ("a # b", "math_unknown_character"),
            ("\\href{javascript:alert(1)}{x}", "math_unknown_command"),
            ("\\frac{a}", "math_expected_group"),
            ("{a", "math_unclosed"),
            ("a}", "math_unopened"),
            ("x^2^3", "math_double_script"),
            ("x^", "math_missing"),
            ("", "math_empty"),
        ];
        for (source, code) in cases {
            assert_eq!(render(source).unwrap_err().code, code, "{source}");
        }
        assert_eq!(render(&"{".repeat(100)).unwrap_err().code, "math_too_deep");
        assert_eq!(render(&"x".repeat(MAX_FORMULA_CHARS + 1)).unwrap_err().code, "math_too_long");
    }

    proptest::proptest! {
        /// Whatever is typed: an error, or MathML whose only tags are ours.
        #[test]
        fn output_is_only_our_markup(source in "\\PC{0,60}") {
            if let Ok(html) = render(&source) {
                let allowed = ["math", "mrow", "mi", "mn", "mo", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mtext", "mspace"];
                for tag in html.split('<').skip(1) {
                    let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                    proptest::prop_assert!(allowed.contains(&name.as_str()), "{} in {}", name, html);
                }
            }
        }
    }
}
