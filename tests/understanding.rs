//! The question test set: every question in `tests/data/questions.toml` must lead where it says.

mod common;

use common::questions::{aspect_name, topic_name, when_name};
use okienko::{
    directory::Directory,
    understanding::{Topic, Understanding},
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Set {
    q: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    topic: String,
    aspect: Option<String>,
    when: Option<String>,
    #[serde(default)]
    book: bool,
}

#[test]
fn every_question_in_the_set_leads_where_it_should() {
    let source = include_str!("data/questions.toml");
    let set: Set = toml::from_str(source).expect("the question set reads");
    assert!(
        set.q.len() >= 80,
        "at least 80 questions, found {}",
        set.q.len()
    );
    let directory = Directory::chorzow().expect("directory");
    let understanding = Understanding::new(&directory);
    let mut wrong = Vec::new();
    for case in &set.q {
        let question = understanding.understand(&case.text);
        let topic = topic_name(&question.topic);
        let aspect = aspect_name(question.aspect);
        let when = when_name(question.when);
        let ok = topic == case.topic
            && case.aspect.as_deref().is_none_or(|a| a == aspect)
            && case.when.as_deref().is_none_or(|w| w == when)
            && question.book == case.book;
        if !ok {
            wrong.push(format!(
                "{:?}: got {topic} / {aspect} / {when} / book {}",
                case.text, question.book
            ));
        }
    }
    let right = set.q.len() - wrong.len();
    println!(
        "question set: {right} of {} answered right ({:.1}%)",
        set.q.len(),
        100.0 * right as f64 / set.q.len() as f64
    );
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn nonsense_leads_nowhere() {
    let directory = Directory::chorzow().expect("directory");
    let understanding = Understanding::new(&directory);
    for text in ["asdfgh", "", "   ", "???", "qwerty uiop", "1234"] {
        let question = understanding.understand(text);
        assert_eq!(question.topic, None, "{text:?}");
    }
}

#[test]
fn an_emoji_alone_is_a_nod_and_a_greeting_typed_right_is_not_a_typo_of_a_place() {
    let directory = Directory::chorzow().expect("directory");
    let understanding = Understanding::new(&directory);
    for text in ["👍", "🙂", "🙏🙏", "dzięki", "dzieki wielkie", "thanks!"] {
        let question = understanding.understand(text);
        assert_eq!(question.topic, Some(Topic::Thanks), "{text:?}");
    }
    for text in ["halo", "ok", "dzień dobry"] {
        let question = understanding.understand(text);
        assert_eq!(question.topic, Some(Topic::Greeting), "{text:?}");
    }
    // The children's day room is still found by its own word, and a greeting does not hide a
    // place named right.
    let question = understanding.understand("dzieci");
    assert_eq!(question.topic, Some(Topic::Place("day-room".into())));
    let question = understanding.understand("dzień dobry, kiedy jest prawnik?");
    assert_eq!(question.topic, Some(Topic::Place("legal-aid".into())));
}
