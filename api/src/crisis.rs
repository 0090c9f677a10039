//! Detecting self-harm and suicide language, in English and Vietnamese, so that crisis help
//! appears whenever a patient writes it: in a search, a self-check, an appointment reason or
//! a forum post. The widget and the server use this same code.
//!
//! Matching is by phrase, word by word. A word the patient typed without any diacritics
//! matches a phrase word by its folded form ("tu tu" matches "tự tử"), because many people
//! type Vietnamese without accents; a word typed with diacritics must match exactly, so
//! ordinary words whose folded form looks the same ("từ từ", slowly) do not trigger. A
//! phrase directly after a negation ("not suicidal", "không muốn chết") does not count, unless
//! the phrase carries its own negation ("không muốn sống"). When in doubt the detector errs
//! towards showing help: a false alarm costs a glance, a miss can cost a life.
//!
//! Give it text in Unicode normalisation form C (the widget uses `String.prototype.normalize`,
//! the server normalises on input); decomposed text still matches by the folded rule.

use crate::fold::{fold, fold_char, is_word_char, lower_char};

/// Phrases that signal risk, as written; matched word by word.
const PHRASES: &[&str] = &[
    // English
    "kill myself",
    "killing myself",
    "suicide",
    "suicidal",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "take my life",
    "want to die",
    "wanna die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "dont want to live",
    "do not want to live",
    "dont want to be alive",
    "no reason to live",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "self harm",
    "selfharm",
    "cut myself",
    "cutting myself",
    "hang myself",
    "overdose",
    "cant go on",
    "can not go on",
    // Vietnamese
    "tự tử",
    "tự sát",
    "tự vẫn",
    "muốn chết",
    "thà chết",
    "không muốn sống",
    "chẳng muốn sống",
    "không thiết sống",
    "chán sống",
    "sống không nổi",
    "kết thúc cuộc đời",
    "kết liễu",
    "tự làm hại",
    "tự hại",
    "tự làm đau",
    "rạch tay",
    "cắt tay",
    "nhảy lầu",
    "nhảy cầu",
    "thắt cổ",
    "treo cổ",
    "uống thuốc ngủ",
    "muốn biến mất",
];

/// Words that, directly before a phrase, negate it.
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "dont", "im not", "không", "chưa", "chẳng", "đừng",
];

/// The phrases' own words that already express negation; such phrases are never negated.
fn is_negative_phrase(phrase: &str) -> bool {
    [
        "không ", "chẳng ", "dont ", "do not ", "no ", "cant ", "can not ",
    ]
    .iter()
    .any(|negation| phrase.starts_with(negation))
}

/// Splits text into lower-case words, dropping apostrophes so "don't" is "dont".
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(is_word_char(c) || c == '\'' || c == '’' || is_mark(c)))
        .map(|word| {
            word.chars()
                .filter(|c| *c != '\'' && *c != '’')
                .map(lower_char)
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

fn is_mark(c: char) -> bool {
    fold_char(c).is_none()
}

/// Whether a word has any diacritic (its folded form differs).
fn has_diacritics(word: &str) -> bool {
    fold(word) != word
}

/// Whether a typed word matches a phrase word.
fn same_word(typed: &str, phrase_word: &str) -> bool {
    typed == phrase_word
        || (!has_diacritics(typed) && fold(phrase_word) == typed)
        || (typed.chars().any(is_mark) && fold(typed) == fold(phrase_word))
}

/// The first risk phrase found in `text`, if any.
pub fn detect(text: &str) -> Option<&'static str> {
    find_phrase(text, PHRASES)
}

/// The first of `phrases` found in `text` by the rules above (word by word, the folded form
/// for words typed without diacritics, a negation just before cancelling a phrase), if any.
/// Shared with [`crate::emergency`], whose symptom list follows the same rules.
pub(crate) fn find_phrase(text: &str, phrases: &[&'static str]) -> Option<&'static str> {
    let typed = words(text);
    phrases.iter().copied().find(|phrase| {
        let phrase_words = words(phrase);
        let n = phrase_words.len();
        (0..typed.len().saturating_sub(n - 1)).any(|start| {
            let window = &typed[start..start + n];
            window
                .iter()
                .zip(&phrase_words)
                .all(|(t, p)| same_word(t, p))
                && (is_negative_phrase(phrase) || !negated(&typed[..start]))
        })
    })
}

/// Whether the words just before a phrase negate it ("not", "i'm not", "không").
fn negated(before: &[String]) -> bool {
    let last = before.last().map(String::as_str);
    let last_two = (before.len() >= 2)
        .then(|| format!("{} {}", before[before.len() - 2], before[before.len() - 1]));
    NEGATIONS.iter().any(|negation| {
        let negation_words = words(negation);
        match negation_words.len() {
            1 => last.is_some_and(|word| same_word(word, &negation_words[0])),
            _ => last_two.as_deref() == Some(negation_words.join(" ").as_str()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_language_is_found_in_english_and_vietnamese_with_and_without_accents() {
        let positives = [
            "I want to kill myself",
            "i dont want to live anymore",
            "I don't want to live like this",
            "sometimes I think about suicide",
            "I've been cutting myself again",
            "thinking of ending my life",
            "KILL MYSELF",
            "muốn chết",
            "tôi muốn chết",
            "Tôi không muốn sống nữa",
            "toi khong muon song nua",
            "nghĩ đến chuyện tự tử",
            "nghi den chuyen tu tu",
            "em muon chet",
            "chán sống quá",
            "đã từng rạch tay",
            "muốn nhảy lầu",
            // Decomposed (NFD) input.
            "muo\u{302}\u{301}n che\u{302}\u{301}t",
        ];
        for text in positives {
            assert!(detect(text).is_some(), "should flag {text:?}");
        }
    }

    #[test]
    fn ordinary_words_that_fold_alike_do_not_trigger() {
        let negatives = [
            "đi từ từ thôi",       // "slowly" folds to "tu tu" but is written with other tones
            "cái tủ lạnh bị hỏng", // "tủ" (cabinet) is not "tử"
            "tư tưởng tích cực",
            "tự tin",
            "chết tiệt cái máy in", // "chết" alone is an everyday curse
            "my cat died last year",
            "killing time before my appointment",
            "how do I cut my nails",
            "I hurt my back",
            "",
            "🙂🙂🙂",
        ];
        for text in negatives {
            assert_eq!(detect(text), None, "should not flag {text:?}");
        }
    }

    #[test]
    fn a_negation_just_before_a_phrase_cancels_it() {
        assert_eq!(detect("I am not suicidal"), None);
        assert_eq!(detect("I'm not suicidal, just tired"), None);
        assert_eq!(detect("tôi không muốn chết"), None);
        assert_eq!(detect("toi khong muon chet"), None);
    }

    #[test]
    fn phrases_that_carry_their_own_negation_still_count_after_another_negation() {
        assert_eq!(detect("tôi không muốn sống"), Some("không muốn sống"));
        assert_eq!(detect("no, I dont want to live"), Some("dont want to live"));
    }

    #[test]
    fn long_and_odd_input_is_handled_quickly() {
        let long = "bình thường ".repeat(1_000);
        let start = std::time::Instant::now();
        assert_eq!(detect(&long), None);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(detect(&format!("{long} muốn chết")).is_some());
    }
}
