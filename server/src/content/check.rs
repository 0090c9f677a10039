//! Checking a whole pack: reading the folders, letting local files replace shipped ones,
//! then what no single file can tell (related ids, configuration ids, translations, review
//! dates) and how hard the text is to read.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use haven_api::content::{Topic, plain};
use haven_api::lang::Lang;

use super::parse::{self, ParsedFile};
use super::{CheckOptions, Folders, Problem, Report, Severity};

/// The longest average sentence, in words, before English text counts as hard to read.
pub const MAX_WORDS_PER_SENTENCE_EN: f64 = 20.0;
/// The longest average sentence, in syllables (Vietnamese words are single syllables written
/// apart), before Vietnamese text counts as hard to read.
pub const MAX_SYLLABLES_PER_SENTENCE_VI: f64 = 25.0;

/// How hard one topic file is to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The file.
    pub file: String,
    /// The topic's id.
    pub id: String,
    /// Its language.
    pub lang: Lang,
    /// Words (for Vietnamese, syllables: the text between spaces).
    pub words: usize,
    /// Sentences; each list item counts as at least one.
    pub sentences: usize,
    /// For English, the Flesch reading ease (higher is easier; 60 to 70 is plain English),
    /// with syllables estimated from vowel groups.
    pub flesch: Option<f64>,
}

impl Reading {
    /// The average sentence length, in words (syllables for Vietnamese).
    pub fn words_per_sentence(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.words as f64 / self.sentences as f64
        }
    }
}

/// A file in a `topics` folder, for reading and for noticing changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) len: u64,
    pub(crate) modified: Option<SystemTime>,
}

/// The files of `<folder>/topics`, by name; editor backups and hidden files are left out.
pub(crate) fn list_topics(folder: &Path) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(folder.join("topics"))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let metadata = entry.metadata()?;
        if !metadata.is_file() {
            continue;
        }
        entries.push(Entry {
            path: entry.path(),
            name,
            len: metadata.len(),
            modified: metadata.modified().ok(),
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Reads and checks the folders: every problem, the reading levels, and the topics.
pub fn check(folders: &Folders, options: &CheckOptions) -> Report {
    let mut problems = Vec::new();
    let mut files: BTreeMap<(String, Lang), ParsedFile> = BTreeMap::new();
    read_folder(&folders.shipped, false, &mut files, &mut problems);
    if let Some(local) = &folders.local {
        read_folder(local, true, &mut files, &mut problems);
    }

    let ids: HashSet<&str> = files.keys().map(|(id, _)| id.as_str()).collect();
    let mut readings = Vec::new();
    for parsed in files.values() {
        problems.extend(parsed.problems.iter().cloned());
        let mut found = |line: usize, field: &str, message: String, severity: Severity| {
            problems.push(Problem {
                file: parsed.file.clone(),
                line: Some(line),
                field: field.to_owned(),
                message,
                severity,
            });
        };
        for (i, (id, line)) in parsed.refs.related.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                found(
                    *line,
                    &format!("related[{i}]"),
                    format!("there is no topic {id:?} (no topics/{id}.en.md or .vi.md)"),
                    Severity::Error,
                );
            }
        }
        let configured = [
            (
                "community_group",
                &parsed.refs.community_group,
                &options.community_groups,
                "community group",
            ),
            (
                "appointment_reason",
                &parsed.refs.appointment_reason,
                &options.appointment_reasons,
                "appointment reason",
            ),
        ];
        for (field, value, known, what) in configured {
            if let (Some((id, line)), Some(known)) = (value, known)
                && !known.contains(id)
            {
                found(
                    *line,
                    field,
                    format!(
                        "{id:?} is not a {what} in the clinic configuration; use one of: {}",
                        known.join(", ")
                    ),
                    Severity::Error,
                );
            }
        }
        if let Some((date, line)) = parsed.refs.next_review
            && date < options.today
        {
            found(
                line,
                "next_review",
                format!("review due: the text was to be checked again by {date}"),
                Severity::Warning,
            );
        }
        let reading = reading(&parsed.file, &parsed.topic);
        let (limit, unit) = match reading.lang {
            Lang::En => (MAX_WORDS_PER_SENTENCE_EN, "words"),
            Lang::Vi => (MAX_SYLLABLES_PER_SENTENCE_VI, "syllables"),
        };
        if reading.words_per_sentence() > limit {
            problems.push(Problem {
                file: parsed.file.clone(),
                line: None,
                field: "reading_level".to_owned(),
                message: format!(
                    "hard to read: sentences average {:.1} {unit} (at most {limit:.0}); split long sentences",
                    reading.words_per_sentence()
                ),
                severity: Severity::Warning,
            });
        }
        readings.push(reading);
    }

    let mut languages: BTreeMap<&str, BTreeSet<Lang>> = BTreeMap::new();
    for (id, lang) in files.keys() {
        languages.entry(id).or_default().insert(*lang);
    }
    for (id, present) in languages {
        let first = *present.first().expect("at least one language");
        for missing in Lang::ALL.into_iter().filter(|l| !present.contains(l)) {
            let file = &files[&(id.to_owned(), first)].file;
            problems.push(Problem {
                file: file.clone(),
                line: None,
                field: String::new(),
                message: format!(
                    "missing translation: there is no {id}.{}.md, so the {} text is shown to {} readers",
                    missing.tag(),
                    first.native_name(),
                    missing.native_name()
                ),
                severity: Severity::Warning,
            });
        }
    }

    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Report {
        problems,
        readings,
        topics: files.into_values().map(|parsed| parsed.topic).collect(),
    }
}

/// Parses every topic file of `folder` into `files`, replacing files with the same id and
/// language (a local folder read after the shipped one).
fn read_folder(
    folder: &Path,
    local: bool,
    files: &mut BTreeMap<(String, Lang), ParsedFile>,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |file: String, message: String, severity| {
        problems.push(Problem {
            file,
            line: None,
            field: String::new(),
            message,
            severity,
        })
    };
    let which = if local { "local content" } else { "content" };
    if !folder.is_dir() {
        problem(
            folder.display().to_string(),
            format!("the {which} folder does not exist"),
            Severity::Error,
        );
        return;
    }
    let topics = folder.join("topics");
    if !topics.is_dir() {
        let severity = if local {
            Severity::Warning
        } else {
            Severity::Error
        };
        problem(
            folder.display().to_string(),
            format!(
                "the {which} folder has no topics folder: put topic files in {}",
                topics.display()
            ),
            severity,
        );
        return;
    }
    let entries = match list_topics(folder) {
        Ok(entries) => entries,
        Err(error) => {
            problem(
                topics.display().to_string(),
                format!("cannot read the folder: {error}"),
                Severity::Error,
            );
            return;
        }
    };
    if !local && !entries.iter().any(|entry| entry.name.ends_with(".md")) {
        problem(
            topics.display().to_string(),
            "there are no topic files yet; patients will see no topics".to_owned(),
            Severity::Warning,
        );
    }
    for entry in entries {
        let file = entry.path.display().to_string();
        if !entry.name.ends_with(".md") {
            problem(
                file,
                "ignored: topic files end in .md".to_owned(),
                Severity::Warning,
            );
            continue;
        }
        let (id, lang) = match parse::file_key(&entry.name) {
            Ok(key) => key,
            Err(message) => {
                problem(file, message, Severity::Error);
                continue;
            }
        };
        let source = match std::fs::read(&entry.path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => source,
                Err(_) => {
                    problem(
                        file,
                        "the file is not UTF-8 text: save it as UTF-8".to_owned(),
                        Severity::Error,
                    );
                    continue;
                }
            },
            Err(error) => {
                problem(
                    file,
                    format!("cannot read the file: {error}"),
                    Severity::Error,
                );
                continue;
            }
        };
        let parsed = parse::parse_file(&file, &id, lang, &source);
        files.insert((id, lang), parsed);
    }
}

/// Reading statistics over what patients read: the summary, the sections, the care card and
/// the red flags.
pub fn reading(file: &str, topic: &Topic) -> Reading {
    let mut counts = Counts::default();
    counts.add(&topic.summary);
    let texts = topic
        .sections
        .iter()
        .flat_map(|section| section.blocks.iter().flat_map(|block| block.items.iter()))
        .chain(topic.care.iter().flatten())
        .chain(topic.red_flags.iter());
    for text in texts {
        counts.add(&plain(text));
    }
    let flesch = (topic.lang == Lang::En && counts.words > 0 && counts.sentences > 0).then(|| {
        let words = counts.words as f64;
        206.835
            - 1.015 * (words / counts.sentences as f64)
            - 84.6 * (counts.syllables as f64 / words)
    });
    Reading {
        file: file.to_owned(),
        id: topic.id.clone(),
        lang: topic.lang,
        words: counts.words,
        sentences: counts.sentences,
        flesch,
    }
}

#[derive(Default)]
struct Counts {
    words: usize,
    sentences: usize,
    syllables: usize,
}

impl Counts {
    /// Adds one paragraph or list item: a sentence ends at `.`, `!`, `?` or `…` before a
    /// space or the end; a last sentence without one still counts.
    fn add(&mut self, text: &str) {
        let mut open = false;
        for token in text.split_whitespace() {
            if !token.chars().any(char::is_alphanumeric) {
                continue;
            }
            self.words += 1;
            self.syllables += english_syllables(token);
            open = true;
            let end = token.trim_end_matches(['"', '\'', ')', '”', '’', '»']);
            if end.ends_with(['.', '!', '?', '…']) {
                self.sentences += 1;
                open = false;
            }
        }
        if open {
            self.sentences += 1;
        }
    }
}

/// Syllables in an English word, estimated from groups of vowels (a silent final `e` does
/// not count), at least one.
fn english_syllables(word: &str) -> usize {
    let word: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous = false;
    for c in word.chars() {
        let vowel = is_vowel(c);
        if vowel && !previous {
            groups += 1;
        }
        previous = vowel;
    }
    if groups > 1 && word.ends_with('e') && !word.ends_with("le") && !word.ends_with("ee") {
        groups -= 1;
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_estimated_from_vowel_groups() {
        for (word, syllables) in [
            ("flu", 1),
            ("fever", 2),
            ("make", 1),
            ("people", 2),
            ("diabetes", 3),
            ("medicine", 3),
            ("rhythm", 1),
            ("tree", 1),
            ("2024", 1),
        ] {
            assert_eq!(english_syllables(word), syllables, "{word}");
        }
    }

    #[test]
    fn sentences_end_at_stops_and_each_item_counts() {
        let mut counts = Counts::default();
        counts.add("Rest at home. Drink water! Is it bad? Ask (soon).");
        assert_eq!((counts.words, counts.sentences), (10, 4));
        counts.add("Blue lips");
        assert_eq!((counts.words, counts.sentences), (12, 5));
        counts.add(" - ");
        assert_eq!((counts.words, counts.sentences), (12, 5));
    }
}
