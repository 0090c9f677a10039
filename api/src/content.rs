//! The compiled education pack: what `haven-server content build` produces from the Markdown
//! topics and what the widget downloads from `GET /api/content/{lang}`.
//!
//! Text arrives as structured blocks (paragraphs and lists of styled spans), so the widget
//! renders it as elements: there is no Markdown parser in the patient bundle and no HTML to
//! inject.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Every topic in one language, with a version that changes whenever any text changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pack {
    /// The pack format; the widget ignores packs of a format it does not know.
    pub format: u32,
    /// A hash of the pack's contents (also its `ETag`).
    pub version: String,
    /// The language asked for. A topic not yet translated appears in another language and
    /// says so in its own `lang`.
    pub lang: Lang,
    /// The topics, ordered by group, then title.
    pub topics: Vec<Topic>,
}

/// The pack format this crate reads and writes.
pub const FORMAT: u32 = 1;

/// The condition groups topics are browsed by, in display order.
pub const GROUPS: [&str; 6] = [
    "mental-health",
    "diabetes-heart",
    "cancer",
    "infections-breathing",
    "dental",
    "everyday",
];

/// One education topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    /// Stable identifier, shared by a topic's translations.
    pub id: String,
    /// The language the text is written in.
    pub lang: Lang,
    /// The name patients know.
    pub title: String,
    /// One of [`GROUPS`].
    pub group: String,
    /// One or two sentences for lists and search results.
    pub summary: String,
    /// Lay names, other names and misspellings patients type.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Ids of related topics.
    #[serde(default)]
    pub related: Vec<String>,
    /// The matching community group, by configuration id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_group: Option<String>,
    /// The matching appointment reason, by configuration id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_reason: Option<String>,
    /// The clinician who reviewed the text; `None` while it awaits clinical review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
    /// The date of that review (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<String>,
    /// When the text is due to be checked again (`YYYY-MM-DD`).
    pub next_review: String,
    /// When to seek care, from most to least urgent: emergency, today, routine.
    pub care: [Vec<Text>; 3],
    /// Signs that mean "call the emergency number now", shown as a checklist.
    pub red_flags: Vec<Text>,
    /// The prose sections in reading order.
    pub sections: Vec<Section>,
    /// Where the information comes from.
    pub sources: Vec<Source>,
}

/// A prose section of a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// One of [`SECTIONS`].
    pub kind: String,
    /// Its paragraphs and lists.
    pub blocks: Vec<Block>,
}

/// The prose section kinds, in reading order.
pub const SECTIONS: [&str; 5] = ["overview", "symptoms", "causes", "self-care", "treatment"];

/// A paragraph (one item) or a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// 0: a paragraph, 1: a bulleted list, 2: a numbered list.
    #[serde(default)]
    pub list: u8,
    /// The paragraph's text, or the list's items.
    pub items: Vec<Text>,
}

/// Block kinds.
impl Block {
    /// A paragraph.
    pub const PARAGRAPH: u8 = 0;
    /// A bulleted list.
    pub const BULLETS: u8 = 1;
    /// A numbered list.
    pub const NUMBERED: u8 = 2;
}

/// A run of text: a paragraph or a list item.
pub type Text = Vec<Span>;

/// Text with one style, possibly a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// The characters, shown as text (never as HTML).
    pub text: String,
    /// 0: plain, 1: strong, 2: emphasis, 3: both.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub style: u8,
    /// A link target (`https:` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

fn is_zero(value: &u8) -> bool {
    *value == 0
}

impl Span {
    /// Strong importance.
    pub const STRONG: u8 = 1;
    /// Emphasis.
    pub const EMPHASIS: u8 = 2;
}

/// A source the topic is based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// The page's title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Where it is (`https:`).
    pub url: String,
}

/// The plain text of a run of spans.
pub fn plain(text: &Text) -> String {
    text.iter().map(|span| span.text.as_str()).collect()
}

impl Topic {
    /// Every word of the topic's prose, care card and red flags, for the search index.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        let texts = self
            .sections
            .iter()
            .flat_map(|section| section.blocks.iter().flat_map(|block| block.items.iter()))
            .chain(self.care.iter().flatten())
            .chain(self.red_flags.iter());
        for text in texts {
            for span in text {
                out.push_str(&span.text);
            }
            out.push('\n');
        }
        out
    }
}
