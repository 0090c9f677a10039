//! The inbox's filters: what the list shows, kept in the page's query string so a reload or a
//! shared link shows the same requests, and the form that edits them.

use std::collections::BTreeMap;

use haven_api::appointments::RequestStatus;
use haven_api::date::Date;

use crate::api::encode_segment;
use crate::forms::FormErrors;
use crate::i18n::Catalog;

/// The query keys, as the console's address and the server's endpoint both name them.
const STATUS: &str = "status";
const REASON: &str = "reason";
const FROM: &str = "from";
const TO: &str = "to";

/// The form's fields, in the order they appear.
pub const FIELDS: [&str; 4] = [STATUS, REASON, FROM, TO];

/// Which requests the list shows. Every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only requests with this status.
    pub status: Option<RequestStatus>,
    /// Only requests for this configured reason.
    pub reason: Option<String>,
    /// Only requests received on or after this day (the clinic's).
    pub from: Option<Date>,
    /// Only requests received on or before this day (the clinic's).
    pub to: Option<Date>,
}

impl Filters {
    /// Only new requests, for the badge's count.
    pub fn new_only() -> Filters {
        Filters {
            status: Some(RequestStatus::New),
            ..Filters::default()
        }
    }

    /// The filters in a query, reading each key with `get`. A value that is not valid (an
    /// edited address) is left out rather than refused, so the list still shows.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Filters {
        let text = |key: &str| {
            get(key)
                .map(|value| value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Filters {
            status: text(STATUS).and_then(|value| RequestStatus::parse(&value)),
            reason: text(REASON),
            from: text(FROM).and_then(|value| Date::parse(&value)),
            to: text(TO).and_then(|value| Date::parse(&value)),
        }
    }

    /// The query string (without `?`) for the console's address and the server's endpoint;
    /// empty when nothing is filtered.
    pub fn to_query(&self) -> String {
        let pairs = [
            (STATUS, self.status.map(|status| status.as_str().to_owned())),
            (REASON, self.reason.clone()),
            (FROM, self.from.map(|day| day.to_string())),
            (TO, self.to.map(|day| day.to_string())),
        ];
        pairs
            .into_iter()
            .filter_map(|(key, value)| {
                value.map(|value| format!("{key}={}", encode_segment(&value)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether any filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// The filter form as typed: each control's value, empty for "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterForm {
    /// A status's wire name, or empty.
    pub status: String,
    /// A reason id, or empty.
    pub reason: String,
    /// `YYYY-MM-DD`, or empty.
    pub from: String,
    /// `YYYY-MM-DD`, or empty.
    pub to: String,
}

impl From<&Filters> for FilterForm {
    fn from(filters: &Filters) -> FilterForm {
        FilterForm {
            status: filters
                .status
                .map(|status| status.as_str().to_owned())
                .unwrap_or_default(),
            reason: filters.reason.clone().unwrap_or_default(),
            from: filters.from.map(|day| day.to_string()).unwrap_or_default(),
            to: filters.to.map(|day| day.to_string()).unwrap_or_default(),
        }
    }
}

impl FilterForm {
    /// The value of one field, by its name in [`FIELDS`].
    pub fn get(&self, field: &str) -> &str {
        match field {
            STATUS => &self.status,
            REASON => &self.reason,
            FROM => &self.from,
            _ => &self.to,
        }
    }

    /// Sets one field, by its name in [`FIELDS`].
    pub fn set(&mut self, field: &str, value: String) {
        match field {
            STATUS => self.status = value,
            REASON => self.reason = value,
            FROM => self.from = value,
            _ => self.to = value,
        }
    }

    /// The filters the form asks for, or what is wrong with it (in `t`'s language).
    pub fn parse(&self, t: &Catalog) -> Result<Filters, FormErrors> {
        let mut fields = BTreeMap::new();
        let status = match self.status.trim() {
            "" => None,
            name => {
                let status = RequestStatus::parse(name);
                if status.is_none() {
                    fields.insert(STATUS, t.choose_status.to_owned());
                }
                status
            }
        };
        let mut day = |field: &'static str, text: &str| match text.trim() {
            "" => None,
            text => {
                let day = Date::parse(text);
                if day.is_none() {
                    fields.insert(field, t.enter_whole_date.to_owned());
                }
                day
            }
        };
        let from = day(FROM, &self.from);
        let to = day(TO, &self.to);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            fields.insert(TO, t.last_day_before_first.to_owned());
        }
        if !fields.is_empty() {
            return Err(FormErrors::invalid(fields, t));
        }
        let reason = Some(self.reason.trim().to_owned()).filter(|reason| !reason.is_empty());
        Ok(Filters {
            status,
            reason,
            from,
            to,
        })
    }
}

#[cfg(test)]
mod tests {
    use haven_api::lang::Lang;

    use super::*;
    use crate::i18n::catalog;

    fn en() -> &'static Catalog {
        catalog(Lang::En)
    }

    fn query(pairs: &[(&str, &str)]) -> Filters {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Filters::from_query(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let filters = Filters {
            status: Some(RequestStatus::Proposed),
            reason: Some("follow_up".into()),
            from: Date::parse("2026-12-01"),
            to: Date::parse("2026-12-08"),
        };
        let text = filters.to_query();
        assert_eq!(
            text,
            "status=proposed&reason=follow_up&from=2026-12-01&to=2026-12-08"
        );
        let parsed = query(&[
            ("status", "proposed"),
            ("reason", "follow_up"),
            ("from", "2026-12-01"),
            ("to", "2026-12-08"),
        ]);
        assert_eq!(parsed, filters);
    }

    #[test]
    fn no_filter_is_an_empty_query_and_odd_values_are_ignored() {
        assert_eq!(Filters::default().to_query(), "");
        assert!(Filters::default().is_empty());
        let odd = query(&[("status", "lost"), ("from", "yesterday"), ("reason", " ")]);
        assert!(odd.is_empty());
        assert_eq!(Filters::new_only().to_query(), "status=new");
    }

    #[test]
    fn a_reason_id_is_encoded_in_the_query() {
        let filters = Filters {
            reason: Some("a&b c".into()),
            ..Filters::default()
        };
        assert_eq!(filters.to_query(), "reason=a%26b%20c");
    }

    #[test]
    fn the_form_refuses_a_last_day_before_the_first() {
        let form = FilterForm {
            from: "2026-12-08".into(),
            to: "2026-12-01".into(),
            ..FilterForm::default()
        };
        let errors = form.parse(en()).unwrap_err();
        assert!(errors.field("to").unwrap().contains("before the first day"));
        assert_eq!(errors.first_invalid(&FIELDS), Some("to"));
    }

    #[test]
    fn the_form_names_a_date_that_is_not_whole() {
        let form = FilterForm {
            from: "2026-13-01".into(),
            ..FilterForm::default()
        };
        assert!(form.parse(en()).unwrap_err().field("from").is_some());
    }

    #[test]
    fn the_form_shows_the_filters_it_came_from() {
        let filters = Filters {
            status: Some(RequestStatus::New),
            reason: None,
            from: Date::parse("2026-12-01"),
            to: None,
        };
        let form = FilterForm::from(&filters);
        assert_eq!(form.get("status"), "new");
        assert_eq!(form.get("from"), "2026-12-01");
        assert_eq!(form.parse(en()), Ok(filters));
    }
}
