//! The PHQ-9 (depression) and GAD-7 (anxiety) self-checks: scoring and its plain reading.
//! Both questionnaires are free to use; the bands follow their authors' published cut-offs.

/// A self-check questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Patient Health Questionnaire, nine items (depression).
    Phq9,
    /// Generalised Anxiety Disorder, seven items.
    Gad7,
}

impl Check {
    /// The URL segment: `/learn/check/phq-9`.
    pub fn slug(self) -> &'static str {
        match self {
            Check::Phq9 => "phq-9",
            Check::Gad7 => "gad-7",
        }
    }

    /// Parses a URL segment.
    pub fn from_slug(slug: &str) -> Option<Check> {
        [Check::Phq9, Check::Gad7]
            .into_iter()
            .find(|check| check.slug() == slug)
    }

    /// The number of questions.
    pub fn items(self) -> usize {
        match self {
            Check::Phq9 => 9,
            Check::Gad7 => 7,
        }
    }

    /// The education topic to read next.
    pub fn topic(self) -> &'static str {
        match self {
            Check::Phq9 => "depression",
            Check::Gad7 => "anxiety",
        }
    }

    /// The highest possible score.
    pub fn max_score(self) -> u8 {
        3 * self.items() as u8
    }

    /// The severity band of a total score, as an index into minimal, mild, moderate,
    /// moderately severe, severe. GAD-7 has no "moderately severe" band: 15 and over is
    /// severe.
    pub fn band(self, score: u8) -> usize {
        match (self, score) {
            (_, 0..=4) => 0,
            (_, 5..=9) => 1,
            (_, 10..=14) => 2,
            (Check::Phq9, 15..=19) => 3,
            _ => 4,
        }
    }

    /// Whether an answer means the patient may be at risk and must see crisis help at once:
    /// any answer above "not at all" to PHQ-9 item 9 (thoughts of being better off dead or
    /// of self-harm).
    pub fn is_crisis_answer(self, item: usize, answer: u8) -> bool {
        self == Check::Phq9 && item == 8 && answer > 0
    }
}

/// The total score, or the 1-based numbers of the unanswered questions.
pub fn score(answers: &[Option<u8>]) -> Result<u8, Vec<usize>> {
    let missing: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, answer)| answer.is_none())
        .map(|(index, _)| index + 1)
        .collect();
    if missing.is_empty() {
        Ok(answers.iter().flatten().map(|answer| answer.min(&3)).sum())
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phq9_bands_follow_the_published_cut_offs() {
        let expected = [
            (0, 0),
            (4, 0),
            (5, 1),
            (9, 1),
            (10, 2),
            (14, 2),
            (15, 3),
            (19, 3),
            (20, 4),
            (27, 4),
        ];
        for (score, band) in expected {
            assert_eq!(Check::Phq9.band(score), band, "PHQ-9 score {score}");
        }
    }

    #[test]
    fn gad7_has_no_moderately_severe_band() {
        assert_eq!(Check::Gad7.band(14), 2);
        assert_eq!(Check::Gad7.band(15), 4);
        assert_eq!(Check::Gad7.band(21), 4);
        assert_eq!(Check::Gad7.max_score(), 21);
        assert_eq!(Check::Phq9.max_score(), 27);
    }

    #[test]
    fn scoring_needs_every_answer_and_names_the_missing_ones() {
        assert_eq!(score(&[Some(1), Some(2), Some(3)]), Ok(6));
        assert_eq!(score(&[Some(1), None, Some(3), None]), Err(vec![2, 4]));
    }

    #[test]
    fn only_a_positive_phq9_item_9_is_a_crisis_answer() {
        assert!(Check::Phq9.is_crisis_answer(8, 1));
        assert!(Check::Phq9.is_crisis_answer(8, 3));
        assert!(!Check::Phq9.is_crisis_answer(8, 0));
        assert!(!Check::Phq9.is_crisis_answer(7, 3));
        assert!(!Check::Gad7.is_crisis_answer(6, 3));
    }

    #[test]
    fn slugs_round_trip() {
        for check in [Check::Phq9, Check::Gad7] {
            assert_eq!(Check::from_slug(check.slug()), Some(check));
        }
        assert_eq!(Check::from_slug("phq-10"), None);
    }
}
