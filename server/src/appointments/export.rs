//! Requests as CSV for the clinic's spreadsheets.

use haven_api::appointments::Slot;

use super::store::Exported;

/// The header row.
const COLUMNS: [&str; 17] = [
    "id",
    "received_at",
    "status",
    "reason",
    "name",
    "birth_date",
    "phone",
    "email",
    "visit_type",
    "new_patient",
    "language",
    "preferred_times",
    "confirmed",
    "proposed",
    "attachments",
    "notes",
    "message",
];

/// A cell as text a spreadsheet shows as written: text starting with `=`, `+`, `-`, `@` (or
/// a tab or carriage return) would be read as a formula, so it gets a leading `'`.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn slot(slot: &Option<Slot>) -> String {
    slot.as_ref()
        .map(|s| format!("{} {}", s.date, s.time))
        .unwrap_or_default()
}

/// The CSV file, with a UTF-8 byte-order mark.
pub fn csv(details: &[Exported]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(COLUMNS)?;
    for detail in details {
        let request = &detail.request;
        let windows = request
            .windows
            .iter()
            .map(|w| format!("{} {}-{}", w.date, w.from, w.to))
            .collect::<Vec<_>>()
            .join("; ");
        let row = [
            request.id.clone(),
            haven_api::date::format_instant(detail.state.received_at),
            detail.state.status.as_str().to_owned(),
            detail.summary.reason.clone(),
            request.name.clone(),
            request.birth_date.clone(),
            request.phone.clone(),
            request.email.clone(),
            request.visit_type.as_str().to_owned(),
            if request.new_patient { "yes" } else { "no" }.to_owned(),
            request.language.tag().to_owned(),
            windows,
            slot(&detail.state.confirmed),
            slot(&detail.state.proposed),
            request.attachments.len().to_string(),
            request.notes.clone(),
            detail.state.message.clone().unwrap_or_default(),
        ];
        writer.write_record(row.iter().map(|text| cell(text)))?;
    }
    writer
        .into_inner()
        .map_err(|error| error.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+84 912"), "'+84 912");
        assert_eq!(cell("Lan"), "Lan");
    }
}
