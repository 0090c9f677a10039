//! The search over the shipped topics (`content/topics/`), natively: the labelled
//! patient-style queries (`content/queries/`) that the browser benchmark also measures, and
//! searches whose results a patient reads.
//!
//! The packs are indexed here as the widget's Learn section indexes them (`Library::new`),
//! from the topic files read just well enough for search: the front matter's one-line values,
//! and the Markdown body's lines without headings or list numbers. (The server's full parser
//! needs the server crate; other markup, such as `**` and `- `, is punctuation, which the
//! index skips anyway.)

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use haven_api::content::GROUPS;
use haven_api::fold::fold;
use haven_api::search::{Index, Results, words};

/// One topic as the index sees it.
struct Topic {
    id: String,
    title: String,
    synonyms: Vec<String>,
    summary: String,
    body: String,
    group: usize,
}

/// The topics of one language with their index, in the pack's order.
struct Pack {
    topics: Vec<Topic>,
    index: Index,
}

/// A labelled query: any of `expect` in the top five is a success.
struct Query {
    lang: String,
    text: String,
    expect: Vec<String>,
}

fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn same(text: &str) -> String {
    text.to_owned()
}

/// The files of `dir` ending in `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The value of a `key = value` line whose value is a TOML basic string or an array of
/// them (both read as JSON).
fn value(line: &str, key: &str) -> Option<serde_json::Value> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    serde_json::from_str(rest.trim()).ok()
}

fn string(line: &str, key: &str) -> Option<String> {
    value(line, key)?.as_str().map(str::to_owned)
}

fn strings(line: &str, key: &str) -> Option<Vec<String>> {
    let list = value(line, key)?;
    Some(
        list.as_array()?
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
    )
}

fn read_topic(path: &Path) -> Topic {
    let text = fs::read_to_string(path).unwrap();
    let mut parts = text.splitn(3, "+++\n");
    let (_, front, body) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
    let mut topic = Topic {
        id: String::new(),
        title: String::new(),
        synonyms: Vec::new(),
        summary: String::new(),
        body: String::new(),
        group: GROUPS.len(),
    };
    for line in front.lines() {
        if let Some(id) = string(line, "id") {
            topic.id = id;
        } else if let Some(title) = string(line, "title").filter(|_| topic.title.is_empty()) {
            // Sources have titles too, after the topic's own.
            topic.title = title;
        } else if let Some(summary) = string(line, "summary") {
            topic.summary = summary;
        } else if let Some(synonyms) = strings(line, "synonyms") {
            topic.synonyms = synonyms;
        } else if let Some(group) = string(line, "group") {
            topic.group = GROUPS.iter().position(|g| *g == group).unwrap();
        }
    }
    let file = path.display();
    assert!(
        !(topic.id.is_empty() || topic.title.is_empty() || topic.summary.is_empty()),
        "{file}: id, title or summary not read; is it still a one-line \"string\"?"
    );
    topic.body = body
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(without_list_number)
        .collect::<Vec<_>>()
        .join("\n");
    topic
}

/// A line without its leading "1. ", if it is a numbered list item.
fn without_list_number(line: &str) -> &str {
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
    match rest.strip_prefix(". ") {
        Some(item) if rest.len() < line.len() => item,
        _ => line,
    }
}

/// The pack for `lang` ("en" or "vi"), ordered as the server orders it.
fn pack(lang: &str) -> Pack {
    let mut topics: Vec<Topic> = files(&content().join("topics"), &format!(".{lang}.md"))
        .iter()
        .map(|path| read_topic(path))
        .collect();
    topics.sort_by_cached_key(|t| (t.group, fold(&t.title), t.title.clone(), t.id.clone()));
    let synonyms: Vec<String> = topics.iter().map(|t| t.synonyms.join(", ")).collect();
    let index = Index::new(
        topics.iter().zip(&synonyms).map(|(t, synonyms)| {
            [
                t.title.as_str(),
                synonyms.as_str(),
                t.summary.as_str(),
                t.body.as_str(),
            ]
        }),
        topics.iter().map(|t| {
            let mut phrases = vec![t.title.as_str()];
            phrases.extend(t.synonyms.iter().map(String::as_str));
            phrases
        }),
        &same,
    );
    Pack { topics, index }
}

impl Pack {
    /// Searches as the Learn module does (at most 20 results).
    fn search(&self, query: &str) -> Results {
        self.index.search(query, 20, &same)
    }

    /// The ids of the results for `query`, best first.
    fn ids(&self, query: &str) -> Vec<&str> {
        self.search(query)
            .hits
            .iter()
            .map(|hit| self.topics[hit.doc].id.as_str())
            .collect()
    }
}

/// Every labelled query in `content/queries/*.toml`.
fn queries() -> Vec<Query> {
    let mut all = Vec::new();
    for path in files(&content().join("queries"), ".toml") {
        for line in fs::read_to_string(&path).unwrap().lines() {
            if line.trim() == "[[query]]" {
                all.push(Query {
                    lang: String::new(),
                    text: String::new(),
                    expect: Vec::new(),
                });
            } else if let Some(query) = all.last_mut() {
                if let Some(lang) = string(line, "lang") {
                    query.lang = lang;
                } else if let Some(text) = string(line, "text") {
                    query.text = text;
                } else if let Some(expect) = strings(line, "expect") {
                    query.expect = expect;
                }
            }
        }
    }
    all
}

impl Topic {
    /// Every folded word of the topic's indexed text.
    fn words(&self) -> HashSet<String> {
        let text = [
            &self.title,
            &self.synonyms.join(", "),
            &self.summary,
            &self.body,
        ]
        .map(|field| fold(field))
        .join("\n");
        words(&text).map(str::to_owned).collect()
    }
}

#[test]
fn every_labelled_query_finds_its_topic_in_the_top_five() {
    let queries = queries();
    for lang in ["en", "vi"] {
        let pack = pack(lang);
        let mine: Vec<&Query> = queries.iter().filter(|q| q.lang == lang).collect();
        assert!(
            mine.len() >= 50,
            "{lang}: only {} labelled queries",
            mine.len()
        );
        let expected = |query: &Query, id: &str| query.expect.iter().any(|e| e == id);
        let mut missed = Vec::new();
        let mut first = 0;
        for query in &mine {
            let ids = pack.ids(&query.text);
            if !ids.iter().take(5).any(|id| expected(query, id)) {
                missed.push(format!(
                    "{:?} -> {:?}",
                    query.text,
                    &ids[..ids.len().min(5)]
                ));
            }
            if ids.first().is_some_and(|id| expected(query, id)) {
                first += 1;
            }
        }
        let total = mine.len() as f64;
        eprintln!(
            "{lang}: {} queries, recall@5 {:.3}, top-1 {:.3}",
            mine.len(),
            (total - missed.len() as f64) / total,
            f64::from(first) / total,
        );
        assert!(missed.is_empty(), "{lang}: missed {missed:#?}");
    }
}

#[test]
fn unaccented_chest_pain_finds_heart_attack_first_and_highlights_only_its_words() {
    let pack = pack("vi");
    // As typed (the last word still being typed), finished, and with accents.
    for query in ["dau nguc", "dau nguc ", "đau ngực"] {
        let results = pack.search(query);
        let first = results
            .hits
            .first()
            .map(|hit| pack.topics[hit.doc].id.as_str());
        assert_eq!(first, Some("heart-attack"), "{query:?}");
        // "đau", "đầu", "dấu" all fold to "dau"; no word begins with "nguc".
        assert_eq!(results.terms, ["dau", "nguc"], "{query:?}");
        for syllable in ["mau", "sau", "dap", "nhuc"] {
            assert!(
                results.near.iter().any(|near| near == syllable),
                "{query:?}: {syllable} is a near word of the query"
            );
        }
    }
}

#[test]
fn topics_reached_only_through_near_words_are_left_out_when_others_match() {
    for lang in ["en", "vi"] {
        let pack = pack(lang);
        let topic_words: Vec<HashSet<String>> = pack.topics.iter().map(Topic::words).collect();
        for query in queries().iter().filter(|q| q.lang == lang) {
            let typed: Vec<String> = words(&fold(&query.text)).map(str::to_owned).collect();
            let last = typed.last().cloned().unwrap_or_default();
            // Contains a query word, or a word the last one (being typed) begins.
            let sure = |doc: usize| {
                typed.iter().any(|word| topic_words[doc].contains(word))
                    || topic_words[doc].iter().any(|word| word.starts_with(&last))
            };
            if !(0..pack.topics.len()).any(sure) {
                continue;
            }
            let results = pack.search(&query.text);
            for hit in &results.hits {
                assert!(
                    sure(hit.doc),
                    "{lang} {:?}: {} was found only through near words",
                    query.text,
                    pack.topics[hit.doc].id
                );
            }
            for term in &results.terms {
                assert!(
                    typed.contains(term) || term.starts_with(&last),
                    "{lang} {:?}: {term} is highlighted but was not typed",
                    query.text
                );
            }
        }
    }
}

#[test]
fn a_misspelling_alone_still_finds_its_topic() {
    let pack = pack("en");
    let results = pack.search("diabeetes");
    let first = results
        .hits
        .first()
        .map(|hit| pack.topics[hit.doc].id.as_str());
    assert_eq!(first, Some("diabetes-type-2"));
    assert!(results.terms.is_empty(), "nothing was typed exactly");
    assert!(results.near.iter().any(|near| near == "diabetes"));
}
