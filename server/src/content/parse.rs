//! Reading one topic file: TOML front matter between `+++` lines, then a Markdown body in the
//! small subset the widget renders (see `content/README.md`).
//!
//! Everything a file alone can get wrong is found here, each problem with its line and field;
//! what needs the whole pack or the clinic configuration (related ids, translations, review
//! dates) is checked in [`super::check`].

use std::ops::Range;

use haven_api::content::{Block, GROUPS, SECTIONS, Section, Source, Span, Text, Topic};
use haven_api::fold::fold;
use haven_api::lang::Lang;
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use toml::de::{DeTable, DeValue};
use unicode_normalization::UnicodeNormalization;

use super::{Problem, Severity};
use haven_api::date::Date;

/// The `##` headings, by section: (field, English, Vietnamese). The first five are
/// [`SECTIONS`], in order; then the care card and the red flags.
const HEADINGS: [(&str, &str, &str); 7] = [
    ("overview", "Overview", "Tổng quan"),
    ("symptoms", "Symptoms", "Triệu chứng"),
    ("causes", "Causes", "Nguyên nhân"),
    ("self-care", "Self-care", "Tự chăm sóc"),
    ("treatment", "Treatment", "Điều trị"),
    ("care", "When to seek care", "Khi nào cần đi khám"),
    ("red_flags", "Red flags", "Dấu hiệu nguy hiểm"),
];
const CARE: usize = 5;
const RED_FLAGS: usize = 6;

/// The `###` parts of "When to seek care", most urgent first: (field, English, Vietnamese).
const CARE_LEVELS: [(&str, &str, &str); 3] = [
    (
        "care.emergency",
        "Call the emergency number now",
        "Gọi cấp cứu ngay",
    ),
    (
        "care.urgent",
        "See a doctor today",
        "Đi khám ngay trong ngày",
    ),
    (
        "care.routine",
        "Self-care and a routine visit",
        "Tự chăm sóc và hẹn khám định kỳ",
    ),
];

/// The front matter keys, in the order the README lists them.
const KEYS: [&str; 13] = [
    "id",
    "lang",
    "title",
    "group",
    "summary",
    "synonyms",
    "related",
    "community_group",
    "appointment_reason",
    "reviewed_by",
    "reviewed_on",
    "next_review",
    "sources",
];

/// The shortest run of digits that looks like a phone number.
const PHONE_DIGITS: usize = 7;

/// A topic file, read and checked on its own.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// The file as named in problems.
    pub file: String,
    /// The id in the file name.
    pub id: String,
    /// The language in the file name.
    pub lang: Lang,
    /// The topic; complete only when `problems` has no errors.
    pub topic: Topic,
    /// Where the values checked against the pack and the configuration are.
    pub refs: References,
    /// What is wrong with the file.
    pub problems: Vec<Problem>,
}

/// Values checked once the whole pack is known, with their lines.
#[derive(Debug, Clone, Default)]
pub struct References {
    /// `related` ids.
    pub related: Vec<(String, usize)>,
    /// `community_group`.
    pub community_group: Option<(String, usize)>,
    /// `appointment_reason`.
    pub appointment_reason: Option<(String, usize)>,
    /// `next_review`.
    pub next_review: Option<(Date, usize)>,
}

/// Splits a topic file name, `<id>.<lang>.md`, into its id and language.
pub fn file_key(name: &str) -> Result<(String, Lang), String> {
    let usage =
        "name topic files <id>.<lang>.md, such as diabetes-type-2.en.md, with lang en or vi";
    let stem = name.strip_suffix(".md").ok_or_else(|| usage.to_owned())?;
    let (id, tag) = stem.rsplit_once('.').ok_or_else(|| usage.to_owned())?;
    let lang = Lang::ALL
        .into_iter()
        .find(|lang| lang.tag() == tag)
        .ok_or_else(|| format!("{tag:?} is not a shipped language: {usage}"))?;
    check_id(id).map_err(|message| format!("the file name's id {message}"))?;
    Ok((id.to_owned(), lang))
}

/// Ids are lower-case words joined by `-`, as in URLs.
fn check_id(id: &str) -> Result<(), String> {
    let word_ok = |word: &str| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if id.len() <= 64 && id.split('-').all(word_ok) {
        Ok(())
    } else {
        Err(format!(
            "{id:?} is not an id: use lower-case words and digits joined by '-', such as \"diabetes-type-2\""
        ))
    }
}

/// Checks a link target: an absolute `https://` address with a host and no spaces.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.chars().any(char::is_whitespace) {
        return Err(format!(
            "the link address {url:?} has a space: write it without spaces"
        ));
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "the link address {url:?} must be a full https:// address, such as \"https://www.who.int/…\""
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok {
        Ok(())
    } else {
        Err(format!("the link address {url:?} has no valid host name"))
    }
}

/// Text as the checker and the widget see it: NFC, `\n` line ends, no byte-order mark.
pub fn normalize_source(source: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    source.replace("\r\n", "\n").nfc().collect()
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line numbers for byte offsets in part of a file.
struct Lines {
    starts: Vec<usize>,
    first: usize,
}

impl Lines {
    /// `text` starts on line `first` of its file.
    fn new(text: &str, first: usize) -> Lines {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { starts, first }
    }

    fn line(&self, offset: usize) -> usize {
        self.first + self.starts.partition_point(|&start| start <= offset) - 1
    }
}

/// Collects problems for one file.
struct Found<'f> {
    file: &'f str,
    problems: Vec<Problem>,
}

impl Found<'_> {
    fn push(&mut self, severity: Severity, line: usize, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line: Some(line),
            field: field.to_owned(),
            message: message.into(),
            severity,
        });
    }

    fn error(&mut self, line: usize, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, line, field, message);
    }

    fn warning(&mut self, line: usize, field: &str, message: impl Into<String>) {
        self.push(Severity::Warning, line, field, message);
    }
}

/// Reads one topic file. `id` and `lang` come from its file name (see [`file_key`]).
pub fn parse_file(file: &str, id: &str, lang: Lang, source: &str) -> ParsedFile {
    let source = normalize_source(source);
    let mut found = Found {
        file,
        problems: Vec::new(),
    };
    let mut topic = empty_topic(id, lang);
    let mut refs = References::default();
    match split_front_matter(&source) {
        Err((line, message)) => found.error(line, "", message),
        Ok(parts) => {
            let front = Lines::new(parts.front, 2);
            read_front_matter(
                parts.front,
                &front,
                (id, lang),
                &mut topic,
                &mut refs,
                &mut found,
            );
            let body = Lines::new(parts.body, parts.body_line);
            read_body(parts.body, &body, &mut topic, &mut found);
        }
    }
    let mut problems = found.problems;
    problems.sort_by_key(|problem| problem.line);
    // One mistake can produce the same event twice (an opening and a closing HTML tag).
    problems.dedup();
    ParsedFile {
        file: file.to_owned(),
        id: id.to_owned(),
        lang,
        topic,
        refs,
        problems,
    }
}

fn empty_topic(id: &str, lang: Lang) -> Topic {
    Topic {
        id: id.to_owned(),
        lang,
        title: String::new(),
        group: String::new(),
        summary: String::new(),
        synonyms: Vec::new(),
        related: Vec::new(),
        community_group: None,
        appointment_reason: None,
        reviewed_by: None,
        reviewed_on: None,
        next_review: String::new(),
        care: Default::default(),
        red_flags: Vec::new(),
        sections: Vec::new(),
        sources: Vec::new(),
    }
}

struct Parts<'s> {
    front: &'s str,
    body: &'s str,
    /// The line the body starts on.
    body_line: usize,
}

/// Splits `+++\n<toml>+++\n<markdown>`.
fn split_front_matter(source: &str) -> Result<Parts<'_>, (usize, String)> {
    let mut lines = source.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "+++" {
        return Err((
            1,
            "start the file with a line of +++, then the front matter (id, lang, title…), then another +++"
                .to_owned(),
        ));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            return Ok(Parts {
                front: &source[front_start..offset],
                body: &source[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter has no closing +++ line: end it with a line of +++ before the text"
            .to_owned(),
    ))
}

/// Reads the TOML front matter into `topic`.
fn read_front_matter(
    text: &str,
    lines: &Lines,
    (file_id, file_lang): (&str, Lang),
    topic: &mut Topic,
    refs: &mut References,
    found: &mut Found<'_>,
) {
    let tree = match DeTable::parse(text) {
        Ok(tree) => tree,
        Err(error) => {
            let line = error
                .span()
                .map_or(lines.first, |span| lines.line(span.start));
            found.error(
                line,
                "",
                format!(
                    "the front matter is not valid TOML: {}",
                    error.message().trim()
                ),
            );
            return;
        }
    };
    let table = tree.get_ref();
    for (key, _) in table.iter() {
        if !KEYS.contains(&key.get_ref().as_ref()) {
            found.error(
                lines.line(key.span().start),
                key.get_ref(),
                format!("unknown key; the keys are {}", KEYS.join(", ")),
            );
        }
    }
    let mut front = Front {
        table,
        lines,
        // A missing key is reported where the front matter starts.
        missing_line: 1,
        found,
    };

    if let Some((id, line)) = front.text("id", true) {
        if let Err(message) = check_id(&id) {
            front.found.error(line, "id", message);
        } else if id != file_id {
            front.found.error(
                line,
                "id",
                format!("the id {id:?} does not match the file name, which says {file_id:?}"),
            );
        }
    }
    if let Some((lang, line)) = front.text("lang", true)
        && lang != file_lang.tag()
    {
        front.found.error(
            line,
            "lang",
            format!(
                "the language {lang:?} does not match the file name, which says {:?}",
                file_lang.tag()
            ),
        );
    }
    topic.title = front
        .text("title", true)
        .map(|(t, _)| t)
        .unwrap_or_default();
    if let Some((group, line)) = front.text("group", true) {
        if !GROUPS.contains(&group.as_str()) {
            front.found.error(
                line,
                "group",
                format!("unknown group {group:?}: use one of {}", GROUPS.join(", ")),
            );
        }
        topic.group = group;
    }
    topic.summary = front
        .text("summary", true)
        .map(|(t, _)| t)
        .unwrap_or_default();

    let synonyms = front.text_list("synonyms", true);
    match synonyms.len() {
        0 => {}
        n if n < 3 => {
            let line = front.value_line("synonyms");
            front.found.warning(
                line,
                "synonyms",
                format!(
                    "only {n} synonym{}: list at least 3 words patients use (lay names, misspellings)",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
        _ => {}
    }
    topic.synonyms = synonyms.into_iter().map(|(s, _)| s).collect();

    let related = front.text_list("related", false);
    for (i, (id, line)) in related.iter().enumerate() {
        if let Err(message) = check_id(id) {
            front.found.error(*line, &format!("related[{i}]"), message);
        }
    }
    topic.related = related.iter().map(|(id, _)| id.clone()).collect();
    refs.related = related;

    refs.community_group = front.text("community_group", false);
    topic.community_group = refs.community_group.clone().map(|(id, _)| id);
    refs.appointment_reason = front.text("appointment_reason", false);
    topic.appointment_reason = refs.appointment_reason.clone().map(|(id, _)| id);

    let reviewed_by = front.text("reviewed_by", false);
    let reviewed_on = front.date("reviewed_on", false);
    match (&reviewed_by, &reviewed_on) {
        (Some((_, line)), None) if !front.has("reviewed_on") => front.found.error(
            *line,
            "reviewed_on",
            "reviewed_by needs the date of that review: add reviewed_on = 2026-11-20 (the real date)",
        ),
        (None, Some((_, line))) if !front.has("reviewed_by") => front.found.error(
            *line,
            "reviewed_by",
            "reviewed_on needs the clinician who reviewed the text: add reviewed_by, or remove reviewed_on until the review is done",
        ),
        _ => {}
    }
    topic.reviewed_by = reviewed_by.map(|(name, _)| name);
    topic.reviewed_on = reviewed_on.map(|(date, _)| date.to_string());

    refs.next_review = front.date("next_review", true);
    topic.next_review = refs
        .next_review
        .map(|(date, _)| date.to_string())
        .unwrap_or_default();

    topic.sources = front.sources();
}

/// Typed access to the front matter, reporting every problem.
struct Front<'t, 'f, 'p> {
    table: &'t DeTable<'t>,
    lines: &'t Lines,
    missing_line: usize,
    found: &'p mut Found<'f>,
}

impl Front<'_, '_, '_> {
    fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    fn value_line(&self, key: &str) -> usize {
        self.table.get(key).map_or(self.missing_line, |value| {
            self.lines.line(value.span().start)
        })
    }

    fn missing(&mut self, key: &str, example: &str) {
        let line = self.missing_line;
        self.found
            .error(line, key, format!("missing: add {key} = {example}"));
    }

    /// A text value, whitespace collapsed; `None` when absent, empty or not text.
    fn text(&mut self, key: &str, required: bool) -> Option<(String, usize)> {
        let Some(value) = self.table.get(key) else {
            if required {
                self.missing(key, "\"…\"");
            }
            return None;
        };
        let line = self.lines.line(value.span().start);
        self.text_value(value.get_ref(), line, key)
            .map(|text| (text, line))
    }

    fn text_value(&mut self, value: &DeValue<'_>, line: usize, field: &str) -> Option<String> {
        match value {
            DeValue::String(text) => {
                let text = collapse_whitespace(text);
                if text.is_empty() {
                    self.found.error(
                        line,
                        field,
                        "is empty: write the text, or leave the key out if it is optional",
                    );
                    None
                } else {
                    Some(text)
                }
            }
            _ => {
                self.found
                    .error(line, field, "must be text in quotes, such as \"…\"");
                None
            }
        }
    }

    /// A list of texts, each with its line.
    fn text_list(&mut self, key: &str, required: bool) -> Vec<(String, usize)> {
        let Some(value) = self.table.get(key) else {
            if required {
                self.missing(key, "[\"…\", \"…\", \"…\"]");
            }
            return Vec::new();
        };
        let line = self.lines.line(value.span().start);
        let DeValue::Array(items) = value.get_ref() else {
            self.found.error(
                line,
                key,
                "must be a list in square brackets, such as [\"…\", \"…\"]",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_line = self.lines.line(item.span().start);
            if let Some(text) = self.text_value(item.get_ref(), item_line, &format!("{key}[{i}]")) {
                out.push((text, item_line));
            }
        }
        if required && items.is_empty() {
            self.found.error(
                line,
                key,
                "is empty: list at least one, better three or more",
            );
        }
        out
    }

    /// A date: a TOML date (`2027-11-01`) or the same in quotes.
    fn date(&mut self, key: &str, required: bool) -> Option<(Date, usize)> {
        let Some(value) = self.table.get(key) else {
            if required {
                self.missing(key, "2027-11-01 (a date)");
            }
            return None;
        };
        let line = self.lines.line(value.span().start);
        let date = match value.get_ref() {
            DeValue::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => Date::new(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ),
                _ => None,
            },
            DeValue::String(text) => Date::parse(text.trim()),
            _ => None,
        };
        if date.is_none() {
            self.found.error(
                line,
                key,
                "must be a real date written YYYY-MM-DD, such as 2027-11-01",
            );
        }
        date.map(|date| (date, line))
    }

    /// `[[sources]]`.
    fn sources(&mut self) -> Vec<Source> {
        let Some(value) = self.table.get("sources") else {
            self.missing(
                "sources",
                "…: add a [[sources]] table with title, publisher and url",
            );
            return Vec::new();
        };
        let line = self.lines.line(value.span().start);
        let DeValue::Array(items) = value.get_ref() else {
            self.found.error(
                line,
                "sources",
                "write each source as a [[sources]] table with title, publisher and url",
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.found
                .error(line, "sources", "list at least one source");
        }
        let mut sources = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("sources[{i}]");
            let item_line = self.lines.line(item.span().start);
            let DeValue::Table(table) = item.get_ref() else {
                self.found.error(
                    item_line,
                    &at,
                    "write each source as a [[sources]] table with title, publisher and url",
                );
                continue;
            };
            for (key, _) in table.iter() {
                if !["title", "publisher", "url"].contains(&key.get_ref().as_ref()) {
                    self.found.error(
                        self.lines.line(key.span().start),
                        &format!("{at}.{}", key.get_ref()),
                        "unknown key; a source has title, publisher and url",
                    );
                }
            }
            let field = |name: &str, this: &mut Self| -> Option<(String, usize)> {
                let path = format!("{at}.{name}");
                match table.get(name) {
                    Some(value) => {
                        let line = this.lines.line(value.span().start);
                        this.text_value(value.get_ref(), line, &path)
                            .map(|text| (text, line))
                    }
                    None => {
                        this.found
                            .error(item_line, &path, format!("missing: add {name} = \"…\""));
                        None
                    }
                }
            };
            let title = field("title", self);
            let publisher = field("publisher", self);
            let url = field("url", self);
            if let Some((url, line)) = &url
                && let Err(message) = check_url(url)
            {
                self.found.error(*line, &format!("{at}.url"), message);
            }
            sources.push(Source {
                title: title.map(|(t, _)| t).unwrap_or_default(),
                publisher: publisher.map(|(t, _)| t).unwrap_or_default(),
                url: url.map(|(t, _)| t).unwrap_or_default(),
            });
        }
        sources
    }
}

/// Where body content goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before the first `##`.
    Start,
    /// A prose section, by index in [`SECTIONS`].
    Prose(usize),
    /// "When to seek care", in one of its levels once a `###` has been seen.
    Care(Option<usize>),
    /// "Red flags".
    RedFlags,
    /// Under an unknown or repeated heading: read for problems, then dropped.
    Skip,
}

impl Place {
    fn field(self) -> &'static str {
        match self {
            Place::Start | Place::Skip => "body",
            Place::Prose(i) => HEADINGS[i].0,
            Place::Care(None) => "care",
            Place::Care(Some(level)) => CARE_LEVELS[level].0,
            Place::RedFlags => "red_flags",
        }
    }
}

/// What the body holds, with the lines of its headings.
#[derive(Default)]
struct Sections {
    /// By heading index: the line of the heading.
    seen: [Option<usize>; 7],
    prose: [Vec<Block>; 5],
    /// By level: the line of the `###`.
    care_seen: [Option<usize>; 3],
    care: [Vec<Text>; 3],
    red_flags: Vec<Text>,
    /// Whether anything was written under a level or the red flags, even in the wrong form
    /// (reported where it is), so "is empty" is not said as well.
    care_written: [bool; 3],
    red_flags_written: bool,
}

/// Reads the Markdown body into `topic`.
fn read_body(text: &str, lines: &Lines, topic: &mut Topic, found: &mut Found<'_>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_DEFINITION_LIST;
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(text, options).into_offset_iter().collect();
    let mut body = Body {
        events,
        pos: 0,
        lines,
        found,
    };
    let sections = body.read();
    let body_line = lines.first;
    assemble(sections, body_line, topic, body.found);
}

/// Puts the sections into the topic and reports missing or empty ones.
fn assemble(sections: Sections, body_line: usize, topic: &mut Topic, found: &mut Found<'_>) {
    let Sections {
        seen,
        prose,
        care_seen,
        care,
        red_flags,
        care_written,
        red_flags_written,
    } = sections;
    for (i, blocks) in prose.into_iter().enumerate() {
        match (seen[i], blocks.is_empty()) {
            (None, _) if i == 0 => found.error(
                body_line,
                "overview",
                "missing: start the text with ## Overview (or ## Tổng quan) and a few short paragraphs",
            ),
            (Some(line), true) if i == 0 => {
                found.error(line, "overview", "is empty: write a few short paragraphs")
            }
            (Some(line), true) => found.warning(
                line,
                HEADINGS[i].0,
                "the section is empty; write it or remove the heading",
            ),
            (Some(_), false) => topic.sections.push(Section {
                kind: SECTIONS[i].to_owned(),
                blocks,
            }),
            (None, _) => {}
        }
    }
    match seen[CARE] {
        None => found.error(
            body_line,
            "care",
            "missing: add ## When to seek care (or ## Khi nào cần đi khám) with its three ### parts",
        ),
        Some(section_line) => {
            for (level, items) in care.iter().enumerate() {
                let (field, english, vietnamese) = CARE_LEVELS[level];
                match care_seen[level] {
                    None => found.error(
                        section_line,
                        field,
                        format!(
                            "missing: add ### {english} (or ### {vietnamese}) with at least one bullet"
                        ),
                    ),
                    Some(line) if items.is_empty() && !care_written[level] => found.error(
                        line,
                        field,
                        "is empty: list at least one sign as a bullet (- …)",
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    topic.care = care;
    match seen[RED_FLAGS] {
        None => found.error(
            body_line,
            "red_flags",
            "missing: add ## Red flags (or ## Dấu hiệu nguy hiểm) with a bullet list",
        ),
        Some(line) if red_flags.is_empty() && !red_flags_written => found.error(
            line,
            "red_flags",
            "is empty: list the signs that mean calling the emergency number now, as bullets",
        ),
        Some(_) => {}
    }
    topic.red_flags = red_flags;
}

/// The Markdown event stream of a body, read once from start to end.
struct Body<'e, 'f, 'p> {
    events: Vec<(Event<'e>, Range<usize>)>,
    pos: usize,
    lines: &'e Lines,
    found: &'p mut Found<'f>,
}

impl<'e> Body<'e, '_, '_> {
    fn peek(&self) -> Option<&(Event<'e>, Range<usize>)> {
        self.events.get(self.pos)
    }

    fn next(&mut self) -> Option<(Event<'e>, Range<usize>)> {
        let event = self.events.get(self.pos).cloned();
        self.pos += 1;
        event
    }

    fn line(&self, range: &Range<usize>) -> usize {
        self.lines.line(range.start)
    }

    fn read(&mut self) -> Sections {
        let mut sections = Sections::default();
        let mut place = Place::Start;
        while let Some((event, range)) = self.next() {
            let line = self.line(&range);
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let heading = plain_text(&self.inline(place.field()));
                    self.expect_end();
                    place = self.heading(level, &heading, line, place, &mut sections);
                }
                Event::Start(Tag::Paragraph) => {
                    let text = self.inline(place.field());
                    self.expect_end();
                    self.check_text(&text, line, place.field());
                    if text.is_empty() {
                        continue;
                    }
                    self.add_paragraph(place, text, line, &mut sections);
                }
                Event::Start(Tag::List(start)) => {
                    let items = self.list(place.field());
                    self.add_list(place, start.is_some(), items, line, &mut sections);
                }
                Event::Start(tag) => {
                    self.found
                        .error(line, place.field(), unsupported_block(&tag));
                    self.skip_block();
                }
                // The end of a block whose content stopped early; its problem is reported.
                Event::End(_) => {}
                Event::Rule => self.found.error(
                    line,
                    place.field(),
                    "horizontal rules (---, ***) are not supported; start a new section instead",
                ),
                other => self.found.error(
                    line,
                    place.field(),
                    unsupported_inline(&other).unwrap_or("this is not supported here"),
                ),
            }
        }
        sections
    }

    /// The position of `heading` in `table` (matched in English or Vietnamese, ignoring
    /// case and accents), or `None` after reporting the names that are allowed.
    fn find_heading(
        &mut self,
        table: &[(&str, &str, &str)],
        heading: &str,
        line: usize,
        field: &str,
        what: &str,
    ) -> Option<usize> {
        let key = fold(&collapse_whitespace(heading));
        let found = table
            .iter()
            .position(|(_, english, vietnamese)| key == fold(english) || key == fold(vietnamese));
        if found.is_none() {
            let names: Vec<String> = table
                .iter()
                .map(|(_, english, vietnamese)| format!("{english} ({vietnamese})"))
                .collect();
            self.found.error(
                line,
                field,
                format!(
                    "unknown {what} \"{heading}\": the {what}s are {}",
                    names.join(", ")
                ),
            );
        }
        found
    }

    /// Handles a heading; returns where the content under it goes.
    fn heading(
        &mut self,
        level: HeadingLevel,
        heading: &str,
        line: usize,
        place: Place,
        sections: &mut Sections,
    ) -> Place {
        match level {
            HeadingLevel::H1 => {
                self.found.error(
                    line,
                    "body",
                    "use ## for section headings; the topic's title is the title in the front matter",
                );
                Place::Skip
            }
            HeadingLevel::H2 => {
                let Some(index) = self.find_heading(&HEADINGS, heading, line, "body", "section")
                else {
                    return Place::Skip;
                };
                let field = HEADINGS[index].0;
                if let Some(first) = sections.seen[index] {
                    self.found.error(
                        line,
                        field,
                        format!("the section appears twice (first on line {first}); merge them"),
                    );
                    return Place::Skip;
                }
                if let Some(later) =
                    (index + 1..HEADINGS.len()).find(|&i| sections.seen[i].is_some())
                {
                    self.found.warning(
                        line,
                        field,
                        format!(
                            "this section should come before \"{}\"; the widget shows sections in the usual order",
                            HEADINGS[later].1
                        ),
                    );
                }
                sections.seen[index] = Some(line);
                match index {
                    CARE => Place::Care(None),
                    RED_FLAGS => Place::RedFlags,
                    prose => Place::Prose(prose),
                }
            }
            HeadingLevel::H3 => {
                let Place::Care(_) = place else {
                    self.found.error(
                        line,
                        place.field(),
                        "### headings are only for the three parts of \"When to seek care\"; write a paragraph or a list instead",
                    );
                    return place;
                };
                let Some(level) = self.find_heading(&CARE_LEVELS, heading, line, "care", "part")
                else {
                    return Place::Care(None);
                };
                let field = CARE_LEVELS[level].0;
                if let Some(first) = sections.care_seen[level] {
                    self.found.error(
                        line,
                        field,
                        format!("this part appears twice (first on line {first}); merge them"),
                    );
                    return Place::Care(None);
                }
                if sections.care_seen[level + 1..].iter().any(Option::is_some) {
                    self.found.warning(
                        line,
                        field,
                        "the parts go from most to least urgent: emergency, today, routine",
                    );
                }
                sections.care_seen[level] = Some(line);
                Place::Care(Some(level))
            }
            _ => {
                self.found.error(
                    line,
                    place.field(),
                    "only ## section headings (and ### inside \"When to seek care\") are allowed",
                );
                place
            }
        }
    }

    fn add_paragraph(&mut self, place: Place, text: Text, line: usize, sections: &mut Sections) {
        match place {
            Place::Care(Some(level)) => sections.care_written[level] = true,
            Place::RedFlags => sections.red_flags_written = true,
            _ => {}
        }
        match place {
            Place::Start => self.found.error(
                line,
                "body",
                "text before the first section: start the text with ## Overview",
            ),
            Place::Prose(i) => sections.prose[i].push(Block {
                list: Block::PARAGRAPH,
                items: vec![text],
            }),
            Place::Care(None) => self.found.error(
                line,
                "care",
                "start with one of the three parts, such as ### Call the emergency number now",
            ),
            Place::Care(Some(_)) | Place::RedFlags => self.found.error(
                line,
                place.field(),
                "write each sign as a bullet (- …), not as a paragraph",
            ),
            Place::Skip => {}
        }
    }

    fn add_list(
        &mut self,
        place: Place,
        numbered: bool,
        items: Vec<Text>,
        line: usize,
        sections: &mut Sections,
    ) {
        if items.is_empty() {
            return;
        }
        match place {
            Place::Start => self.found.error(
                line,
                "body",
                "text before the first section: start the text with ## Overview",
            ),
            Place::Prose(i) => sections.prose[i].push(Block {
                list: if numbered {
                    Block::NUMBERED
                } else {
                    Block::BULLETS
                },
                items,
            }),
            Place::Care(None) => self.found.error(
                line,
                "care",
                "start with one of the three parts, such as ### Call the emergency number now",
            ),
            Place::Care(Some(level)) => sections.care[level].extend(items),
            Place::RedFlags => sections.red_flags.extend(items),
            Place::Skip => {}
        }
    }

    /// After `Start(List)`: the items, until `End(List)`.
    fn list(&mut self, field: &str) -> Vec<Text> {
        let mut items = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(TagEnd::List(_)) => break,
                Event::Start(Tag::Item) => {
                    let line = self.line(&range);
                    let item = self.item(field);
                    self.check_text(&item, line, field);
                    if item.is_empty() {
                        self.found.error(line, field, "an empty list item");
                    } else {
                        items.push(item);
                    }
                }
                _ => {}
            }
        }
        items
    }

    /// After `Start(Item)`: its text, until `End(Item)`. Paragraphs of a loose item are
    /// joined with a space.
    fn item(&mut self, field: &str) -> Text {
        let mut text = Text::new();
        let mut append = |more: Text| {
            if !more.is_empty() {
                if !text.is_empty() {
                    text.push(plain(" "));
                }
                text.extend(more);
            }
        };
        while let Some((event, range)) = self.peek().cloned() {
            match event {
                Event::End(TagEnd::Item) => {
                    self.pos += 1;
                    break;
                }
                Event::Start(Tag::Paragraph) => {
                    self.pos += 1;
                    append(self.inline(field));
                    self.expect_end();
                }
                Event::Start(Tag::List(_)) => {
                    self.found.error(
                        self.line(&range),
                        field,
                        "lists inside lists are not supported; use one flat list",
                    );
                    self.pos += 1;
                    self.skip_block();
                }
                Event::Start(tag) if !is_inline_tag(&tag) => {
                    self.found
                        .error(self.line(&range), field, unsupported_block(&tag));
                    self.pos += 1;
                    self.skip_block();
                }
                _ => {
                    let before = self.pos;
                    let more = self.inline(field);
                    if self.pos == before {
                        let message = unsupported_inline(&event)
                            .unwrap_or("only paragraphs and plain list items are allowed here");
                        self.found.error(self.line(&range), field, message);
                        self.pos += 1;
                    }
                    append(more);
                }
            }
        }
        normalize_text(text)
    }

    /// Reads inline events (text, emphasis, links…) up to the next block boundary, which it
    /// leaves unread.
    fn inline(&mut self, field: &str) -> Text {
        let mut spans = Text::new();
        let (mut strong, mut emphasis) = (0u32, 0u32);
        let mut link: Option<String> = None;
        while let Some((event, range)) = self.peek().cloned() {
            let line = self.line(&range);
            let style =
                (u8::from(strong > 0) * Span::STRONG) | (u8::from(emphasis > 0) * Span::EMPHASIS);
            let mut push = |text: &str| {
                spans.push(Span {
                    text: text.to_owned(),
                    style,
                    href: link.clone(),
                })
            };
            match event {
                Event::Text(text) => push(&text),
                Event::SoftBreak | Event::HardBreak => push(" "),
                Event::Start(Tag::Strong) => strong += 1,
                Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
                Event::Start(Tag::Emphasis) => emphasis += 1,
                Event::End(TagEnd::Emphasis) => emphasis = emphasis.saturating_sub(1),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    let result = match link_type {
                        LinkType::Email => Err(format!(
                            "{dest_url:?} is an email address; links must be https:// addresses"
                        )),
                        _ => check_url(&dest_url),
                    };
                    match result {
                        Ok(()) => link = Some(dest_url.to_string()),
                        Err(message) => self.found.error(line, field, message),
                    }
                }
                Event::End(TagEnd::Link) => link = None,
                Event::Start(Tag::Image { .. }) => {
                    self.found.error(
                        line,
                        field,
                        "images are not allowed; describe the point in words",
                    );
                    self.pos += 1;
                    self.skip_block();
                    continue;
                }
                Event::Code(text) => {
                    self.found.error(
                        line,
                        field,
                        "code (`…`) is not allowed; write plain text without backticks",
                    );
                    push(&text);
                }
                Event::Start(tag) if is_inline_tag(&tag) => self.found.error(
                    line,
                    field,
                    "only **bold**, *emphasis* and [links](https://…) are allowed",
                ),
                Event::End(end) if is_inline_end(end) => {}
                ref other @ (Event::InlineHtml(_)
                | Event::FootnoteReference(_)
                | Event::TaskListMarker(_)
                | Event::InlineMath(_)) => {
                    let message = unsupported_inline(other).unwrap_or("this is not allowed here");
                    self.found.error(line, field, message);
                }
                _ => break,
            }
            self.pos += 1;
        }
        normalize_text(spans)
    }

    /// Consumes the `End` that closes the block whose inline content was just read.
    fn expect_end(&mut self) {
        if matches!(self.peek(), Some((Event::End(_), _))) {
            self.pos += 1;
        }
    }

    /// After a `Start`: skips to its matching `End`.
    fn skip_block(&mut self) {
        let mut depth = 1usize;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Problems with the words themselves: phone numbers, links that did not become links.
    fn check_text(&mut self, text: &Text, line: usize, field: &str) {
        let plain = plain_text(text);
        if let Some(number) = phone_like(&plain) {
            self.found.warning(
                line,
                field,
                format!(
                    "{number:?} looks like a phone number; do not write numbers: the widget shows the clinic's emergency number and crisis lines"
                ),
            );
        }
        let unlinked = text
            .iter()
            .filter(|span| span.href.is_none())
            .any(|span| span.text.contains("](") || span.text.contains("] ("));
        if unlinked {
            self.found.error(
                line,
                field,
                "a link is malformed: write [text](https://…) with no space between ] and ( and none in the address",
            );
        }
    }
}

fn is_inline_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn unsupported_block(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::HtmlBlock => "HTML is not allowed; write plain Markdown",
        Tag::CodeBlock(_) => {
            "code blocks (indented text or ``` fences) are not allowed; write plain paragraphs without indenting them"
        }
        Tag::BlockQuote(_) => "quotes (> …) are not allowed; write a plain paragraph",
        Tag::Table(_) => "tables are not allowed; use a list instead",
        Tag::FootnoteDefinition(_) => "footnotes are not allowed; list sources in [[sources]]",
        Tag::DefinitionList => "definition lists are not allowed; use a bullet list",
        _ => "only paragraphs, lists and ## headings are allowed here",
    }
}

fn unsupported_inline(event: &Event<'_>) -> Option<&'static str> {
    Some(match event {
        Event::Html(_) | Event::InlineHtml(_) => "HTML is not allowed; write plain Markdown",
        Event::FootnoteReference(_) => "footnotes are not allowed; list sources in [[sources]]",
        Event::TaskListMarker(_) => "checkboxes ([ ] / [x]) are not allowed; use a plain list",
        Event::InlineMath(_) | Event::DisplayMath(_) => "math is not allowed",
        _ => return None,
    })
}

fn plain(text: &str) -> Span {
    Span {
        text: text.to_owned(),
        style: 0,
        href: None,
    }
}

/// The characters of a text.
pub fn plain_text(text: &Text) -> String {
    text.iter().map(|span| span.text.as_str()).collect()
}

/// Collapses whitespace across spans, trims the ends and merges neighbours with the same style
/// and link.
pub fn normalize_text(spans: Text) -> Text {
    let mut out: Text = Vec::new();
    // Whether the text so far ends with a space (or is empty, so leading space is dropped).
    let mut at_space = true;
    for span in spans {
        let mut text = String::with_capacity(span.text.len());
        for c in span.text.chars() {
            if c.is_whitespace() {
                if !at_space {
                    text.push(' ');
                    at_space = true;
                }
            } else {
                text.push(c);
                at_space = false;
            }
        }
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.style == span.style && last.href == span.href => {
                last.text.push_str(&text)
            }
            _ => out.push(Span { text, ..span }),
        }
    }
    // Trim the trailing space, dropping a span left empty.
    if let Some(last) = out.last_mut() {
        if last.text.ends_with(' ') {
            last.text.pop();
        }
        if last.text.is_empty() {
            out.pop();
        }
    }
    out
}

/// The first run of at least [`PHONE_DIGITS`] digits, allowing spaces, dashes and brackets
/// between them as phone numbers are written.
fn phone_like(text: &str) -> Option<String> {
    let mut run = String::new();
    let mut digits = 0;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let separator = matches!(c, ' ' | '-' | '(' | ')' | '+')
            && digits > 0
            && chars
                .get(i + 1)
                .is_some_and(|next| next.is_ascii_digit() || matches!(next, '(' | ' ' | '-'));
        if c.is_ascii_digit() {
            digits += 1;
            run.push(c);
        } else if separator || (c == '+' || c == '(') && digits == 0 {
            run.push(c);
        } else {
            if digits >= PHONE_DIGITS {
                return Some(run.trim().to_owned());
            }
            run.clear();
            digits = 0;
        }
    }
    (digits >= PHONE_DIGITS).then(|| run.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"+++
id = "flu"
lang = "en"
title = "Flu"
group = "infections-breathing"
summary = "Flu is a  common  infection."
synonyms = ["influenza", "the flu", "grippe"]
related = ["cold"]
community_group = "caregivers"
appointment_reason = "checkup"
reviewed_by = "Dr An"
reviewed_on = 2026-01-05
next_review = "2099-01-01"

[[sources]]
title = "Flu"
publisher = "NHS"
url = "https://www.nhs.uk/conditions/flu/"
+++

## Overview

Flu is **very** common.
It *spreads* fast: see [the NHS page](https://www.nhs.uk/conditions/flu/).

## Symptoms

- A sudden fever
- Aches

## Treatment

1. Rest
2. Drink water

## When to seek care

### Call the emergency number now

- You cannot breathe

### See a doctor today

- You feel worse after a week

### Self-care and a routine visit

- Rest at home

## Red flags

- Blue lips
- Chest pain
"#;

    fn parse(source: &str) -> ParsedFile {
        parse_file("topics/flu.en.md", "flu", Lang::En, source)
    }

    fn span(text: &str, style: u8, href: Option<&str>) -> Span {
        Span {
            text: text.to_owned(),
            style,
            href: href.map(str::to_owned),
        }
    }

    /// (line, field, severity) of every problem, and its message for failures.
    fn found(parsed: &ParsedFile) -> Vec<(Option<usize>, String, Severity)> {
        parsed
            .problems
            .iter()
            .map(|p| (p.line, p.field.clone(), p.severity))
            .collect()
    }

    fn line_of(source: &str, find: &str) -> usize {
        source[..source.find(find).expect("in the source")]
            .matches('\n')
            .count()
            + 1
    }

    fn with(find: &str, replace: &str) -> String {
        assert!(GOOD.contains(find), "{find}");
        GOOD.replacen(find, replace, 1)
    }

    fn only_problem(source: &str) -> Problem {
        let parsed = parse(source);
        assert_eq!(parsed.problems.len(), 1, "{:#?}", parsed.problems);
        parsed.problems[0].clone()
    }

    #[test]
    fn a_complete_topic_reads_into_every_field() {
        let parsed = parse(GOOD);
        assert_eq!(parsed.problems, [], "{:#?}", parsed.problems);
        let topic = parsed.topic;
        assert_eq!(topic.title, "Flu");
        assert_eq!(topic.summary, "Flu is a common infection.");
        assert_eq!(topic.synonyms, ["influenza", "the flu", "grippe"]);
        assert_eq!(topic.related, ["cold"]);
        assert_eq!(topic.community_group.as_deref(), Some("caregivers"));
        assert_eq!(topic.appointment_reason.as_deref(), Some("checkup"));
        assert_eq!(topic.reviewed_by.as_deref(), Some("Dr An"));
        assert_eq!(topic.reviewed_on.as_deref(), Some("2026-01-05"));
        assert_eq!(topic.next_review, "2099-01-01");
        assert_eq!(topic.sources[0].publisher, "NHS");
        let kinds: Vec<&str> = topic.sections.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds, ["overview", "symptoms", "treatment"]);
        assert_eq!(
            topic.sections[0].blocks,
            [Block {
                list: Block::PARAGRAPH,
                items: vec![vec![
                    span("Flu is ", 0, None),
                    span("very", Span::STRONG, None),
                    span(" common. It ", 0, None),
                    span("spreads", Span::EMPHASIS, None),
                    span(" fast: see ", 0, None),
                    span(
                        "the NHS page",
                        0,
                        Some("https://www.nhs.uk/conditions/flu/")
                    ),
                    span(".", 0, None),
                ]],
            }]
        );
        assert_eq!(topic.sections[1].blocks[0].list, Block::BULLETS);
        assert_eq!(topic.sections[2].blocks[0].list, Block::NUMBERED);
        assert_eq!(
            topic.sections[2].blocks[0].items,
            [
                vec![span("Rest", 0, None)],
                vec![span("Drink water", 0, None)]
            ]
        );
        assert_eq!(topic.care[0], [vec![span("You cannot breathe", 0, None)]]);
        assert_eq!(topic.care[1].len(), 1);
        assert_eq!(topic.care[2], [vec![span("Rest at home", 0, None)]]);
        assert_eq!(topic.red_flags.len(), 2);
        assert_eq!(parsed.refs.related, [("cold".to_owned(), 8)]);
        assert_eq!(parsed.refs.next_review.unwrap().1, 13);
    }

    #[test]
    fn vietnamese_headings_and_crlf_line_ends_read_the_same() {
        let vietnamese = GOOD
            .replace("## Overview", "## Tổng quan")
            .replace("## Symptoms", "## Triệu chứng")
            .replace("## Treatment", "## Điều trị")
            .replace("## When to seek care", "## Khi nào cần đi khám")
            .replace("### Call the emergency number now", "### Gọi cấp cứu ngay")
            .replace("### See a doctor today", "### Đi khám ngay trong ngày")
            .replace(
                "### Self-care and a routine visit",
                "### Tự chăm sóc và hẹn khám định kỳ",
            )
            .replace("## Red flags", "## Dấu hiệu nguy hiểm")
            .replace('\n', "\r\n");
        let parsed = parse(&vietnamese);
        assert_eq!(parsed.problems, []);
        assert_eq!(parsed.topic, parse(GOOD).topic);
    }

    #[test]
    fn decomposed_vietnamese_is_stored_composed() {
        let decomposed = "Ti\u{065}\u{302}\u{309}u \u{111}u\u{31B}o\u{31B}\u{300}ng";
        let source = with("title = \"Flu\"", &format!("title = \"{decomposed}\""))
            .replace("## Overview", "## To\u{302}\u{309}ng quan");
        let parsed = parse(&source);
        assert_eq!(parsed.problems, []);
        assert_eq!(parsed.topic.title, "Tiểu đường");
    }

    #[test]
    fn a_loose_list_and_hard_breaks_become_plain_items() {
        let source = with(
            "- A sudden fever\n- Aches\n",
            "- A sudden\\\n  fever\n\n- Aches\n\n  and pains\n",
        );
        let parsed = parse(&source);
        assert_eq!(parsed.problems, []);
        assert_eq!(
            parsed.topic.sections[1].blocks[0].items,
            [
                vec![span("A sudden fever", 0, None)],
                vec![span("Aches and pains", 0, None)]
            ]
        );
    }

    #[test]
    fn nested_styles_combine() {
        let source = with("Flu is **very** common.", "***Both*** and **bold *both***");
        let parsed = parse(&source);
        assert_eq!(parsed.problems, []);
        assert_eq!(
            parsed.topic.sections[0].blocks[0].items[0][..3],
            [
                span("Both", Span::STRONG | Span::EMPHASIS, None),
                span(" and ", 0, None),
                span("bold ", Span::STRONG, None),
            ]
        );
    }

    #[test]
    fn everything_outside_the_subset_is_reported_on_its_line() {
        let cases = [
            ("<b>HTML</b> here", "HTML is not allowed"),
            ("<div>\nblock\n</div>", "HTML is not allowed"),
            (
                "![a chart](https://x.example/a.png)",
                "images are not allowed",
            ),
            ("| a | b |\n| - | - |\n| 1 | 2 |", "tables are not allowed"),
            ("```\ncode\n```", "code blocks"),
            ("Use `code` here", "code (`…`) is not allowed"),
            ("> quoted", "quotes (> …) are not allowed"),
            ("~~struck~~ text", "only **bold**"),
            ("#### Deep heading", "only ## section headings"),
            ("### A sub-heading", "### headings are only for"),
            ("---", "horizontal rules"),
            ("- [ ] a task", "checkboxes"),
            ("- outer\n\n  - inner", "lists inside lists"),
            (
                "Read [this](http://example.com/page).",
                "must be a full https:// address",
            ),
            ("Read [this](<https://example.com/a page>).", "has a space"),
            (
                "Read [this] (https://example.com/page).",
                "a link is malformed",
            ),
            ("Mail [us](mailto:a@b.example).", "must be a full https://"),
        ];
        for (markdown, message) in cases {
            let source = with(
                "Flu is **very** common.",
                &format!("Flu is **very** common.\n\n{markdown}"),
            );
            // Where the unsupported part starts: the last line of a nested list.
            let extra = usize::from(markdown.contains("  - "));
            let line = line_of(&source, "Flu is **very** common.") + 2 + extra * 2;
            let problem = only_problem(&source);
            assert_eq!(
                (problem.line, problem.field.as_str(), problem.severity),
                (Some(line), "overview", Severity::Error),
                "{markdown}: {problem:?}"
            );
            assert!(problem.message.contains(message), "{markdown}: {problem:?}");
        }
    }

    #[test]
    fn a_phone_number_in_the_text_is_a_warning() {
        let source = with("- Blue lips", "- Blue lips: call 0283 855 4269 now");
        let problem = only_problem(&source);
        assert_eq!(problem.severity, Severity::Warning);
        assert_eq!(problem.field, "red_flags");
        assert_eq!(problem.line, Some(line_of(&source, "- Blue lips")));
        assert!(problem.message.contains("\"0283 855 4269\""), "{problem:?}");
        assert_eq!(phone_like("in 2024, 1 in 10 people"), None);
        assert_eq!(phone_like("1.000.000 đồng"), None);
        assert_eq!(
            phone_like("call +84 (28) 3855-4269"),
            Some("+84 (28) 3855-4269".into())
        );
        assert_eq!(phone_like("1900 1267"), Some("1900 1267".into()));
    }

    #[test]
    fn unknown_sections_and_levels_are_errors_naming_the_choices() {
        let source = with("## Symptoms", "## Signs");
        let problem = only_problem(&source);
        assert_eq!(problem.line, Some(line_of(&source, "## Signs")));
        assert!(problem.message.contains("unknown section \"Signs\""));
        assert!(problem.message.contains("Symptoms (Triệu chứng)"));

        let source = with("### See a doctor today", "### See a doctor soon");
        let found = found(&parse(&source));
        let line = line_of(&source, "### See a doctor soon");
        let section = line_of(&source, "## When to seek care");
        assert_eq!(
            found,
            [
                (Some(section), "care.urgent".to_owned(), Severity::Error),
                (Some(line), "care".to_owned(), Severity::Error),
                (Some(line + 2), "care".to_owned(), Severity::Error),
            ]
        );
    }

    #[test]
    fn missing_and_empty_required_sections_are_errors() {
        let source = with("### Self-care and a routine visit\n\n- Rest at home\n", "");
        let problem = only_problem(&source);
        assert_eq!(problem.field, "care.routine");
        assert_eq!(problem.line, Some(line_of(&source, "## When to seek care")));

        let source = with(
            "### See a doctor today\n\n- You feel worse after a week\n",
            "### See a doctor today\n",
        );
        let problem = only_problem(&source);
        assert_eq!(problem.field, "care.urgent");
        assert_eq!(
            problem.line,
            Some(line_of(&source, "### See a doctor today"))
        );
        assert!(problem.message.contains("is empty"));

        let source = with("- Blue lips\n- Chest pain\n", "");
        let problem = only_problem(&source);
        assert_eq!(
            (problem.field.as_str(), problem.line),
            ("red_flags", Some(line_of(&source, "## Red flags")))
        );

        let source = with("## Red flags\n\n- Blue lips\n- Chest pain\n", "");
        let problem = only_problem(&source);
        assert_eq!(
            (problem.field.as_str(), problem.line),
            ("red_flags", Some(20))
        );

        let source = GOOD.replace(
            "## Overview\n\nFlu is **very** common.\nIt *spreads* fast: see [the NHS page](https://www.nhs.uk/conditions/flu/).\n\n",
            "",
        );
        let problem = only_problem(&source);
        assert_eq!(
            (problem.field.as_str(), problem.line),
            ("overview", Some(20))
        );
    }

    #[test]
    fn paragraphs_in_the_care_card_and_text_before_a_section_are_errors() {
        let source = with("- You cannot breathe", "You cannot breathe.");
        let problem = only_problem(&source);
        assert_eq!(problem.field, "care.emergency");
        assert!(problem.message.contains("as a bullet"));

        let source = with("## Overview\n", "Intro text.\n\n## Overview\n");
        let problem = only_problem(&source);
        assert_eq!((problem.field.as_str(), problem.line), ("body", Some(21)));
    }

    #[test]
    fn repeated_sections_are_errors_and_out_of_order_ones_warnings() {
        let source = format!("{GOOD}\n## Symptoms\n\n- More\n");
        let problem = only_problem(&source);
        assert_eq!(problem.field, "symptoms");
        assert!(
            problem.message.contains("appears twice (first on line 26)"),
            "{problem:?}"
        );

        let source = GOOD.replace("## Symptoms\n\n- A sudden fever\n- Aches\n\n", "")
            + "\n## Symptoms\n\n- A sudden fever\n";
        let problem = only_problem(&source);
        assert_eq!(problem.severity, Severity::Warning);
        let parsed = parse(&source);
        let kinds: Vec<&str> = parsed
            .topic
            .sections
            .iter()
            .map(|s| s.kind.as_str())
            .collect();
        assert_eq!(kinds, ["overview", "symptoms", "treatment"]);
    }

    #[test]
    fn front_matter_problems_name_their_key_and_line() {
        let cases: [(&str, &str, &str, &str); 12] = [
            (
                "id = \"flu\"",
                "id = \"influenza\"",
                "id",
                "does not match the file name",
            ),
            ("id = \"flu\"", "id = \"Flu Bug\"", "id", "is not an id"),
            (
                "lang = \"en\"",
                "lang = \"vi\"",
                "lang",
                "does not match the file name",
            ),
            ("title = \"Flu\"", "title = \" \"", "title", "is empty"),
            (
                "title = \"Flu\"",
                "title = 3",
                "title",
                "must be text in quotes",
            ),
            (
                "group = \"infections-breathing\"",
                "group = \"lungs\"",
                "group",
                "unknown group \"lungs\"",
            ),
            (
                "next_review = \"2099-01-01\"",
                "next_review = \"2099-02-30\"",
                "next_review",
                "must be a real date",
            ),
            (
                "next_review = \"2099-01-01\"",
                "next_review = 2099-01-01T10:00:00",
                "next_review",
                "must be a real date",
            ),
            (
                "reviewed_on = 2026-01-05",
                "reviewed_on = \"5 Jan 2026\"",
                "reviewed_on",
                "must be a real date",
            ),
            (
                "related = [\"cold\"]",
                "related = [\"Cold\"]",
                "related[0]",
                "is not an id",
            ),
            (
                "url = \"https://www.nhs.uk/conditions/flu/\"",
                "url = \"www.nhs.uk/flu\"",
                "sources[0].url",
                "https://",
            ),
            (
                "publisher = \"NHS\"",
                "publisher = \"NHS\"\nauthor = \"x\"",
                "sources[0].author",
                "unknown key",
            ),
        ];
        for (find, replace, field, message) in cases {
            let source = with(find, replace);
            let problem = only_problem(&source);
            let line = line_of(&source, replace.lines().last().unwrap());
            assert_eq!(
                (problem.line, problem.field.as_str(), problem.severity),
                (Some(line), field, Severity::Error),
                "{replace}: {problem:?}"
            );
            assert!(problem.message.contains(message), "{replace}: {problem:?}");
        }
    }

    #[test]
    fn missing_required_keys_are_reported_at_the_start() {
        for (line, key) in [
            ("title = \"Flu\"\n", "title"),
            ("summary = \"Flu is a  common  infection.\"\n", "summary"),
            ("next_review = \"2099-01-01\"\n", "next_review"),
            (
                "synonyms = [\"influenza\", \"the flu\", \"grippe\"]\n",
                "synonyms",
            ),
        ] {
            let problem = only_problem(&with(line, ""));
            assert_eq!((problem.line, problem.field.as_str()), (Some(1), key));
            assert!(problem.message.starts_with("missing: add"), "{problem:?}");
        }
        let source = GOOD.replace(
            "\n[[sources]]\ntitle = \"Flu\"\npublisher = \"NHS\"\nurl = \"https://www.nhs.uk/conditions/flu/\"\n",
            "",
        );
        assert_eq!(only_problem(&source).field, "sources");
        let problem = only_problem(&with("publisher = \"NHS\"\n", ""));
        assert_eq!(problem.field, "sources[0].publisher");
        assert_eq!(problem.line, Some(line_of(GOOD, "[[sources]]")));
    }

    #[test]
    fn synonyms_need_one_and_should_have_three() {
        let problem = only_problem(&with(
            "synonyms = [\"influenza\", \"the flu\", \"grippe\"]",
            "synonyms = [\"influenza\"]",
        ));
        assert_eq!(
            (problem.field.as_str(), problem.severity),
            ("synonyms", Severity::Warning)
        );
        let problem = only_problem(&with(
            "synonyms = [\"influenza\", \"the flu\", \"grippe\"]",
            "synonyms = []",
        ));
        assert_eq!(
            (problem.field.as_str(), problem.severity),
            ("synonyms", Severity::Error)
        );
    }

    #[test]
    fn a_review_needs_both_who_and_when() {
        let problem = only_problem(&with("reviewed_on = 2026-01-05\n", ""));
        assert_eq!(problem.field, "reviewed_on");
        assert_eq!(problem.line, Some(line_of(GOOD, "reviewed_by")));
        let source = with("reviewed_by = \"Dr An\"\n", "");
        let problem = only_problem(&source);
        assert_eq!(problem.field, "reviewed_by");
        assert_eq!(problem.line, Some(line_of(&source, "reviewed_on")));
    }

    #[test]
    fn unknown_keys_and_bad_toml_are_errors_with_lines() {
        let problem = only_problem(&with(
            "title = \"Flu\"",
            "title = \"Flu\"\ncolour = \"red\"",
        ));
        assert_eq!((problem.line, problem.field.as_str()), (Some(5), "colour"));
        let problem = only_problem(&with("title = \"Flu\"", "title = \"Flu"));
        assert_eq!((problem.line, problem.field.as_str()), (Some(4), ""));
        assert!(
            problem
                .message
                .starts_with("the front matter is not valid TOML")
        );
    }

    #[test]
    fn a_file_without_front_matter_is_one_error() {
        let problem = only_problem("## Overview\n\nText.\n");
        assert_eq!((problem.line, problem.field.as_str()), (Some(1), ""));
        let problem = only_problem("+++\nid = \"flu\"\n## Overview\n");
        assert!(problem.message.contains("no closing +++"));
    }

    #[test]
    fn file_names_give_the_id_and_language() {
        assert_eq!(
            file_key("diabetes-type-2.vi.md"),
            Ok(("diabetes-type-2".into(), Lang::Vi))
        );
        for bad in [
            "flu.md",
            "flu.fr.md",
            "Flu.en.md",
            "flu.en.txt",
            "flu--a.en.md",
            ".en.md",
        ] {
            assert!(file_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn whitespace_is_collapsed_across_spans() {
        let text = normalize_text(vec![
            span("  a  \n b ", 0, None),
            span(" c", Span::STRONG, None),
            span("   ", 0, None),
            span("d  ", 0, None),
        ]);
        assert_eq!(
            text,
            [
                span("a b ", 0, None),
                span("c", Span::STRONG, None),
                span(" d", 0, None)
            ]
        );
    }
}
