//! Detecting emergency symptoms (chest pain, trouble breathing, signs of a stroke, heavy
//! bleeding…) in English and Vietnamese, so that a patient who writes them in an appointment
//! request is told at once not to wait for an appointment but to call the emergency number.
//! The widget and the server use this same code.
//!
//! Matching follows the rules of [`crate::crisis`]: phrase by phrase, word by word; a word
//! typed without any diacritics matches by its folded form ("kho tho" matches "khó thở"), a
//! word typed with diacritics must match exactly; a negation directly before a phrase ("no
//! chest pain", "không khó thở") cancels it, unless the phrase carries its own ("can't
//! breathe", "không thở được"). Like the crisis detector it errs towards showing the alert: a
//! false alarm costs a glance, a miss can cost a life.
//!
//! Give it text in Unicode normalisation form C, as for [`crate::crisis::detect`].

use crate::crisis::find_phrase;

/// Phrases that describe an emergency, as written; matched word by word.
const PHRASES: &[&str] = &[
    // English: the heart
    "chest pain",
    "chest pains",
    "pain in my chest",
    "chest tightness",
    "tight chest",
    "crushing chest",
    "pressure in my chest",
    "heart attack",
    // English: breathing
    "cant breathe",
    "can not breathe",
    "cannot breathe",
    "unable to breathe",
    "trouble breathing",
    "difficulty breathing",
    "hard to breathe",
    "struggling to breathe",
    "short of breath",
    "shortness of breath",
    "stopped breathing",
    "choking",
    "blue lips",
    "lips turning blue",
    // English: stroke (face, arm, speech) and the brain
    "stroke",
    "face drooping",
    "face is drooping",
    "drooping face",
    "slurred speech",
    "slurring",
    "sudden numbness",
    "sudden weakness",
    "numb on one side",
    "weak on one side",
    "worst headache",
    "sudden severe headache",
    "unconscious",
    "passed out",
    "fainted",
    "fainting",
    "collapsed",
    "seizure",
    "seizures",
    "convulsions",
    // English: bleeding and allergy
    "coughing up blood",
    "coughing blood",
    "vomiting blood",
    "throwing up blood",
    "bleeding heavily",
    "heavy bleeding",
    "severe bleeding",
    "wont stop bleeding",
    "anaphylaxis",
    "anaphylactic",
    "throat is swelling",
    "throat swelling",
    "swollen throat",
    // Vietnamese: the heart
    "đau ngực",
    "tức ngực",
    "đau thắt ngực",
    "nặng ngực",
    "nhồi máu cơ tim",
    "đau tim",
    // Vietnamese: breathing
    "khó thở",
    "không thở được",
    "thở không được",
    "không thể thở",
    "ngạt thở",
    "thở gấp",
    "môi tím",
    "tím tái",
    // Vietnamese: stroke and the brain
    "đột quỵ",
    "tai biến",
    "méo miệng",
    "méo mặt",
    "nói khó",
    "nói không rõ",
    "yếu nửa người",
    "tê nửa người",
    "liệt nửa người",
    "yếu một bên",
    "tê một bên",
    "đau đầu dữ dội",
    "nhức đầu dữ dội",
    "bất tỉnh",
    "ngất xỉu",
    "bị ngất",
    "ngất đi",
    "co giật",
    // Vietnamese: bleeding and allergy
    "ho ra máu",
    "nôn ra máu",
    "ói ra máu",
    "chảy máu nhiều",
    "chảy máu không cầm",
    "mất máu nhiều",
    "sốc phản vệ",
    "phản vệ",
    "sưng họng",
    "sưng cổ họng",
];

/// The first emergency-symptom phrase found in `text`, if any.
pub fn detect(text: &str) -> Option<&'static str> {
    find_phrase(text, PHRASES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emergency_symptoms_are_found_in_english_and_vietnamese_with_and_without_accents() {
        let positives = [
            "I have chest pain since this morning",
            "CHEST PAIN",
            "my dad can't breathe properly",
            "I cannot breathe when I lie down",
            "trouble breathing at night",
            "very short of breath",
            "I think it's a stroke, her face is drooping",
            "slurred speech and sudden weakness",
            "she passed out in the kitchen",
            "he had a seizure",
            "coughing up blood",
            "my throat is swelling after a bee sting",
            "tôi bị đau ngực",
            "toi bi dau nguc",
            "Mẹ tôi khó thở",
            "me toi kho tho",
            "không thở được",
            "khong tho duoc",
            "ông bị đột quỵ, méo miệng",
            "ong bi dot quy",
            "con tôi co giật",
            "ho ra máu",
            "sốc phản vệ sau khi tiêm",
            // Decomposed (NFD) input.
            "đau ngu\u{31b}\u{323}c",
        ];
        for text in positives {
            assert!(detect(text).is_some(), "should flag {text:?}");
        }
    }

    #[test]
    fn ordinary_reasons_do_not_trigger() {
        let negatives = [
            "routine check-up",
            "follow-up for my blood pressure",
            "painful knee when running",
            "breathing exercises for asthma",
            "I want my teeth cleaned",
            "tôi muốn khám răng",
            "đau lưng",
            "tập thở",
            "tiêm chủng cho con",
            "",
        ];
        for text in negatives {
            assert_eq!(detect(text), None, "should not flag {text:?}");
        }
    }

    #[test]
    fn a_negation_just_before_a_symptom_cancels_it() {
        assert_eq!(detect("no chest pain, just a cough"), None);
        assert_eq!(detect("không đau ngực"), None);
        assert_eq!(detect("khong kho tho"), None);
    }

    #[test]
    fn symptoms_that_carry_their_own_negation_still_count() {
        assert_eq!(detect("I can't breathe"), Some("cant breathe"));
        assert_eq!(detect("tôi không thở được"), Some("không thở được"));
    }

    #[test]
    fn words_typed_with_other_tones_do_not_match() {
        // Typed with diacritics, "biển" (sea) must not pass for "biến" in "tai biến" (stroke).
        assert_eq!(detect("tai biển"), None);
    }
}
