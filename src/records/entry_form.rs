//! Adding and changing an entry: one form per kind, built from the shared form specs.
//!
//! What the patient types is kept as typed: a validation error never clears a field, and
//! every change is saved as a draft (sealed like the record when it is locked), so a
//! reload or a crash loses nothing. Errors are listed at the top, each linked to its field,
//! and shown under the field, in the patient's language.

use haven_api::record::entry::MAX_DOCUMENT_BYTES;
use haven_api::record::form::{Context, Form, Input, Spec, specs};
use haven_api::record::{Entry, Field, FieldError, Kind};
use leptos::prelude::*;

use super::data::{Record, keys, use_record};
use super::describe::{entry_title, kind_name, lower};
use super::text::{choice_label, field_label, problem_message};
use super::{Page, go, new_id, now_local, now_ms, storage, t, use_state};
use crate::i18n::fill;

/// An existing entry's page: its form, once the record has it.
#[component]
pub fn ExistingEntryPage(
    /// The entry's id.
    id: String,
) -> impl IntoView {
    let record = use_record();
    let found = {
        let id = id.clone();
        Memo::new(move |_| record.get(&id).map(|entry| entry.kind))
    };
    move || {
        match found.get() {
        Some(kind) => view! { <EntryPage kind id=Some(id.clone())/> }.into_any(),
        None if !record.complete.get() => {
            view! { <p class="muted" role="status">{t().reading_record}</p> }.into_any()
        }
        None => view! {
            <h1 tabindex="-1">{t().entry_missing}</h1>
            <p><a href="/records" on:click=super::follow(Page::Timeline)>{t().back_to_record}</a></p>
        }
        .into_any(),
    }
    }
}

/// The form for a new entry of `kind`, or for the existing entry `id`.
#[component]
pub fn EntryPage(
    /// What is added or changed.
    kind: Kind,
    /// The entry changed, or `None` to add one.
    id: Option<String>,
) -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let existing = id.as_deref().and_then(|id| record.get(id));
    let draft_id = match &id {
        Some(id) => format!("record:edit:{id}"),
        None => format!("record:add:{}", kind.as_str()),
    };
    // The entry as it is stored, or a new one's defaults: what "Start again" goes back to.
    let fresh = {
        let existing = existing.clone();
        move || {
            existing
                .as_ref()
                .map_or_else(|| Form::new(kind, now_local()), Form::from_entry)
        }
    };
    let form = RwSignal::new(fresh());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let restored = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let file = StoredValue::new_local(None::<web_sys::File>);
    let summary_ref = NodeRef::<leptos::html::Div>::new();

    // A draft from an earlier visit wins over the defaults: it is what the patient typed.
    {
        let draft_id = draft_id.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Some(vault) = record.vault() else { return };
            if let Ok(Some(json)) = vault.draft(&draft_id).await
                && let Ok(draft) = serde_json::from_str::<Form>(&json)
                && draft.kind == kind
                && draft != form.get_untracked()
            {
                form.set(draft);
                restored.set(true);
            }
        });
    }
    let save_draft = {
        let draft_id = draft_id.clone();
        let pending = StoredValue::new_local(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
        move || {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let draft_id = draft_id.clone();
            let handle = set_timeout_with_handle(
                move || {
                    let json = serde_json::to_string(&form.get_untracked()).unwrap_or_default();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Some(vault) = record.vault() {
                            let _ = vault.save_draft(&draft_id, &json).await;
                        }
                    });
                },
                std::time::Duration::from_millis(300),
            );
            pending.set_value(handle.ok());
        }
    };
    let discard_draft = {
        let draft_id = draft_id.clone();
        move |_| {
            let draft_id = draft_id.clone();
            form.set(fresh());
            restored.set(false);
            errors.set(Vec::new());
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(vault) = record.vault() {
                    let _ = vault.clear_draft(&draft_id).await;
                }
            });
        }
    };

    let on_submit = {
        let draft_id = draft_id.clone();
        let existing = existing.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let now = now_local();
            let context = Context {
                id: existing.as_ref().map_or_else(new_id, |e| e.id.clone()),
                created_at: existing.as_ref().map_or_else(now_ms, |e| e.created_at),
                now_ms: now_ms(),
                today: now.date(),
                offset_minutes: now.offset_minutes(),
            };
            let mut problems = Vec::new();
            if kind == Kind::Document && existing.is_none() && file.with_value(Option::is_none) {
                problems.push(FieldError::new(
                    Field::FileName,
                    haven_api::record::Problem::Required,
                ));
            }
            let entry = form.with_untracked(|form| form.to_entry(&context));
            let entry = match entry {
                Ok(entry) if problems.is_empty() => entry,
                Ok(_) => {
                    show_errors(errors, summary_ref, problems);
                    return;
                }
                Err(mut more) => {
                    problems.append(&mut more);
                    show_errors(errors, summary_ref, problems);
                    return;
                }
            };
            errors.set(Vec::new());
            busy.set(true);
            let draft_id = draft_id.clone();
            let picked = file.get_value();
            let is_new = existing.is_none();
            wasm_bindgen_futures::spawn_local(async move {
                let result = save(record, entry, picked).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        if let Some(vault) = record.vault() {
                            let _ = vault.clear_draft(&draft_id).await;
                        }
                        let first = is_new && record.entries.with_untracked(|e| e.len() == 1);
                        state.announce(if first {
                            t().saved_first.to_owned()
                        } else {
                            t().saved.to_owned()
                        });
                        ask_to_persist(record).await;
                        go(&Page::Timeline);
                    }
                    Err(message) => {
                        state.notice.set(None);
                        show_errors(errors, summary_ref, Vec::new());
                        state.announce(message);
                    }
                }
            });
        }
    };

    let heading = match &existing {
        Some(entry) => fill(t().edit_heading, &lower(kind_name(entry.kind))),
        None => fill(t().add_kind_heading, &lower(kind_name(kind))),
    };
    let field_specs = specs(kind);
    view! {
        <h1 tabindex="-1">{heading}</h1>
        {move || restored.get().then(|| view! {
            <div class="banner banner-info" role="note">
                <p>{t().draft_restored}</p>
                <button type="button" on:click=discard_draft.clone()>{t().discard_draft}</button>
            </div>
        })}
        <div node_ref=summary_ref tabindex="-1" class="error-summary" role="alert"
            hidden=move || errors.with(Vec::is_empty)>
            {move || (!errors.with(Vec::is_empty)).then(|| view! {
                <h2>{t().errors_heading}</h2>
                <ul>
                    {errors.get().into_iter().map(|error| {
                        let field = error.field();
                        let message = format!("{}: {}", field_label(kind, field), message_for(&form.get_untracked(), kind, &error));
                        view! { <li><a href=format!("#field-{}", field.as_str())>{message}</a></li> }
                    }).collect_view()}
                </ul>
            })}
        </div>
        <form class="record-form" on:submit=on_submit novalidate>
            {field_specs.iter().map(|spec| view! {
                <FormField kind spec form errors on_change=save_draft.clone()/>
            }).collect_view()}
            {(kind == Kind::Document).then(|| view! { <FilePicker form errors file existing=id.is_some() on_change=save_draft.clone()/> })}
            <div class="actions">
                <button type="submit" class="primary" aria-disabled=move || busy.get().then_some("true")>
                    {move || if busy.get() { t().saving } else { t().save }}
                </button>
                <a href="/records" on:click=super::follow(Page::Timeline)>{t().cancel}</a>
            </div>
        </form>
        {existing.clone().map(|entry| view! { <EntryExtras entry/> })}
    }
}

/// Saves the entry, with its file first for a document (so an entry never points at a file
/// that is not there).
async fn save(record: Record, entry: Entry, file: Option<web_sys::File>) -> Result<(), String> {
    let vault = record
        .vault()
        .ok_or_else(|| t().storage_failed.to_owned())?;
    if let Some(file) = file {
        if let Some(free) = storage::free_bytes().await
            && free < file.size() * 2.0
        {
            return Err(t().storage_short.to_owned());
        }
        vault
            .put_file(&entry.id, &file)
            .await
            .map_err(|_| t().storage_short.to_owned())?;
    }
    record
        .save(entry)
        .await
        .map_err(|_| t().storage_failed.to_owned())
}

/// After the first saved entry, asks the browser to keep the record's data (once).
async fn ask_to_persist(record: Record) {
    let Some(vault) = record.vault() else { return };
    if matches!(vault.get_setting(keys::PERSIST_ASKED).await, Ok(Some(_))) {
        return;
    }
    let _ = vault.set_setting(keys::PERSIST_ASKED, "1").await;
    storage::persist().await;
}

fn show_errors(
    errors: RwSignal<Vec<FieldError>>,
    summary: NodeRef<leptos::html::Div>,
    list: Vec<FieldError>,
) {
    errors.set(list);
    request_animation_frame(move || {
        if let Some(summary) = summary.get_untracked() {
            let _ = summary.focus();
        }
    });
}

/// A problem's message, with the unit the patient is using where it helps.
fn message_for(form: &Form, kind: Kind, error: &FieldError) -> String {
    problem_message(error.problem(), unit_symbol(form, kind, error.field()))
}

/// The unit of a measurement field as the form stands.
fn unit_symbol(form: &Form, kind: Kind, field: Field) -> &'static str {
    match (kind, field) {
        (Kind::BloodPressure, _) => "mmHg",
        (Kind::HeartRate, Field::Value) => t().per_minute,
        (Kind::OxygenSaturation, Field::Value) => "%",
        (Kind::Glucose | Kind::Weight | Kind::Height | Kind::Temperature, Field::Value) => {
            measure_unit(kind, form.get(Field::Unit))
        }
        _ => "",
    }
}

/// One form field: its label, control, hint and error.
#[component]
fn FormField(
    kind: Kind,
    spec: &'static Spec,
    form: RwSignal<Form>,
    errors: RwSignal<Vec<FieldError>>,
    on_change: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let field = spec.field;
    let id = format!("field-{}", field.as_str());
    let error_id = format!("{id}-error");
    let error = move || {
        errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field() == field)
                .map(|e| form.with_untracked(|form| message_for(form, kind, e)))
        })
    };
    let invalid = move || error().is_some().then_some("true");
    let described = {
        let error_id = error_id.clone();
        move || error().is_some().then(|| error_id.clone())
    };
    let value = move || form.with(|form| form.get(field).to_owned());
    let set = move |text: String| {
        form.update(|form| form.set(field, text));
        on_change();
    };
    let label = field_label(kind, field);
    let required = spec.required;
    let label_text = if required {
        label.to_owned()
    } else {
        fill(t().optional, label)
    };
    let control = match spec.input {
        Input::Choice(names) => {
            let set = set.clone();
            view! {
                <select id=id.clone() aria-invalid=invalid aria-describedby=described.clone()
                    on:change=move |event| set(event_target_value(&event))>
                    {(!required).then(|| view! { <option value="" selected=move || value().is_empty()>{t().not_given}</option> })}
                    {names.iter().map(|name| {
                        let name = *name;
                        view! { <option value=name selected=move || value() == name>{choice_label(field, name)}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Check => {
            let set = set.clone();
            return view! {
                <div class="field field-check">
                    <input id=id.clone() type="checkbox" prop:checked=move || value() == "true"
                        on:change=move |event| set(if event_target_checked(&event) { "true".into() } else { String::new() })/>
                    <label for=id>{label}</label>
                </div>
            }
            .into_any();
        }
        Input::Note => {
            let set = set.clone();
            view! {
                <textarea id=id.clone() rows="4" aria-invalid=invalid aria-describedby=described.clone()
                    prop:value=value on:input=move |event| set(event_target_value(&event))></textarea>
            }
            .into_any()
        }
        input => {
            let (kind_attr, mode) = match input {
                Input::Number => ("text", Some("decimal")),
                Input::Date => ("date", None),
                Input::DateTime => ("datetime-local", None),
                _ => ("text", None),
            };
            let autocomplete = match field {
                Field::ContactPhone => "tel",
                Field::ContactName => "name",
                _ => "off",
            };
            let kind_attr = if field == Field::ContactPhone {
                "tel"
            } else {
                kind_attr
            };
            let set = set.clone();
            view! {
                <input id=id.clone() type=kind_attr inputmode=mode autocomplete=autocomplete
                    aria-invalid=invalid aria-describedby=described.clone() aria-required=required.then_some("true")
                    prop:value=value on:input=move |event| set(event_target_value(&event))/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{label_text}</label>
            {control}
            {move || error().map(|message| view! { <p id=error_id.clone() class="field-error">{message}</p> })}
        </div>
    }
    .into_any()
}

/// A document's file: picked here, checked for type and size at once.
#[component]
fn FilePicker(
    form: RwSignal<Form>,
    errors: RwSignal<Vec<FieldError>>,
    file: StoredValue<Option<web_sys::File>, LocalStorage>,
    existing: bool,
    on_change: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let error = move || {
        errors.with(|errors| {
            errors
                .iter()
                .find(|e| matches!(e.field(), Field::FileName | Field::MediaType | Field::Size))
                .map(|e| problem_message(e.problem(), ""))
        })
    };
    let on_pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let picked = input.files().and_then(|files| files.get(0));
        if let Some(picked) = &picked {
            form.update(|form| {
                form.set(Field::FileName, picked.name());
                form.set(Field::MediaType, picked.type_());
                form.set(Field::Size, (picked.size() as u64).to_string());
            });
            on_change();
        }
        file.set_value(picked);
    };
    let name = move || form.with(|form| form.get(Field::FileName).to_owned());
    view! {
        <div class="field">
            <label for="field-file_name">{if existing { t().replace_file } else { t().file }}</label>
            <input id="field-file_name" type="file" accept="image/jpeg,image/png,image/heic,image/heif,image/webp,application/pdf"
                aria-describedby="file-hint" aria-invalid=move || error().is_some().then_some("true")
                on:change=on_pick/>
            <p id="file-hint" class="hint">{fill(t().file_hint, &(MAX_DOCUMENT_BYTES / (1024 * 1024)).to_string())}</p>
            {move || (!name().is_empty()).then(|| view! { <p class="muted">{fill(t().file_chosen, &name())}</p> })}
            {move || error().map(|message| view! { <p class="field-error">{message}</p> })}
        </div>
    }
}

/// Under an existing entry: open its file, and delete it.
#[component]
fn EntryExtras(entry: Entry) -> impl IntoView {
    let record = use_record();
    let state = use_state();
    let confirming = RwSignal::new(false);
    let id = entry.id.clone();
    let title = entry_title(&entry);
    let is_document = entry.kind == Kind::Document;
    let file_name = entry
        .document
        .as_ref()
        .map(|d| d.file_name.clone())
        .unwrap_or_default();
    let open_file = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            let file_name = file_name.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(vault) = record.vault() else { return };
                match vault.file(&id).await {
                    Ok(Some(blob)) => super::describe::download_blob(&blob, &file_name),
                    _ => state.announce(t().file_missing.to_owned()),
                }
            });
        }
    };
    let delete = move |_| {
        let id = id.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match record.delete(id).await {
                Ok(()) => {
                    state.announce(t().deleted.to_owned());
                    go(&Page::Timeline);
                }
                Err(_) => state.announce(t().storage_failed.to_owned()),
            }
        });
    };
    view! {
        {is_document.then(|| view! {
            <p><button type="button" on:click=open_file>{t().open_file}</button></p>
        })}
        <section class="danger-zone" aria-labelledby="delete-entry-heading">
            <h2 id="delete-entry-heading">{t().delete_entry_heading}</h2>
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>{t().delete_entry}</button>
            }>
                <div role="alert">
                    <p>{fill(t().delete_entry_confirm, &title)}</p>
                    <button type="button" class="danger" on:click=delete.clone()>{t().delete_entry_yes}</button>
                    " "
                    <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                </div>
            </Show>
        </section>
    }
}

/// The symbol of the unit stored as `name` for a measurement of `kind`.
fn measure_unit(kind: Kind, name: &str) -> &'static str {
    use haven_api::record::measure::{GlucoseUnit, LengthUnit, MassUnit, TemperatureUnit};
    fn find<U: Copy>(
        all: &[U],
        name: &str,
        as_str: fn(U) -> &'static str,
        symbol: fn(U) -> &'static str,
    ) -> &'static str {
        all.iter()
            .find(|unit| as_str(**unit) == name)
            .map_or("", |unit| symbol(*unit))
    }
    match kind {
        Kind::Glucose => find(
            GlucoseUnit::ALL,
            name,
            GlucoseUnit::as_str,
            GlucoseUnit::symbol,
        ),
        Kind::Weight => find(MassUnit::ALL, name, MassUnit::as_str, MassUnit::symbol),
        Kind::Height => find(
            LengthUnit::ALL,
            name,
            LengthUnit::as_str,
            LengthUnit::symbol,
        ),
        Kind::Temperature => find(
            TemperatureUnit::ALL,
            name,
            TemperatureUnit::as_str,
            TemperatureUnit::symbol,
        ),
        _ => "",
    }
}
