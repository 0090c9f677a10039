//! Backup: export the whole record or chosen items as a FHIR R4 Bundle (downloaded as a
//! file, never sent anywhere), and import a Bundle from Haven or elsewhere with a preview, a
//! per-item report, and no change until the patient confirms.
//!
//! The FHIR mapping is the largest part of the record's code and only this page needs it,
//! so the page is a chunk of its own, loaded when the patient opens it.

use std::collections::BTreeSet;

use haven_api::record::fhir::{self, ExportOptions, Exporter, ImportOptions, Imported, Outcome};
use haven_api::record::{Entry, Kind};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::data::{Record, keys, use_record};
use super::describe::{download_blob, entry_title, kind_name, when_text};
use super::picker::{Preview, RecordPicker};
use super::text::{import_error, import_problem};
use super::{new_id, now_ms, t, today, use_state};
use crate::i18n::fill;

/// The settings key of the record's `Patient` id, kept so every export names the same
/// patient.
const PATIENT_ID: &str = "record.patient_id";

/// Entries exported or written between two progress updates.
const BATCH: usize = 200;

crate::split_section! {
    /// The Backup page's entry: loads its chunk and returns its builder.
    records_backup: pub fn section() -> crate::ui::Build => page
}

fn page() -> AnyView {
    view! { <BackupPage/> }.into_any()
}

/// The Backup page.
#[component]
fn BackupPage() -> impl IntoView {
    view! {
        <h1 tabindex="-1">{t().backup_heading}</h1>
        <p>{t().backup_intro}</p>
        <ExportSection/>
        <ImportSection/>
    }
}

/// Exporting the record.
#[component]
fn ExportSection() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let chosen_only = RwSignal::new(false);
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let name = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let error = RwSignal::new(None::<String>);
    let selected = move || -> Vec<Entry> {
        record.entries.with(|entries| {
            if chosen_only.get() {
                chosen.with(|chosen| {
                    entries
                        .iter()
                        .filter(|e| chosen.contains(&e.id))
                        .cloned()
                        .collect()
                })
            } else {
                entries.clone()
            }
        })
    };
    let on_export = move |_| {
        if progress.get_untracked().is_some() {
            return;
        }
        let entries = selected();
        if entries.is_empty() {
            error.set(Some(t().export_nothing.to_owned()));
            return;
        }
        error.set(None);
        let whole = !chosen_only.get_untracked();
        let patient_name = name.get_untracked().trim().to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            progress.set(Some((0, entries.len())));
            let result = export(record, &entries, patient_name, |done| {
                progress.set(Some((done, entries.len())))
            })
            .await;
            progress.set(None);
            match result {
                Ok(()) => {
                    if whole && let Some(vault) = record.vault() {
                        let _ = vault
                            .set_setting(keys::LAST_BACKUP, &now_ms().to_string())
                            .await;
                    }
                    state.announce(fill(t().exported, &entries.len().to_string()));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">{t().export_heading}</h2>
            <p>{t().export_intro}</p>
            <fieldset>
                <legend>{t().export_what}</legend>
                <div class="choice">
                    <input type="radio" id="export-all" name="export-what" prop:checked=move || !chosen_only.get()
                        on:change=move |_| chosen_only.set(false)/>
                    <label for="export-all">{t().export_all}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="export-chosen" name="export-what" prop:checked=move || chosen_only.get()
                        on:change=move |_| chosen_only.set(true)/>
                    <label for="export-chosen">{t().export_chosen}</label>
                </div>
            </fieldset>
            <Show when=move || chosen_only.get()>
                <RecordPicker chosen/>
            </Show>
            <div class="field">
                <label for="export-name">{fill(t().optional, t().export_name)}</label>
                <input id="export-name" type="text" autocomplete="name" aria-describedby="export-name-hint"
                    prop:value=name on:input=move |event| name.set(event_target_value(&event))/>
                <p id="export-name-hint" class="hint">{t().export_name_hint}</p>
            </div>
            {move || view! { <Preview entries=selected()/> }}
            {move || error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            <ProgressBar progress label=t().exporting/>
            <button type="button" class="primary" on:click=on_export
                aria-disabled=move || progress.get().is_some().then_some("true")>{t().export_button}</button>
        </section>
    }
}

/// A progress bar while something long runs.
#[component]
fn ProgressBar(progress: RwSignal<Option<(usize, usize)>>, label: &'static str) -> impl IntoView {
    move || {
        progress.get().map(|(done, total)| {
            view! {
                <div class="progress">
                    <label for="progress-bar">{label}</label>
                    <progress id="progress-bar" max=total.max(1) value=done>{format!("{done} / {total}")}</progress>
                </div>
            }
        })
    }
}

/// Builds the Bundle a batch at a time (so the page stays responsive and the bar moves),
/// then downloads it.
async fn export(
    record: Record,
    entries: &[Entry],
    patient_name: String,
    progress: impl Fn(usize),
) -> Result<(), String> {
    let vault = record
        .vault()
        .ok_or_else(|| t().storage_failed.to_owned())?;
    let patient_id = match vault.get_setting(PATIENT_ID).await {
        Ok(Some(id)) => id,
        _ => {
            let id = new_id();
            let _ = vault.set_setting(PATIENT_ID, &id).await;
            id
        }
    };
    let mut exporter = Exporter::new(ExportOptions {
        patient_id,
        patient_name,
        now_ms: now_ms(),
        today: today(),
    });
    for (at, entry) in entries.iter().enumerate() {
        let bytes = if entry.kind == Kind::Document {
            match vault.file(&entry.id).await {
                Ok(Some(blob)) => Some(blob_bytes(&blob).await?),
                _ => None,
            }
        } else {
            None
        };
        exporter.add(entry, bytes.as_deref());
        if at % BATCH == BATCH - 1 {
            progress(at + 1);
            next_frame().await;
        }
    }
    progress(entries.len());
    let json = fhir::to_json(&exporter.finish());
    let blob = blob_of(&json.into(), "application/fhir+json")
        .ok_or_else(|| t().export_failed.to_owned())?;
    download_blob(&blob, &format!("haven-record-{}.json", today()));
    Ok(())
}

/// A Blob of one part (text or bytes) with its media type.
fn blob_of(part: &JsValue, media_type: &str) -> Option<web_sys::Blob> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    web_sys::Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(part), &options).ok()
}

/// A Blob's bytes.
async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| t().export_failed.to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Lets the browser paint before the next batch.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// Importing a Bundle.
#[component]
fn ImportSection() -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let report = RwSignal::new_local(None::<Imported>);
    let error = RwSignal::new(None::<String>);
    let reading = RwSignal::new(false);
    let progress = RwSignal::new(None::<(usize, usize)>);
    let replace_card = RwSignal::new(false);
    let on_pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        report.set(None);
        error.set(None);
        reading.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let result = read(record, &file).await;
            reading.set(false);
            match result {
                Ok(imported) => report.set(Some(imported)),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let on_confirm = move |_| {
        let Some(imported) = report.get_untracked() else {
            return;
        };
        let replace = replace_card.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let result = write(record, imported, replace, progress).await;
            progress.set(None);
            match result {
                Ok(count) => {
                    report.set(None);
                    state.announce(fill(t().imported, &count.to_string()));
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let has_card = move || {
        record
            .entries
            .with(|entries| entries.iter().any(|e| e.kind == Kind::Emergency))
    };
    view! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{t().import_heading}</h2>
            <p>{t().import_intro}</p>
            <div class="field">
                <label for="import-file">{t().import_file}</label>
                <input id="import-file" type="file" accept=".json,application/json,application/fhir+json" on:change=on_pick/>
            </div>
            {move || reading.get().then(|| view! { <p role="status">{t().import_reading}</p> })}
            {move || error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            {move || report.with(|current| current.as_ref().map(|imported| {
                let new: Vec<&fhir::Line> = imported.lines.iter().filter(|l| l.outcome == Outcome::New).collect();
                let count = |outcome| imported.lines.iter().filter(|l| l.outcome == outcome).count();
                let new_card = new.iter().any(|l| l.entry.as_ref().is_some_and(|e| e.kind == Kind::Emergency));
                let to_add = new.len();
                view! {
                    <div class="import-report">
                        <h3 tabindex="-1" id="import-report-heading">{t().import_preview}</h3>
                        <p role="status">{t().import_counts
                            .replace("{new}", &to_add.to_string())
                            .replace("{duplicate}", &count(Outcome::Duplicate).to_string())
                            .replace("{skipped}", &count(Outcome::Skipped).to_string())}</p>
                        <ImportTable imported=imported.clone()/>
                        {(new_card && has_card()).then(|| view! {
                            <div class="choice">
                                <input type="checkbox" id="replace-card" prop:checked=replace_card
                                    on:change=move |event| replace_card.set(event_target_checked(&event))/>
                                <label for="replace-card">{t().import_replace_card}</label>
                            </div>
                        })}
                        <ProgressBar progress label=t().importing/>
                        <p>
                            <button type="button" class="primary" on:click=on_confirm
                                aria-disabled=move || (to_add == 0 || progress.get().is_some()).then_some("true")>
                                {fill(t().import_confirm, &to_add.to_string())}
                            </button>
                            " "
                            <button type="button" on:click=move |_| report.set(None)>{t().cancel}</button>
                        </p>
                    </div>
                }
            }))}
        </section>
    }
}

/// The per-item report. Imported text is shown as text, never as HTML.
#[component]
fn ImportTable(imported: Imported) -> impl IntoView {
    let state = use_state();
    view! {
        <table class="data-table">
            <caption>{t().import_table_caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t().import_item}</th>
                    <th scope="col">{t().import_outcome}</th>
                    <th scope="col">{t().import_notes}</th>
                </tr>
            </thead>
            <tbody>
                {imported.lines.into_iter().filter(|line| line.outcome != Outcome::Used).map(|line| {
                    let what = line.entry.as_ref().map_or_else(
                        || line.resource_type.clone(),
                        |entry| format!("{}: {} ({})", kind_name(entry.kind), entry_title(entry), when_text(state.tag, entry.date)),
                    );
                    let outcome = match line.outcome {
                        Outcome::New => t().outcome_new,
                        Outcome::Duplicate => t().outcome_duplicate,
                        Outcome::Skipped => t().outcome_skipped,
                        Outcome::Used => "",
                    };
                    let notes: Vec<String> = line.problems.iter().map(import_problem).collect();
                    view! {
                        <tr>
                            <td>{line.index + 1}</td>
                            <td>{what}</td>
                            <td>{outcome}</td>
                            <td>{notes.join(" ")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Reads and checks a file; changes nothing.
async fn read(record: Record, file: &web_sys::File) -> Result<Imported, String> {
    if file.size() > fhir::MAX_IMPORT_BYTES as f64 {
        return Err(import_error(&fhir::ImportError::TooLarge {
            max_bytes: fhir::MAX_IMPORT_BYTES,
        }));
    }
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| t().import_unreadable.to_owned())?;
    next_frame().await;
    let options = ImportOptions {
        today: today(),
        now_ms: now_ms(),
        limits: Default::default(),
    };
    let mut imported =
        fhir::import(&text, &options, &mut new_id).map_err(|error| import_error(&error))?;
    let (ids, fingerprints) = record.entries.with_untracked(|entries| {
        (
            entries
                .iter()
                .map(|e| e.id.clone())
                .collect::<BTreeSet<_>>(),
            entries
                .iter()
                .map(Entry::fingerprint)
                .collect::<BTreeSet<_>>(),
        )
    });
    imported.mark_duplicates(&ids, &fingerprints);
    Ok(imported)
}

/// Writes what the patient confirmed: files first, then entries in batches.
async fn write(
    record: Record,
    imported: Imported,
    replace_card: bool,
    progress: RwSignal<Option<(usize, usize)>>,
) -> Result<usize, String> {
    let vault = record
        .vault()
        .ok_or_else(|| t().storage_failed.to_owned())?;
    let has_card = record
        .entries
        .with_untracked(|entries| entries.iter().find(|e| e.kind == Kind::Emergency).cloned());
    let mut entries: Vec<Entry> = imported.entries().cloned().collect();
    if let Some(card) = &has_card {
        if replace_card {
            record
                .delete(card.id.clone())
                .await
                .map_err(|_| t().storage_failed.to_owned())?;
        } else {
            entries.retain(|e| e.kind != Kind::Emergency);
        }
    }
    let total = entries.len();
    progress.set(Some((0, total)));
    for entry in entries.iter().filter(|e| e.kind == Kind::Document) {
        if let (Some(bytes), Some(document)) = (imported.files.get(&entry.id), &entry.document) {
            let blob = blob_of(
                &js_sys::Uint8Array::from(bytes.as_slice()),
                &document.media_type,
            )
            .ok_or_else(|| t().storage_failed.to_owned())?;
            vault
                .put_file(&entry.id, &blob)
                .await
                .map_err(|_| t().storage_short.to_owned())?;
        }
    }
    let mut done = 0;
    for batch in entries.chunks(BATCH * 5) {
        record
            .save_many(batch.to_vec())
            .await
            .map_err(|_| t().storage_failed.to_owned())?;
        done += batch.len();
        progress.set(Some((done, total)));
        next_frame().await;
    }
    Ok(total)
}
