//! The pseudonym key and `privacy check` on every form a name takes:
//! plurals and possessives without apostrophes, hyphenated, joined and
//! numbered forms, names inside longer words, and keys of thousands of
//! names (issue 19).

use crate::workdir::Workdir;

/// A transcript where a key name appears in every form the key must
/// replace, and words that merely contain a key name.
const FORMS: &str = "---\nid: forms\nsite: Northbrook\n---\n\nP1: Kayleighs. That is what we called the twins, the Kayleighs.\n\nP1: Kayleighs mum rang and KAYLEIGHS dad came. Then Mill-Lane, Kayleigh2, Kayleigh_x and Kayleigh-style hair. The Kayleighs' coats and Kayleighes.\n\nP1: We drove past the Millbrook estate to the Annual review.\n";

/// The key: a name, a place of two words, and two names that are
/// common parts of words.
const KEY: &str = "name,pseudonym\nKayleigh,Jade\nMill Lane,Elm Road\nMill,Forge\nAnn,Rose\n";

fn forms_project() -> Workdir {
    let wd = Workdir::new("basic");
    wd.write("corpus/forms.md", FORMS);
    wd.write("pseudonyms.csv", KEY);
    wd.run(&[
        "code",
        "add",
        "--coder",
        "ana",
        "--code",
        "Speed",
        "--memo",
        "Kayleighs mum again",
        "forms:1",
        "forms:2",
        "forms:3",
    ])
    .ok();
    wd
}

#[test]
fn r19_every_form_of_a_key_name_is_replaced_in_every_export_and_the_report() {
    let wd = forms_project();
    let mut outputs = Vec::new();
    for format in ["md", "csv", "json", "html"] {
        outputs.push((
            format,
            wd.run(&["export", "quotes", "--format", format])
                .ok()
                .to_string(),
        ));
    }
    outputs.push(("report", wd.run(&["report"]).ok().to_string()));
    for (what, text) in &outputs {
        assert!(
            !text.to_lowercase().contains("kayleigh"),
            "{what}: the real name survived:\n{text}"
        );
        assert!(!text.contains("Mill-Lane"), "{what}:\n{text}");
    }
    let (_, md) = &outputs[0];
    for replaced in [
        "Jades. That is what we called the twins, the Jades.",
        "Jades mum rang and JADES dad came.",
        "Then Elm Road, Jade2, Jade\\_x and Jade-style hair.",
        "The Jades' coats and Jadees.",
        "Jades mum again",
    ] {
        assert!(md.contains(replaced), "{replaced:?} not in:\n{md}");
    }
    // A key name inside a longer word is a different word: kept.
    assert!(
        md.contains("We drove past the Millbrook estate to the Annual review."),
        "{md}"
    );
}

#[test]
fn r19_the_privacy_check_flags_a_key_name_inside_a_longer_word_wherever_it_stands() {
    let wd = forms_project();
    // Both words only ever start sentences, or follow words that do.
    wd.write(
        "corpus/starts.txt",
        "---\nid: starts\n---\nP1: Annual reviews. Millbrook's shut. KayleighAnn came.\n",
    );
    wd.code_add("ana", "Trust", &["starts:1"]);
    let out = wd.run(&["privacy", "check", "--codes", "Trust"]);
    out.fails_with(&["3 words that may be names (3 different words) in 1 document"]);
    for word in ["Annual", "Millbrook", "KayleighAnn"] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(&format!("{word}  starts:1  quote"))),
            "{word} not flagged:\n{}",
            out.stdout
        );
    }
    // And in the first transcript, where they stand mid-sentence.
    let out = wd.run(&["privacy", "check", "--codes", "Speed", "--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let words: Vec<String> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|f| f["word"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(words, ["Millbrook", "Annual"], "{}", out.stdout);
    // Words that are not names are allowed like any other.
    wd.write("privacy-allow.txt", "Millbrook\nAnnual\nKayleighAnn\n");
    let out = wd.run(&["privacy", "check"]);
    assert!(
        out.ok().starts_with("no words that look like names in "),
        "{}",
        out.stdout
    );
}

/// Returns a key of `n` made-up names of about `len` characters each, and
/// Kayleigh.
fn big_key(n: usize, len: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "ka", "ley", "ro", "man", "tis", "bel", "dor", "an", "mi", "sha", "ven", "lo",
    ];
    let mut key = String::from("name,pseudonym\nKayleigh,Jade\n");
    for i in 0..n {
        let mut name = String::new();
        let mut x = i * 7919 + 13;
        while name.chars().count() < len {
            if !name.is_empty() {
                name.push(' ');
            }
            let mut word = String::new();
            for _ in 0..3 {
                word.push_str(SYLLABLES[x % SYLLABLES.len()]);
                x = x / SYLLABLES.len() + i + 1;
            }
            word[..1].make_ascii_uppercase();
            name.push_str(&word);
        }
        key.push_str(&format!("{name} {i},Person {i}\n"));
    }
    key
}

#[test]
fn r19_a_key_of_three_thousand_names_is_usable() {
    let wd = forms_project();
    wd.write("pseudonyms.csv", big_key(3000, 30));
    let md = wd.run(&["export", "quotes"]).ok().to_string();
    assert!(md.contains("Jades mum rang"), "{md}");
    assert!(md.contains("3001 names"), "{md}");
}
