//! Every message a person reads, from the fluent files in `locales/<lang>/*.ftl` (embedded in the
//! binary). [`Locales::text`] never fails: a missing message is logged, counted, and shown as its id.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::atomic::{AtomicU64, Ordering},
};

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// The languages the bot speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "pl")]
    Pl,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "uk")]
    Uk,
}

/// A text in every language the bot speaks, as data files give it (the directory's names,
/// descriptions, what to bring).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub pl: String,
    pub en: String,
    /// Ukrainian; where a data file does not give it, the English text is shown (the directory's
    /// own test requires it for the shipped file).
    #[serde(default)]
    pub uk: Option<String>,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Pl => &self.pl,
            Lang::En => &self.en,
            Lang::Uk => self.uk.as_deref().unwrap_or(&self.en),
        }
    }
}

/// A stored language code the bot does not speak.
#[derive(Debug, thiserror::Error)]
#[error("unknown language code {0:?}")]
pub struct UnknownLang(String);

impl TryFrom<String> for Lang {
    type Error = UnknownLang;

    fn try_from(code: String) -> Result<Self, UnknownLang> {
        Lang::from_code(&code).ok_or(UnknownLang(code))
    }
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Pl, Lang::En, Lang::Uk];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
            Lang::Uk => "uk",
        }
    }

    /// Exactly `pl`, `en` or `uk` (as stored and as typed in `/language en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_lowercase().as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            "uk" | "ua" => Some(Lang::Uk),
            _ => None,
        }
    }

    /// Telegram's `language_code` hint: `pl` (or `pl-PL`) is Polish, `uk` Ukrainian, anything
    /// else English.
    pub fn from_telegram_hint(code: Option<&str>) -> Lang {
        let code = code.map(str::to_lowercase);
        match code.as_deref() {
            None => Lang::Pl,
            Some(code) if code.starts_with("pl") => Lang::Pl,
            Some(code) if code.starts_with("uk") => Lang::Uk,
            Some(_) => Lang::En,
        }
    }

    /// The language a short text is plainly written in, when it is plain: Cyrillic is read as
    /// Ukrainian (the nearest the bot speaks for Russian too); Polish letters or common Polish
    /// words as Polish; common English words, and no Polish ones, as English. Else None.
    pub fn written_in(text: &str) -> Option<Lang> {
        if text.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')) {
            return Some(Lang::Uk);
        }
        if text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) {
            return Some(Lang::Pl);
        }
        const POLISH: &[&str] = &[
            "mnie", "mi", "jest", "nie", "sie", "mam", "moj", "moja", "maz", "chce", "jak", "co",
        ];
        const ENGLISH: &[&str] = &[
            "my", "me", "is", "am", "the", "he", "she", "want", "dont", "help", "im", "hits",
            "have", "not",
        ];
        let folded = crate::fold::fold(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let polish = words.iter().any(|w| POLISH.contains(w));
        let english = words.iter().any(|w| ENGLISH.contains(w));
        match (polish, english) {
            (true, false) => Some(Lang::Pl),
            (false, true) => Some(Lang::En),
            _ => None,
        }
    }

    /// The saved choice, else Telegram's hint, else Polish.
    pub fn resolve(saved: Option<Lang>, hint: Option<&str>) -> Lang {
        saved.unwrap_or_else(|| Lang::from_telegram_hint(hint))
    }
}

/// Named arguments for a message: `&[("count", 5.into())]`.
pub type Args<'a> = [(&'a str, FluentValue<'a>)];

pub struct Locales {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    missing: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
pub enum LocaleError {
    #[error("locales/{lang}/{file}: {problem}")]
    Broken {
        lang: &'static str,
        file: String,
        problem: String,
    },
}

impl Locales {
    /// Loads the embedded fluent files; a file that does not parse is an error naming it.
    pub fn load() -> Result<Self, LocaleError> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let id: LanguageIdentifier = lang.code().parse().map_err(|_| LocaleError::Broken {
                lang: lang.code(),
                file: String::new(),
                problem: "bad language id".into(),
            })?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they show up as junk in some clients.
            bundle.set_use_isolating(false);
            for (file, source) in sources(lang) {
                let broken = |problem: String| LocaleError::Broken {
                    lang: lang.code(),
                    file: file.clone(),
                    problem,
                };
                let resource = FluentResource::try_new(source.to_owned())
                    .map_err(|(_, errors)| broken(format!("{errors:?}")))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| broken(format!("{errors:?}")))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Self {
            bundles,
            missing: AtomicU64::new(0),
        })
    }

    /// The message `id` in `lang` with `args` filled in.
    pub fn text(&self, lang: Lang, id: &str, args: &Args<'_>) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return self.missing(lang, id);
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return self.missing(lang, id);
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            self.missing.fetch_add(1, Ordering::Relaxed);
            tracing::error!(
                lang = lang.code(),
                id,
                ?errors,
                "a message was formatted with errors"
            );
        }
        text.into_owned()
    }

    /// A message without arguments.
    pub fn plain(&self, lang: Lang, id: &str) -> String {
        self.text(lang, id, &[])
    }

    fn missing(&self, lang: Lang, id: &str) -> String {
        self.missing.fetch_add(1, Ordering::Relaxed);
        tracing::error!(
            lang = lang.code(),
            id,
            "a message is missing from the locales"
        );
        id.to_owned()
    }

    /// How many lookups so far found no message or lacked an argument (tests expect none).
    pub fn problems(&self) -> u64 {
        self.missing.load(Ordering::Relaxed)
    }
}

/// The fluent files of one language, as (file name, source), sorted by name.
fn sources(lang: Lang) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = LOCALES
        .get_dir(lang.code())
        .map(|dir| {
            dir.files()
                .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
                .filter_map(|f| {
                    let name = f.path().file_name()?.to_string_lossy().into_owned();
                    Some((name, f.contents_utf8()?))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every message and attribute of a language (`id` or `id.attribute`) with the variables it uses.
pub fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut catalogue = BTreeMap::new();
    for (_, source) in sources(lang) {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err((resource, _)) => resource,
        };
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let id = message.id.name.to_owned();
                if let Some(value) = &message.value {
                    catalogue.insert(id.clone(), variables(value));
                }
                for attribute in &message.attributes {
                    catalogue.insert(
                        format!("{id}.{}", attribute.id.name),
                        variables(&attribute.value),
                    );
                }
            }
        }
    }
    catalogue
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    collect_pattern(pattern, &mut found);
    found
}

fn collect_pattern(pattern: &ast::Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, found);
        }
    }
}

fn collect_expression(expression: &ast::Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, found);
            for variant in variants {
                collect_pattern(&variant.value, found);
            }
        }
        ast::Expression::Inline(inline) => collect_inline(inline, found),
    }
}

fn collect_inline(inline: &ast::InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_inline(argument, found);
            }
            for named in &arguments.named {
                collect_inline(&named.value, found);
            }
        }
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_parses() {
        Locales::load().expect("the fluent files parse");
        for lang in Lang::ALL {
            for (file, source) in sources(lang) {
                if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
                    panic!("locales/{}/{file}: {errors:?}", lang.code());
                }
            }
        }
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_variables() {
        let polish = catalogue(Lang::Pl);
        assert!(
            polish.len() > 20,
            "the catalogue was read: {} messages",
            polish.len()
        );
        for lang in Lang::ALL {
            let other = catalogue(lang);
            let only_pl: Vec<_> = polish
                .keys()
                .filter(|id| !other.contains_key(*id))
                .collect();
            let only_other: Vec<_> = other
                .keys()
                .filter(|id| !polish.contains_key(*id))
                .collect();
            assert!(
                only_pl.is_empty(),
                "missing in {}: {only_pl:?}",
                lang.code()
            );
            assert!(only_other.is_empty(), "missing in pl: {only_other:?}");
            for (id, vars) in &polish {
                assert_eq!(
                    &other[id],
                    vars,
                    "variables of {id} differ in {}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn the_parity_check_sees_a_missing_variable() {
        let source = "a = { $count } visits\nb = none\n";
        let resource = fluent_syntax::parser::parse(source).expect("parses");
        let ast::Entry::Message(message) = &resource.body[0] else {
            panic!("a message")
        };
        let value = message.value.as_ref().expect("a value");
        assert_eq!(variables(value), BTreeSet::from(["count".to_owned()]));
    }

    #[test]
    fn polish_plurals_follow_polish_grammar() {
        let locales = Locales::load().expect("locales");
        let visits = |lang, n: i64| locales.text(lang, "visits-title", &[("count", n.into())]);
        assert_eq!(visits(Lang::Pl, 1), "Twoje wizyty (1 wizyta):");
        assert_eq!(visits(Lang::Pl, 2), "Twoje wizyty (2 wizyty):");
        assert_eq!(visits(Lang::Pl, 4), "Twoje wizyty (4 wizyty):");
        assert_eq!(visits(Lang::Pl, 5), "Twoje wizyty (5 wizyt):");
        assert_eq!(visits(Lang::Pl, 12), "Twoje wizyty (12 wizyt):");
        assert_eq!(visits(Lang::Pl, 22), "Twoje wizyty (22 wizyty):");
        assert_eq!(visits(Lang::Pl, 25), "Twoje wizyty (25 wizyt):");
        assert_eq!(visits(Lang::En, 1), "Your visits (1 visit):");
        assert_eq!(visits(Lang::En, 5), "Your visits (5 visits):");
        assert_eq!(locales.problems(), 0);
    }

    #[test]
    fn a_missing_message_is_counted_not_fatal() {
        let locales = Locales::load().expect("locales");
        assert_eq!(
            locales.plain(Lang::En, "no-such-message"),
            "no-such-message"
        );
        assert_eq!(locales.problems(), 1);
    }

    #[test]
    fn the_language_a_text_is_written_in() {
        assert_eq!(Lang::written_in("my husband hits me"), Some(Lang::En));
        assert_eq!(Lang::written_in("maz mnie bije"), Some(Lang::Pl));
        assert_eq!(Lang::written_in("mąż"), Some(Lang::Pl));
        assert_eq!(Lang::written_in("Чоловік мене б'є"), Some(Lang::Uk));
        assert_eq!(Lang::written_in("112"), None);
    }

    #[test]
    fn language_is_choice_then_hint_then_polish() {
        assert_eq!(Lang::resolve(Some(Lang::En), Some("pl")), Lang::En);
        assert_eq!(Lang::resolve(None, Some("pl-PL")), Lang::Pl);
        assert_eq!(Lang::resolve(None, Some("uk")), Lang::Uk);
        assert_eq!(Lang::resolve(None, Some("ru")), Lang::En);
        assert_eq!(Lang::resolve(None, None), Lang::Pl);
    }
}
