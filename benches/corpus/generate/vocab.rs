//! The vocabulary of the synthetic transcripts: function words, nouns,
//! verbs and names, domain words at fixed frequency ranks, rare words at a
//! controlled rate and a long tail of made-up words, drawn Zipf–Mandelbrot.

use std::collections::BTreeSet;

use realist::analysis;

use super::rng::{Rng, shuffle};

/// Function words and fillers, most frequent first.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "the", "i", "and", "you", "to", "a", "it", "that", "of", "was", "in", "so", "we", "they",
    "but", "like", "just", "know", "yeah", "is", "for", "on", "have", "what", "with", "be", "he",
    "she", "not", "um", "all", "there", "this", "at", "if", "do", "get", "been", "had", "really",
    "then", "think", "because", "or", "were", "about", "them", "would", "can", "one", "out",
    "mean", "when", "right", "his", "her", "me", "my", "our", "up", "more", "no", "as", "are",
    "from", "going", "got", "said", "did", "very", "well", "time", "lot", "kind", "bit", "sort",
    "people", "any", "some", "how", "way", "thing", "things", "actually", "it’s", "don’t",
    "that’s", "i’m", "they’re", "didn’t", "can’t", "wasn’t", "you’re", "we’ve", "there’s", "i’d",
    "could", "should", "who", "which", "where", "something", "everything", "nothing", "also",
    "even", "still", "now", "back", "over", "into", "through", "only", "first", "other", "much",
    "again", "never", "always", "sometimes", "maybe", "probably", "sure", "okay", "oh", "er",
    "yes", "go", "see", "say", "come", "want", "make", "need", "him", "your", "their", "those",
    "these", "than", "here", "by", "an", "will", "has", "two", "three", "four", "five", "ten",
    "hundred", "thousand", "quid", "mm", "erm", "aye", "ok", "eh", "cos", "gonna", "wanna",
    "innit", "though", "anyway", "whatever", "somebody", "everybody", "nobody", "anything",
    "before", "after", "while", "until", "since", "without", "between", "against", "around",
];

/// Nouns with a regular plural.
#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "worker", "manager", "parent", "meeting", "plan", "form", "card", "bed", "school", "week",
    "month", "day", "year", "house", "flat", "room", "office", "car", "bus", "taxi", "phone",
    "email", "letter", "report", "review", "panel", "team", "carer", "judge", "court", "case",
    "visit", "problem", "question", "answer", "idea", "reason", "decision", "conversation",
    "relationship", "difference", "change", "process", "system", "service", "voucher", "receipt",
    "shop", "item", "cost", "price", "pound", "grant", "fund", "payment", "bill", "debt", "loan",
    "benefit", "job", "hour", "minute", "morning", "night", "weekend", "holiday", "birthday",
    "present", "toy", "bike", "shoe", "coat", "uniform", "laptop", "tablet", "cooker", "fridge",
    "sofa", "table", "chair", "carpet", "curtain", "window", "door", "garden", "kitchen",
    "bathroom", "bedroom", "street", "road", "town", "area", "estate", "neighbour", "friend",
    "partner", "brother", "sister", "son", "daughter", "nan", "aunt", "uncle", "boy", "girl",
    "lad", "teenager", "student", "teacher", "doctor", "nurse", "officer", "solicitor", "advocate",
    "volunteer", "scheme", "project", "pilot", "council", "department", "limit", "rule",
    "approval", "signature", "target", "outcome", "record", "note", "file", "concern", "issue",
    "risk", "step", "stage", "point", "part", "side", "end", "start", "word", "sentence",
    "experience", "feeling", "thought", "moment", "situation", "example", "option", "choice",
    "voice", "view", "trip", "journey", "ticket", "train", "supermarket", "market", "catalogue",
    "website", "link", "account", "bank", "machine", "key", "lock", "light", "helmet", "mattress",
    "cover", "photo", "calendar", "date", "plan", "bundle", "hearing", "contact", "placement",
    "assessment", "visitor", "supervisor", "worry", "letterbox", "meal", "breakfast", "dinner",
    "tea", "lunch", "uniform", "haircut", "glass", "bottle", "nappy", "pram", "cot", "buggy",
    "heater", "boiler", "meter", "fuel", "tenancy", "landlord", "deposit", "rent", "van", "driver",
    "lesson", "club", "football", "swimming", "session",
];

/// Nouns with an irregular plural: (singular, plural).
const IRREGULAR_NOUNS: &[(&str, &str)] = &[
    ("child", "children"),
    ("charity", "charities"),
    ("authority", "authorities"),
    ("policy", "policies"),
    ("penny", "pennies"),
    ("party", "parties"),
    ("woman", "women"),
    ("man", "men"),
    ("life", "lives"),
    ("wife", "wives"),
    ("city", "cities"),
    ("body", "bodies"),
    ("baby", "babies"),
    ("story", "stories"),
    ("activity", "activities"),
    ("opportunity", "opportunities"),
    ("community", "communities"),
    ("agency", "agencies"),
    ("emergency", "emergencies"),
    ("nursery", "nurseries"),
    ("delivery", "deliveries"),
    ("box", "boxes"),
    ("bus", "buses"),
    ("match", "matches"),
    ("lunch", "lunches"),
    ("church", "churches"),
];

/// Verbs with regular forms (`-s`, `-ed`, `-ing`).
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "help", "ask", "want", "need", "work", "call", "talk", "start", "try", "use", "look", "wait",
    "sign", "check", "manage", "support", "visit", "listen", "book", "order", "deliver", "clean",
    "move", "decide", "worry", "change", "stay", "happen", "remember", "explain", "notice",
    "expect", "record", "contact", "phone", "email", "text", "chase", "open", "share", "struggle",
    "cope", "count", "matter", "approve", "receive", "arrange", "organise", "realise", "apologise",
    "complain", "collect", "return", "answer", "offer", "suggest", "mention", "report", "request",
    "provide", "improve", "involve", "include", "affect", "avoid", "allow", "accept", "attend",
    "claim", "cover", "fill", "follow", "handle", "join", "kick", "land", "learn", "mark", "pick",
    "play", "point", "print", "reach", "rely", "save", "seem", "settle", "suit", "thank", "turn",
    "walk", "wonder", "fix", "push", "finish", "watch", "wish", "miss", "pass", "reach", "cancel",
    "borrow", "lend", "owe", "queue", "phone", "rush", "delay", "hurry", "panic", "plan", "drop",
    "stop", "shop",
];

/// Irregular verbs, all forms.
const IRREGULAR_VERBS: &[&[&str]] = &[
    &["spend", "spends", "spent", "spending"],
    &["pay", "pays", "paid", "paying"],
    &["buy", "buys", "bought", "buying"],
    &["feel", "feels", "felt", "feeling"],
    &["thinks", "thought", "thinking"],
    &["makes", "made", "making"],
    &["take", "takes", "took", "taken", "taking"],
    &["give", "gives", "gave", "given", "giving"],
    &["comes", "came", "coming"],
    &["sees", "saw", "seen", "seeing"],
    &["tell", "tells", "told", "telling"],
    &["says", "saying"],
    &["goes", "went", "gone"],
    &["knows", "knew", "known", "knowing"],
    &["gets", "getting"],
    &["keep", "keeps", "kept", "keeping"],
    &["leave", "leaves", "left", "leaving"],
    &["bring", "brings", "brought", "bringing"],
    &["find", "finds", "found", "finding"],
    &["meet", "meets", "met"],
    &["sit", "sits", "sat", "sitting"],
    &["stand", "stands", "stood", "standing"],
    &["build", "builds", "built", "building"],
    &["choose", "chooses", "chose", "chosen", "choosing"],
    &["run", "runs", "ran", "running"],
    &["lose", "loses", "lost", "losing"],
    &["write", "writes", "wrote", "written", "writing"],
    &["read", "reads", "reading"],
    &["hear", "hears", "heard", "hearing"],
    &["speak", "speaks", "spoke", "spoken", "speaking"],
    &["put", "puts", "putting"],
    &["let", "lets", "letting"],
    &["sell", "sells", "sold", "selling"],
    &["send", "sends", "sent", "sending"],
    &["hold", "holds", "held", "holding"],
    &["understand", "understands", "understood", "understanding"],
    &["begin", "begins", "began", "begun", "beginning"],
    &["forget", "forgets", "forgot", "forgotten", "forgetting"],
];

/// Adjectives and adverbs.
#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "good", "bad", "big", "small", "little", "new", "old", "important", "hard", "easy",
    "difficult", "happy", "sad", "angry", "worried", "nervous", "proud", "scared", "tired",
    "lovely", "brilliant", "massive", "huge", "real", "whole", "same", "own", "best", "better",
    "worse", "long", "short", "late", "early", "slow", "slowly", "fast", "honest", "honestly",
    "basically", "obviously", "definitely", "literally", "genuinely", "properly", "certainly",
    "especially", "usually", "normally", "absolutely", "completely", "totally", "exactly",
    "simple", "simply", "clear", "clearly", "different", "safe", "unsafe", "positive", "negative",
    "fair", "unfair", "strict", "flexible", "available", "responsible", "independent", "local",
    "national", "financial", "practical", "emotional", "formal", "informal", "previous", "recent",
    "current", "particular", "general", "tiny", "rough", "tough", "fine", "great", "nice", "awful",
    "terrible", "amazing", "weird", "strange", "funny", "serious", "quiet", "busy", "free",
    "cheap", "expensive", "full", "empty", "ready", "able", "unable", "likely", "unlikely",
    "familiar", "famous", "massively", "dead", "proper",
];

/// Names and other capitalised words.
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "Donna", "Bev", "Sharon", "Gary", "Kelly", "Dean", "Leanne", "Wayne", "Shannon", "Tyler",
    "Jade", "Connor", "Chloe", "Ryan", "Paige", "Jordan", "Amy", "Liam", "Stacey", "Darren",
    "Nicola", "Craig", "Gemma", "Leeds", "Manchester", "Asda", "Tesco", "Argos", "Primark", "Ikea",
    "Christmas", "Easter", "January", "February", "March", "April", "June", "July", "August",
    "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Zoë", "Łukasz", "Siobhán", "Renée",
];

/// Domain words placed at fixed frequency ranks: (word, rank).
pub const RANKED_DOMAIN_WORDS: &[(&str, usize)] = &[
    ("family", 30),
    ("money", 40),
    ("away", 55),
    ("trust", 70),
    ("budget", 80),
    ("social", 95),
    ("families", 120),
    ("quickly", 150),
    ("speed", 250),
    ("budgets", 300),
    ("straight", 350),
    ("quick", 400),
    ("budgeting", 500),
    ("trusted", 600),
    ("budgeted", 900),
    ("trusting", 1200),
    ("quicker", 1500),
    ("speeds", 2000),
    ("trusts", 2200),
    ("speedy", 2500),
];

/// Rare words and phrases injected at a controlled rate: (text, weight).
const RARE: &[(&str, f64)] = &[
    ("ombudsman", 1.0),
    ("respite", 1.0),
    ("tribunal", 1.0),
    ("trampoline", 0.6),
    ("trampolines", 0.4),
    ("Kayleigh", 1.0),
    ("duvet", 0.7),
    ("duvets", 0.3),
    ("Allen key", 1.0),
];

/// Per-word probability that a rare item is emitted instead (all items).
/// Calibrated so that each weight-1 item occurs ~400 times in 1 GB.
pub const P_RARE: f64 = 2.0e-5;
/// Per-word probability of the phrase "straight away" (~150,000 in 1 GB).
pub const P_STRAIGHT_AWAY: f64 = 9.0e-4;
/// Per-word probability of an inline `[inaudible]` or `[crosstalk]`.
pub const P_INLINE_NOTE: f64 = 2.0e-3;
/// Per-word probability of a sum of money (`£112`).
pub const P_MONEY: f64 = 2.0e-3;
/// Number of syllable-built words in the long tail of the vocabulary.
pub const PSEUDO_WORDS: usize = 2000;

pub struct Vocab {
    /// Surface forms by frequency rank.
    pub words: Vec<String>,
    /// Cumulative Zipf–Mandelbrot weights.
    cumulative: Vec<f64>,
    rare_cumulative: Vec<f64>,
}

fn regular_forms(verb: &str) -> Vec<String> {
    let v = verb;
    if let Some(stem) = v.strip_suffix('e') {
        return vec![
            v.into(),
            format!("{v}s"),
            format!("{v}d"),
            format!("{stem}ing"),
        ];
    }
    let bytes = v.as_bytes();
    let n = bytes.len();
    if n >= 2 && bytes[n - 1] == b'y' && !b"aeiou".contains(&bytes[n - 2]) {
        let stem = &v[..n - 1];
        return vec![
            v.into(),
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{v}ing"),
        ];
    }
    let sibilant = ["s", "x", "ch", "sh"].iter().any(|s| v.ends_with(s));
    let doubled = ["plan", "drop", "stop", "shop"].contains(&v);
    let es = if sibilant { "es" } else { "s" };
    if doubled {
        let last = &v[n - 1..];
        return vec![
            v.into(),
            format!("{v}s"),
            format!("{v}{last}ed"),
            format!("{v}{last}ing"),
        ];
    }
    vec![
        v.into(),
        format!("{v}{es}"),
        format!("{v}ed"),
        format!("{v}ing"),
    ]
}

fn pseudo_word(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const ONSETS: &[&str] = &[
        "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pr",
        "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "bl", "cl", "pl", "sl", "th",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "ee", "oa"];
    const CODAS: &[&str] = &[
        "", "", "", "n", "r", "l", "s", "t", "m", "nd", "st", "ck", "ng",
    ];
    let syllables = rng.range(2, 3);
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(ONSETS[rng.below(ONSETS.len())]);
        w.push_str(VOWELS[rng.below(VOWELS.len())]);
        w.push_str(CODAS[rng.below(CODAS.len())]);
    }
    w
}

impl Vocab {
    pub fn build() -> Vocab {
        let mut rng = Rng::new(0xC0FF_EE00);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut add = |list: &mut Vec<String>, w: &str| {
            if seen.insert(w.to_lowercase()) {
                list.push(w.to_string());
            }
        };
        // Reserve the ranked and rare words so nothing else takes them.
        let mut reserved = Vec::new();
        for (w, _) in RANKED_DOMAIN_WORDS {
            add(&mut reserved, w);
        }
        for (w, _) in RARE {
            for part in w.split(' ') {
                add(&mut reserved, part);
            }
        }
        let mut head = Vec::new();
        for w in FUNCTION_WORDS {
            add(&mut head, w);
        }
        let mut base = Vec::new();
        let mut derived = Vec::new();
        for n in NOUNS {
            add(&mut base, n);
            add(&mut derived, &format!("{n}s"));
        }
        for (s, p) in IRREGULAR_NOUNS {
            add(&mut base, s);
            add(&mut derived, p);
        }
        for v in VERBS {
            let forms = regular_forms(v);
            add(&mut base, &forms[0]);
            for f in &forms[1..] {
                add(&mut derived, f);
            }
        }
        for forms in IRREGULAR_VERBS {
            add(&mut base, forms[0]);
            for f in &forms[1..] {
                add(&mut derived, f);
            }
        }
        for a in ADJECTIVES {
            add(&mut base, a);
        }
        for n in NAMES {
            add(&mut base, n);
        }
        shuffle(&mut base, &mut rng);
        shuffle(&mut derived, &mut rng);
        // The long tail: made-up words that avoid the benchmark's query
        // prefixes and fuzzy targets.
        let mut tail = Vec::new();
        while tail.len() < PSEUDO_WORDS {
            let w = pseudo_word(&mut rng);
            let near = ["budgit", "kaleigh", "budget"]
                .iter()
                .any(|t| osa_distance(&w, t) <= 2);
            if near || w.starts_with("fam") || w.starts_with("trampol") || w.len() > 14 {
                continue;
            }
            add(&mut tail, &w);
        }

        let mut words: Vec<String> = head;
        words.extend(base);
        words.extend(derived);
        words.extend(tail);
        for (w, rank) in RANKED_DOMAIN_WORDS {
            words.insert((rank - 1).min(words.len()), w.to_string());
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|r| {
                total += 1.0 / (r as f64 + 2.7);
                total
            })
            .collect();
        let mut total = 0.0;
        let rare_cumulative = RARE
            .iter()
            .map(|(_, w)| {
                total += w;
                total
            })
            .collect();
        Vocab {
            words,
            cumulative,
            rare_cumulative,
        }
    }

    pub fn zipf(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let u = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= u);
        &self.words[i.min(self.words.len() - 1)]
    }

    pub fn rare(&self, rng: &mut Rng) -> &'static str {
        let total = *self.rare_cumulative.last().unwrap_or(&1.0);
        let u = rng.unit() * total;
        let i = self.rare_cumulative.partition_point(|&c| c <= u);
        RARE[i.min(RARE.len() - 1)].0
    }

    /// Every lower-cased word (as the index analyzers split them) the
    /// generator can write into a turn body.
    pub fn body_words(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let texts = self
            .words
            .iter()
            .map(String::as_str)
            .chain(RARE.iter().map(|(w, _)| *w))
            .chain(["straight away", "inaudible", "crosstalk", "laughter"]);
        for t in texts {
            for w in analysis::words(t) {
                out.insert(analysis::lowercase(&t[w.from..w.to]));
            }
        }
        out
    }
}

/// Optimal string alignment distance (what tantivy's fuzzy queries use).
pub fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}
