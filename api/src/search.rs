//! Offline full-text search over education topics, as the patient types.
//!
//! - Accent-insensitive: text and queries are folded ([`crate::fold`]) after the caller's
//!   Unicode normalisation (the widget uses the browser's `String.prototype.normalize`), so
//!   "tieu duong" meets "tiểu đường".
//! - Typo-tolerant: words of three to five letters match at edit distance 1, longer words at
//!   distance 2 (a swap of two neighbouring letters counts as one edit). A near word never
//!   counts for more than the word typed when the topics contain that word: a rare word one
//!   letter away must not outrank it ("tieu" is one letter from "nieu" in "tiết niệu", and
//!   Vietnamese syllables are dense with such neighbours).
//! - The word being typed matches as a prefix.
//! - A near word is a guess: when some topics match a query word exactly or as the prefix
//!   being typed, topics found only through near words are left out ("dau" is one letter from
//!   "mau", "sau" and "dap", each another word), and only exact and prefix matches are
//!   reported for highlighting. When nothing matches exactly, the near words are what finds
//!   the topic ("diabtes" finds "diabetes").
//! - Ranked with BM25 over four fields (title, synonyms, summary, body), title and synonym
//!   matches weighing most, and a bonus when the query contains a whole title or synonym
//!   ("chest pain", "can't sleep").
//!
//! The index is built in the browser from the downloaded pack; it is a sorted vocabulary with
//! postings, so exact and prefix look-ups are binary searches and fuzzy look-ups scan only
//! terms of a near length whose letters nearly match.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::fold::fold;

/// The fields a document is indexed by, in the order [`Index::new`] takes them.
pub const FIELDS: usize = 4;
/// How much a match in each field weighs: title, synonyms, summary, body.
const BOOST: [f32; FIELDS] = [4.0, 3.0, 1.5, 1.0];
/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// Weights of a match that is not exact.
const PREFIX: f32 = 0.6;
const EDIT_1: f32 = 0.45;
const EDIT_2: f32 = 0.25;
/// Weight of two neighbouring query words found together, on top of each word's own score.
const PAIR: f32 = 1.5;
/// Queries longer than this many words are cut: nobody types more, and it bounds the work.
const MAX_QUERY_WORDS: usize = 12;
/// Words longer than this are cut for the same reason.
const MAX_WORD: usize = 32;

/// A vocabulary term a typed word stands for.
#[derive(Debug, Clone, Copy)]
struct Variant {
    /// The term's position in the vocabulary.
    term: u32,
    /// How much a match counts, 1.0 for the word itself.
    weight: f32,
    /// Whether it is only a near word (within the edit tolerance), not the word itself or a
    /// word it begins.
    near: bool,
}

/// The vocabulary terms a typed word stands for.
type Expansion = Vec<Variant>;

/// One indexed occurrence of a term.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    field: u8,
    count: u16,
}

/// A search index over documents with [`FIELDS`] text fields.
#[derive(Debug)]
pub struct Index {
    /// The folded vocabulary, sorted.
    terms: Vec<Box<str>>,
    /// For each term: which letters it contains (a quick filter before edit distance).
    masks: Vec<u64>,
    /// For each term: its length in characters.
    lengths: Vec<u8>,
    /// For each term: where it occurs.
    postings: Vec<Vec<Posting>>,
    /// For each term: how many documents contain it.
    term_docs: Vec<u32>,
    /// Neighbouring word pairs ("tieu duong", "chest pain"), sorted. A Vietnamese word is
    /// one syllable, so single words say little ("duong" is in "road", "sugar" and
    /// "urinary tract"); the pair carries the meaning.
    pairs: Vec<Box<str>>,
    /// For each pair: where it occurs.
    pair_postings: Vec<Vec<Posting>>,
    /// For each pair: how many documents contain it.
    pair_docs: Vec<u32>,
    /// For each document: the number of words in each field.
    field_words: Vec<[u16; FIELDS]>,
    /// The average words per field.
    average_words: [f32; FIELDS],
    /// For each document: its title and synonyms as folded word sequences, for the phrase
    /// bonus.
    phrases: Vec<Vec<Box<str>>>,
    /// Expansions of recently typed words: a query typed one key at a time repeats all its
    /// words but the last.
    expansions: RefCell<HashMap<(Box<str>, bool), Expansion>>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's position in the order given to [`Index::new`].
    pub doc: usize,
    /// The relevance score; higher is better.
    pub score: f32,
}

/// The results of a search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Matching documents, best first.
    pub hits: Vec<Hit>,
    /// The folded vocabulary terms that matched a query word exactly or as the prefix being
    /// typed, sorted: what to highlight.
    pub terms: Vec<String>,
    /// The folded vocabulary terms that matched only as near words, sorted; never in
    /// [`Results::terms`]. Not for highlighting: a short word one letter away is usually
    /// another word.
    pub near: Vec<String>,
}

/// Splits folded text into words: runs of letters and digits of two or more characters.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !crate::fold::is_word_char(c))
        .filter(|word| word.chars().nth(1).is_some())
}

/// Folds `text` after `normalize` and splits it into words.
fn tokens(text: &str, normalize: &dyn Fn(&str) -> String) -> Vec<String> {
    let folded = fold(&normalize(text));
    words(&folded)
        .map(|word| word.chars().take(MAX_WORD).collect())
        .collect()
}

/// Which letters (a–z, digits, other) a word contains.
fn mask(word: &str) -> u64 {
    word.chars().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            _ => 36 + (c as u32 % 28),
        };
        mask | (1 << bit)
    })
}

/// The largest edit distance a typed word of `length` characters may be from a match.
fn tolerance(length: usize) -> usize {
    match length {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

/// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of neighbours), or `None` when it exceeds `limit`.
fn distance<T: PartialEq + Copy>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

/// Edit distance on bytes when both words are ASCII (the common case after folding), on
/// characters otherwise.
fn word_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        distance(a.as_bytes(), b.as_bytes(), limit)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        distance(&a, &b, limit)
    }
}

impl Index {
    /// Indexes documents given as their four fields (title, synonyms, summary, body).
    /// `normalize` is applied before folding; pass the identity where the text is already
    /// in composed form.
    pub fn new<'a>(
        documents: impl IntoIterator<Item = [&'a str; FIELDS]>,
        phrases: impl IntoIterator<Item = Vec<&'a str>>,
        normalize: &dyn Fn(&str) -> String,
    ) -> Index {
        let mut by_term: HashMap<String, Vec<Posting>> = HashMap::new();
        let mut by_pair: HashMap<String, Vec<Posting>> = HashMap::new();
        let mut field_words = Vec::new();
        for (doc, fields) in documents.into_iter().enumerate() {
            let mut lengths = [0u16; FIELDS];
            for (field, text) in fields.iter().enumerate() {
                let words = tokens(text, normalize);
                lengths[field] = u16::try_from(words.len()).unwrap_or(u16::MAX);
                let pairs: Vec<String> = words
                    .windows(2)
                    .map(|pair| format!("{} {}", pair[0], pair[1]))
                    .collect();
                add_postings(&mut by_term, words, doc, field);
                add_postings(&mut by_pair, pairs, doc, field);
            }
            field_words.push(lengths);
        }
        let mut average_words = [0f32; FIELDS];
        for (field, average) in average_words.iter_mut().enumerate() {
            let total: f32 = field_words.iter().map(|l| f32::from(l[field])).sum();
            *average = (total / field_words.len().max(1) as f32).max(1.0);
        }
        let (terms, postings, term_docs) = sorted(by_term);
        let (pairs, pair_postings, pair_docs) = sorted(by_pair);
        let phrases = phrases
            .into_iter()
            .map(|list| {
                list.into_iter()
                    .map(|phrase| tokens(phrase, normalize).join(" ").into())
                    .collect()
            })
            .collect();
        Index {
            masks: terms.iter().map(|t| mask(t)).collect(),
            lengths: terms
                .iter()
                .map(|t| t.chars().count().min(255) as u8)
                .collect(),
            postings,
            term_docs,
            terms,
            pairs,
            pair_postings,
            pair_docs,
            field_words,
            average_words,
            phrases,
            expansions: RefCell::new(HashMap::new()),
        }
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.field_words.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.field_words.is_empty()
    }

    /// Forgets the expansions of recently typed words, so a benchmark that replays the same
    /// queries measures them as first typed.
    pub fn clear_cache(&self) {
        self.expansions.borrow_mut().clear();
    }

    /// The number of distinct terms.
    pub fn vocabulary(&self) -> usize {
        self.terms.len()
    }

    /// The terms a typed word stands for, with a weight: itself, words it begins (when it is
    /// still being typed) and, marked as near, words within its edit tolerance.
    fn expand(&self, word: &str, typing: bool) -> Expansion {
        let key = (Box::<str>::from(word), typing);
        if let Some(found) = self.expansions.borrow().get(&key) {
            return found.clone();
        }
        // Per term: its weight and whether it is a near word.
        let mut out: HashMap<u32, (f32, bool)> = HashMap::new();
        let start = self.terms.partition_point(|t| &**t < word);
        if typing {
            let typed = word.chars().count() as f32;
            for (offset, term) in self.terms[start..].iter().enumerate() {
                if !term.starts_with(word) {
                    break;
                }
                let weight = if &**term == word {
                    1.0
                } else {
                    PREFIX * (typed / self.lengths[start + offset] as f32).sqrt()
                };
                out.insert((start + offset) as u32, (weight, false));
            }
        } else if self.terms.get(start).is_some_and(|t| &**t == word) {
            out.insert(start as u32, (1.0, false));
        }
        let length = word.chars().count();
        let limit = tolerance(length);
        if limit > 0 {
            let word_mask = mask(word);
            for (id, term) in self.terms.iter().enumerate() {
                if usize::from(self.lengths[id]).abs_diff(length) > limit
                    || (self.masks[id] ^ word_mask).count_ones() as usize > 2 * limit
                {
                    continue;
                }
                // A word the typed one begins stays a prefix match: its weight is higher than
                // a near word's (it is at most `limit` letters longer).
                if out.contains_key(&(id as u32)) {
                    continue;
                }
                if let Some(d) = word_distance(word, term, limit).filter(|&d| d > 0) {
                    let weight = if d == 1 { EDIT_1 } else { EDIT_2 };
                    out.insert(id as u32, (weight, true));
                }
            }
        }
        let found: Expansion = out
            .into_iter()
            .map(|(term, (weight, near))| Variant { term, weight, near })
            .collect();
        let mut cache = self.expansions.borrow_mut();
        if cache.len() > 512 {
            cache.clear();
        }
        cache.insert(key, found.clone());
        found
    }

    /// Adds BM25 scores of one matched term's postings into `best` (the best per document
    /// for the current query word), noting newly touched documents.
    fn score(
        &self,
        postings: &[Posting],
        doc_freq: u32,
        weight: f32,
        best: &mut [f32],
        touched: &mut Vec<u32>,
    ) {
        let docs = self.len() as f32;
        let with_term = doc_freq as f32;
        let idf = (1.0 + (docs - with_term + 0.5) / (with_term + 0.5)).ln();
        for posting in postings {
            let field = usize::from(posting.field);
            let count = f32::from(posting.count);
            let length = f32::from(self.field_words[posting.doc as usize][field]);
            let norm = 1.0 - B + B * length / self.average_words[field];
            let score = idf * count * (K1 + 1.0) / (count + K1 * norm) * BOOST[field] * weight;
            let slot = &mut best[posting.doc as usize];
            if *slot == 0.0 {
                touched.push(posting.doc);
            }
            *slot = slot.max(score);
        }
    }

    /// Searches for `query`, returning at most `limit` hits. The last word counts as still
    /// being typed unless the query ends with a space.
    pub fn search(&self, query: &str, limit: usize, normalize: &dyn Fn(&str) -> String) -> Results {
        // Bound the work before normalising: nobody types a 10,000-character query.
        let query: String = query
            .chars()
            .take(MAX_QUERY_WORDS * (MAX_WORD + 1))
            .collect();
        let mut query_words = tokens(&query, normalize);
        query_words.truncate(MAX_QUERY_WORDS);
        let typing_last = !query.ends_with(char::is_whitespace);
        let docs = self.len();
        let mut total = vec![0f32; docs];
        let mut matched = vec![0u8; docs];
        // Per document: whether a query word matched it exactly or as a prefix.
        let mut sure = vec![false; docs];
        let mut best = vec![0f32; docs];
        let mut touched: Vec<u32> = Vec::new();
        let mut sure_terms: Vec<u32> = Vec::new();
        let mut near_terms: Vec<u32> = Vec::new();
        for (position, word) in query_words.iter().enumerate() {
            let typing = typing_last && position + 1 == query_words.len();
            let exact = self.terms.partition_point(|t| **t < **word);
            let known = self
                .terms
                .get(exact)
                .is_some_and(|t| **t == **word)
                .then(|| self.term_docs[exact]);
            let variants = self.expand(word, typing);
            // The word itself and the words it begins first, so that the documents touched
            // before the near words are those it matched surely.
            for near in [false, true] {
                for variant in variants.iter().filter(|v| v.near == near) {
                    let term = variant.term as usize;
                    // Near words weigh at most as much as the word typed (see the module docs).
                    let doc_freq =
                        known.map_or(self.term_docs[term], |d| d.max(self.term_docs[term]));
                    self.score(
                        &self.postings[term],
                        doc_freq,
                        variant.weight,
                        &mut best,
                        &mut touched,
                    );
                    if near {
                        near_terms.push(variant.term);
                    } else {
                        sure_terms.push(variant.term);
                    }
                }
                if !near {
                    for &doc in &touched {
                        sure[doc as usize] = true;
                    }
                }
            }
            for &doc in &touched {
                total[doc as usize] += best[doc as usize];
                matched[doc as usize] += 1;
                best[doc as usize] = 0.0;
            }
            touched.clear();
        }
        // Neighbouring words typed together that also stand together in a topic.
        for (position, pair) in query_words.windows(2).enumerate() {
            let typing = typing_last && position + 2 == query_words.len();
            let typed = format!("{} {}", pair[0], pair[1]);
            let start = self.pairs.partition_point(|p| **p < *typed);
            for (offset, found) in self.pairs[start..].iter().enumerate() {
                let exact = **found == *typed;
                if !(exact || typing && found.starts_with(typed.as_str())) {
                    break;
                }
                let weight = PAIR;
                let id = start + offset;
                self.score(
                    &self.pair_postings[id],
                    self.pair_docs[id],
                    weight,
                    &mut best,
                    &mut touched,
                );
            }
            for &doc in &touched {
                total[doc as usize] += best[doc as usize];
                best[doc as usize] = 0.0;
            }
            touched.clear();
        }
        let words_typed = query_words.len().max(1) as f32;
        let joined = query_words.join(" ");
        // Topics found only through near words are guesses, kept only when there is nothing
        // better.
        let any_sure = sure.contains(&true);
        let mut hits: Vec<Hit> = (0..docs)
            .filter(|&doc| total[doc] > 0.0 && (sure[doc] || !any_sure))
            .map(|doc| {
                let coverage = f32::from(matched[doc]) / words_typed;
                let phrase = self.phrases[doc]
                    .iter()
                    .any(|phrase| contains_words(&joined, phrase));
                let bonus = if phrase { 2.0 } else { 1.0 };
                Hit {
                    doc,
                    score: total[doc] * coverage * coverage * bonus,
                }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        sure_terms.sort_unstable();
        sure_terms.dedup();
        near_terms.sort_unstable();
        near_terms.dedup();
        // A term one query word matched surely is no guess, whatever another word made of it.
        near_terms.retain(|term| sure_terms.binary_search(term).is_err());
        let text = |terms: Vec<u32>| -> Vec<String> {
            terms
                .into_iter()
                .map(|t| self.terms[t as usize].to_string())
                .collect()
        };
        Results {
            hits,
            terms: text(sure_terms),
            near: text(near_terms),
        }
    }
}

/// Adds one field's occurrences of each key to the postings.
fn add_postings(
    map: &mut HashMap<String, Vec<Posting>>,
    keys: Vec<String>,
    doc: usize,
    field: usize,
) {
    let mut counts: HashMap<String, u16> = HashMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    for (key, count) in counts {
        map.entry(key).or_default().push(Posting {
            doc: doc as u32,
            field: field as u8,
            count,
        });
    }
}

/// Sorts postings by key, with each key's document frequency.
fn sorted(map: HashMap<String, Vec<Posting>>) -> (Vec<Box<str>>, Vec<Vec<Posting>>, Vec<u32>) {
    let mut entries: Vec<(String, Vec<Posting>)> = map.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let keys = entries.iter().map(|(key, _)| key.as_str().into()).collect();
    let docs = entries
        .iter()
        .map(|(_, postings)| {
            let mut docs: Vec<u32> = postings.iter().map(|p| p.doc).collect();
            docs.dedup();
            docs.len() as u32
        })
        .collect();
    (keys, entries.into_iter().map(|(_, p)| p).collect(), docs)
}

/// Whether the space-joined words `haystack` contain the space-joined words `needle` as
/// whole words.
fn contains_words(haystack: &str, needle: &str) -> bool {
    !needle.is_empty()
        && haystack.match_indices(needle).any(|(at, _)| {
            let before = at == 0 || haystack.as_bytes()[at - 1] == b' ';
            let end = at + needle.len();
            let after = end == haystack.len() || haystack.as_bytes()[end] == b' ';
            before && after
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) -> String {
        text.to_owned()
    }

    struct Doc {
        title: &'static str,
        synonyms: &'static str,
        summary: &'static str,
        body: &'static str,
    }

    const DOCS: [Doc; 5] = [
        Doc {
            title: "Tiểu đường týp 2",
            synonyms: "đái tháo đường, bệnh đường, đường huyết cao",
            summary: "Lượng đường trong máu luôn quá cao.",
            body: "Uống nhiều nước, đi tiểu nhiều.",
        },
        Doc {
            title: "Type 2 diabetes",
            synonyms: "sugar, high blood sugar, diabetis",
            summary: "The sugar level in your blood stays too high.",
            body: "Feeling very thirsty. Peeing more than usual.",
        },
        Doc {
            title: "Heart attack",
            synonyms: "chest pain, heart failure symptoms",
            summary: "A heart attack is a medical emergency.",
            body: "Chest pain that spreads to the arms. Call the emergency number.",
        },
        Doc {
            title: "Insomnia",
            synonyms: "can't sleep, sleeplessness",
            summary: "Trouble falling or staying asleep.",
            body: "Keep regular hours. Avoid screens before bed.",
        },
        Doc {
            title: "Tooth decay",
            synonyms: "cavity, toothache",
            summary: "Holes in the teeth caused by sugar and plaque.",
            body: "Brush twice a day with fluoride toothpaste.",
        },
    ];

    fn index() -> Index {
        Index::new(
            DOCS.iter()
                .map(|d| [d.title, d.synonyms, d.summary, d.body]),
            DOCS.iter().map(|d| {
                let mut list = vec![d.title];
                list.extend(d.synonyms.split(", "));
                list
            }),
            &same,
        )
    }

    fn top(index: &Index, query: &str) -> Option<usize> {
        index.search(query, 5, &same).hits.first().map(|h| h.doc)
    }

    #[test]
    fn unaccented_vietnamese_finds_accented_text() {
        let index = index();
        assert_eq!(top(&index, "tieu duong"), Some(0));
        assert_eq!(top(&index, "dai thao duong"), Some(0));
        assert_eq!(top(&index, "ĐÁI THÁO ĐƯỜNG"), Some(0));
    }

    #[test]
    fn misspellings_within_tolerance_match() {
        let index = index();
        assert_eq!(top(&index, "diabtes "), Some(1), "a swap is one edit");
        assert_eq!(top(&index, "diabeetes "), Some(1));
        assert_eq!(top(&index, "insomnya "), Some(3));
        assert_eq!(top(&index, "cavty "), Some(4), "short word, one edit");
    }

    #[test]
    fn the_word_being_typed_matches_as_a_prefix() {
        let index = index();
        assert_eq!(top(&index, "insom"), Some(3));
        assert_eq!(top(&index, "tieu duo"), Some(0));
        // With a trailing space the word is finished: "insom " is not "insomnia".
        assert!(index.search("insom ", 5, &same).hits.is_empty());
    }

    #[test]
    fn lay_phrases_rank_their_topic_first() {
        let index = index();
        assert_eq!(top(&index, "chest pain"), Some(2));
        assert_eq!(top(&index, "can't sleep"), Some(3));
        assert_eq!(
            top(&index, "sugar"),
            Some(1),
            "synonym outranks a body mention"
        );
    }

    #[test]
    fn words_standing_together_outrank_the_same_words_apart() {
        let index = Index::new(
            [
                [
                    "Nhiễm trùng đường tiết niệu",
                    "tiểu buốt, tiểu rắt",
                    "",
                    "đi tiểu nhiều",
                ],
                ["Tiểu đường", "đái tháo đường", "", ""],
            ],
            [vec![], vec![]],
            &same,
        );
        assert_eq!(top(&index, "tieu duong "), Some(1));
    }

    #[test]
    fn a_near_word_never_outweighs_the_word_typed() {
        let index = Index::new(
            [
                ["Viêm đường tiết niệu", "", "", "Uống nước."],
                ["Tiểu nhiều", "", "", "Uống nước."],
                ["Đi tiểu", "", "", "Uống nước."],
                ["Tiểu đêm", "", "", "Uống nước."],
            ],
            [vec![], vec![], vec![], vec![]],
            &same,
        );
        // Alone, "tieu" leaves out the topic it reaches only as "nieu" (the others contain
        // "tieu"); with "nuoc", which that topic contains too, the near word counts, but no
        // more than "tieu" would.
        let results = index.search("tieu ", 4, &same);
        assert!(results.hits.iter().all(|h| h.doc != 0));
        let results = index.search("tieu nuoc ", 4, &same);
        assert_eq!(
            results.hits.last().map(|h| h.doc),
            Some(0),
            "still found, last"
        );
    }

    #[test]
    fn only_exact_and_prefix_matches_are_reported_for_highlighting() {
        let results = index().search("diabetis", 5, &same);
        assert_eq!(results.terms, ["diabetis"]);
        assert!(results.near.contains(&"diabetes".to_owned()));

        let results = index().search("insom", 5, &same);
        assert_eq!(
            results.terms,
            ["insomnia"],
            "the word being typed, as a prefix"
        );
    }

    /// Vietnamese syllables one letter from "đau" and "ngực": "máu" (blood), "sau" (after),
    /// "ngứa" (itch), "ngược" (reverse).
    fn chest_pain_index() -> Index {
        Index::new(
            [
                ["Nhồi máu cơ tim", "đau ngực, đau tim", "", ""],
                ["Đau lưng", "", "", "Cúi người ngược ra sau."],
                ["Mất máu", "", "", "Ngứa sau khi truyền máu."],
                ["Ngứa", "", "", ""],
            ],
            [
                vec!["Nhồi máu cơ tim", "đau ngực", "đau tim"],
                vec![],
                vec![],
                vec![],
            ],
            &same,
        )
    }

    #[test]
    fn near_words_are_never_reported_for_highlighting() {
        let index = chest_pain_index();
        for query in ["dau nguc", "dau nguc ", "đau ngực"] {
            let results = index.search(query, 5, &same);
            assert_eq!(results.terms, ["dau", "nguc"], "{query:?}");
            for near in ["mau", "sau", "ngua", "nguoc"] {
                assert!(results.near.contains(&near.to_owned()), "{query:?}: {near}");
            }
        }
    }

    #[test]
    fn topics_found_only_through_near_words_are_left_out_when_others_match() {
        let results = chest_pain_index().search("dau nguc", 5, &same);
        let docs: Vec<usize> = results.hits.iter().map(|h| h.doc).collect();
        // "Đau lưng" matches "dau" exactly and "nguc" only as "ngược": still a sure match.
        assert_eq!(docs, [0, 1]);
    }

    #[test]
    fn near_words_find_topics_when_nothing_matches_exactly() {
        let results = chest_pain_index().search("dua ngcu ", 5, &same);
        assert_eq!(results.hits.first().map(|h| h.doc), Some(0));
        assert!(results.terms.is_empty());
    }

    #[test]
    fn short_words_need_an_exact_or_prefix_match() {
        let index = index();
        // "he" is two letters: no fuzzy match against "the"/"heart" beyond its prefix.
        let results = index.search("zz", 5, &same);
        assert!(results.hits.is_empty());
    }

    #[test]
    fn anything_typed_is_accepted() {
        let index = index();
        for query in [
            "",
            "   ",
            "😀🙂",
            "مرحبا",
            "!!!",
            "a",
            "x".repeat(10_000).as_str(),
        ] {
            let _ = index.search(query, 5, &same);
        }
        let long = "diabetes ".repeat(2_000);
        assert_eq!(top(&index, &long), Some(1));
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(word_distance("diabetes", "diabtees", 2), Some(1));
        assert_eq!(word_distance("kitten", "sitting", 2), None);
        assert_eq!(word_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(word_distance("đau", "dau", 1), Some(1));
        assert_eq!(word_distance("same", "same", 0), Some(0));
    }

    #[test]
    fn whole_word_phrases_only() {
        assert!(contains_words("bad chest pain today", "chest pain"));
        assert!(!contains_words("chest painful", "chest pain"));
        assert!(!contains_words("", "chest"));
    }
}
