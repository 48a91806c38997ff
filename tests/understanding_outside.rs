//! The outside question set: `tests/data/questions-outside.toml`, 291 questions written from
//! descriptions of people (a senior, a refugee, an NGO coordinator, someone in crisis; Polish,
//! English, Ukrainian, Russian; typos, no Polish letters) by someone who had not read the
//! understanding code, with the answer each must lead to. It is scored per language and persona,
//! and the score may not fall below the floor: raise the floor as the understanding improves.

use std::collections::BTreeMap;

mod common;

use common::questions::{aspect_name, topic_name, when_name};
use okienko::{
    directory::Directory,
    understanding::{Topic, Understanding},
};
use serde::Deserialize;

/// Questions answered right when this floor was last raised: 128 of 291 before the crisis words,
/// 143 with them, 148 once an outside tester's missed wordings were added, 156 with "my visits"
/// typed (November 2026).
const FLOOR: usize = 156;

/// Places the writer was not told of (only the centres and the other places were listed): a
/// question expected at their centre is right when it reaches one of them.
const UNLISTED_PLACES: &[&str] = &[
    "community-service",
    "social-housing",
    "social-economy",
    "hot-meals",
    "cooking",
    "socialia",
];

#[derive(Deserialize)]
struct Set {
    q: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    lang: String,
    persona: String,
    topic: String,
    aspect: Option<String>,
    when: Option<String>,
    #[serde(default)]
    book: bool,
}

/// The topic as the outside set names it: every crisis is "crisis", and a place the writer was
/// not told of counts as its centre when the centre was expected.
fn outside_topic(directory: &Directory, topic: &Option<Topic>, expected: &str) -> String {
    match topic {
        Some(Topic::Crisis(_)) => "crisis".into(),
        Some(Topic::Place(key)) if UNLISTED_PLACES.contains(&key.as_str()) => {
            let centre = directory
                .place(key)
                .map(|p| format!("centre:{}", p.centre))
                .unwrap_or_default();
            if centre == expected {
                centre
            } else {
                topic_name(topic)
            }
        }
        _ => topic_name(topic),
    }
}

#[test]
fn the_outside_question_set_is_scored_and_does_not_fall() {
    let set: Set = toml::from_str(include_str!("data/questions-outside.toml"))
        .expect("the outside question set reads");
    assert!(set.q.len() >= 200, "at least 200 questions");
    let directory = Directory::chorzow().expect("directory");
    let understanding = Understanding::new(&directory);
    let mut by_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_persona: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for case in &set.q {
        let question = understanding.understand(&case.text);
        let topic = outside_topic(&directory, &question.topic, &case.topic);
        let aspect = aspect_name(question.aspect);
        let when = when_name(question.when);
        let right = topic == case.topic
            && case.aspect.as_deref().is_none_or(|a| a == aspect)
            && case.when.as_deref().is_none_or(|w| w == when)
            && question.book == case.book;
        for (map, key) in [(&mut by_lang, &case.lang), (&mut by_persona, &case.persona)] {
            let entry = map.entry(key.as_str()).or_default();
            entry.0 += usize::from(right);
            entry.1 += 1;
        }
        if !right {
            wrong.push(format!(
                "{:?} [{}]: expected {}{}{}, got {topic} / {aspect} / {when} / book {}",
                case.text,
                case.lang,
                case.topic,
                case.aspect
                    .as_deref()
                    .map(|a| format!(" / {a}"))
                    .unwrap_or_default(),
                case.when
                    .as_deref()
                    .map(|w| format!(" / {w}"))
                    .unwrap_or_default(),
                question.book
            ));
        }
    }
    let right = set.q.len() - wrong.len();
    let line = |(name, (ok, all)): (&&str, &(usize, usize))| {
        format!(
            "{name} {ok}/{all} ({:.0}%)",
            100.0 * *ok as f64 / *all as f64
        )
    };
    println!(
        "outside question set: {right} of {} right ({:.1}%)\n  by language: {}\n  by persona: {}\nwrong:\n{}",
        set.q.len(),
        100.0 * right as f64 / set.q.len() as f64,
        by_lang.iter().map(line).collect::<Vec<_>>().join(", "),
        by_persona.iter().map(line).collect::<Vec<_>>().join(", "),
        wrong.join("\n")
    );
    assert!(
        right >= FLOOR,
        "{right} right, below the floor of {FLOOR}:\n{}",
        wrong.join("\n")
    );
}
