//! `/console/inbox`: the requests, new ones first, with filters kept in the address.

use haven_api::appointments::{Inbox, InboxItem, RequestStatus, TimeWindow};
use haven_api::date::Date;
use haven_api::staff::Section;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::describe::{
    duration_text, inbox_order, is_overdue, status_label, visit_type_label, waiting_ms,
};
use super::filters::{FIELDS, FilterForm, Filters};
use super::{InboxContext, every_minute, use_inbox};
use crate::api;
use crate::auth::use_session;
use crate::format::{DayTime, date_time_in, iso};
use crate::forms::{FieldError, FormErrors, described_by, sync_value};
use crate::i18n::{Catalog, Text, fill, plural, tr, use_i18n};
use crate::layout::{Loading, PageHeading};
use crate::routes::{Page, RequestPage, section_title};

/// Where the list stands, without the rows.
#[derive(Debug, Clone, PartialEq)]
enum ListState {
    Loading,
    Failed(api::Error),
    Ready,
}

/// The current time in Unix milliseconds.
pub(super) fn now_ms() -> i64 {
    // Milliseconds since 1970 are whole numbers well inside an i64.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    now
}

/// What the list shows, in sentences for the live region.
fn summary(inbox: &Inbox, filtered: bool, overdue: usize, t: &Catalog) -> String {
    let shown = inbox.items.len() as u64;
    let mut text = match (shown, filtered) {
        (0, true) => t.summary_none_match.to_owned(),
        (0, false) => t.summary_none.to_owned(),
        (n, true) => plural(n, t.summary_match_one, t.summary_match_many),
        (n, false) => plural(n, t.summary_all_one, t.summary_all_many),
    };
    text.push(' ');
    text.push_str(&match inbox.new_count {
        0 => t.summary_new_none.to_owned(),
        n => plural(n, t.summary_new_one, t.summary_new_many),
    });
    if overdue > 0 {
        let sentence = plural(
            overdue as u64,
            t.summary_overdue_one,
            t.summary_overdue_many,
        );
        text.push(' ');
        text.push_str(&fill(&sentence, inbox.response_target_hours));
    }
    text
}

/// `/console/inbox`.
#[component]
pub fn InboxPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let inbox = use_inbox();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(|query| Filters::from_query(|key| query.get(key))));
    let list = LocalResource::new(move || {
        let query = filters.with(Filters::to_query);
        session.guard(session.reader().inbox(&query))
    });
    let now = RwSignal::new(now_ms());
    every_minute(move || {
        now.set(now_ms());
        list.refetch();
    });
    let state = Memo::new(move |_| {
        list.with(|loaded| match loaded {
            None => ListState::Loading,
            Some(Err(error)) => ListState::Failed(error.clone()),
            Some(Ok(_)) => ListState::Ready,
        })
    });
    let rows = Memo::new(move |_| {
        list.with(|loaded| match loaded {
            Some(Ok(inbox)) => {
                let mut items = inbox.items.clone();
                inbox_order(&mut items);
                items
            }
            _ => Vec::new(),
        })
    });
    let target_hours = Memo::new(move |_| {
        list.with(|loaded| match loaded {
            Some(Ok(inbox)) => inbox.response_target_hours,
            _ => 24,
        })
    });
    let time_zone = Signal::derive(move || inbox.and_then(InboxContext::time_zone));
    let announcement = move || {
        list.with(|loaded| match loaded {
            Some(Ok(inbox)) => {
                let at = now.get();
                let overdue = inbox
                    .items
                    .iter()
                    .filter(|item| is_overdue(item, at, inbox.response_target_hours))
                    .count();
                summary(inbox, !filters.with(Filters::is_empty), overdue, i18n.t())
            }
            _ => String::new(),
        })
    };
    let refresh = move |_| {
        now.set(now_ms());
        list.refetch();
        if let Some(inbox) = inbox {
            inbox.refresh();
        }
    };

    let body = move || match state.get() {
        ListState::Loading => view! { <Loading text={|t| t.loading_requests} /> }.into_any(),
        ListState::Failed(error) => view! {
            <div class="load-error">
                <p>{move || fill(i18n.t().requests_failed, error.text(i18n.lang()))}</p>
                <button type="button" on:click=move |_| list.refetch()>
                    {tr(|t| t.try_again)}
                    <span class="visually-hidden">{tr(|t| t.try_again_requests)}</span>
                </button>
            </div>
        }
        .into_any(),
        ListState::Ready => view! {
            <InboxTable rows now target_hours time_zone filters />
        }
        .into_any(),
    };

    view! {
        <PageHeading text=move || section_title(Section::Inbox, i18n.t()).to_owned() />
        <p>
            {move || {
                let zone = time_zone.get().map(|zone| format!(" ({zone})")).unwrap_or_default();
                fill(i18n.t().inbox_intro, zone)
            }}
        </p>
        <FiltersForm filters />
        <div class="list-tools">
            <p class="list-summary" role="status" aria-atomic="true">{announcement}</p>
            <button type="button" on:click=refresh>{tr(|t| t.refresh_list)}</button>
        </div>
        {body}
    }
}

/// The form that edits the filters. What is typed but not yet applied is a draft of the
/// filters in the address; when the address changes (Back, a link), the draft gives way.
#[component]
fn FiltersForm(filters: Memo<Filters>) -> impl IntoView {
    /// Edits made to the form while the address held `base`.
    #[derive(Debug, Clone, PartialEq)]
    struct Draft {
        base: Filters,
        form: FilterForm,
        errors: FormErrors,
    }

    let inbox = use_inbox();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let draft = RwSignal::new(None::<Draft>);
    let current = Memo::new(move |_| {
        let base = filters.get();
        draft.with(|draft| match draft {
            Some(draft) if draft.base == base => (draft.form.clone(), draft.errors.clone()),
            _ => (FilterForm::from(&base), FormErrors::default()),
        })
    });
    let value =
        move |field: &'static str| move || current.with(|(form, _)| form.get(field).to_owned());
    let error = move |field: &'static str| {
        Signal::derive(move || current.with(|(_, errors)| errors.field(field)))
    };
    let edit = move |field: &'static str| {
        move |ev| {
            let mut form = current.with_untracked(|(form, _)| form.clone());
            form.set(field, event_target_value(&ev));
            draft.set(Some(Draft {
                base: filters.get_untracked(),
                form,
                errors: FormErrors::default(),
            }));
        }
    };
    let inputs = [NodeRef::<html::Input>::new(), NodeRef::new()];
    let selects = [NodeRef::<html::Select>::new(), NodeRef::new()];

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let form = current.with_untracked(|(form, _)| form.clone());
        match form.parse(i18n.t_untracked()) {
            Ok(chosen) => {
                draft.set(None);
                let query = chosen.to_query();
                let href = if query.is_empty() {
                    Page::Inbox.href()
                } else {
                    format!("{}?{query}", Page::Inbox.href())
                };
                let options = NavigateOptions {
                    resolve: false,
                    scroll: false,
                    ..NavigateOptions::default()
                };
                navigate(&href, options);
            }
            Err(errors) => {
                let focused = match errors.first_invalid(&FIELDS) {
                    Some("status") => selects[0].get_untracked().map(|el| el.focus()),
                    Some("reason") => selects[1].get_untracked().map(|el| el.focus()),
                    Some("from") => inputs[0].get_untracked().map(|el| el.focus()),
                    Some(_) => inputs[1].get_untracked().map(|el| el.focus()),
                    None => None,
                };
                drop(focused);
                draft.set(Some(Draft {
                    base: filters.get_untracked(),
                    form,
                    errors,
                }));
            }
        }
    };

    let status_options = RequestStatus::ALL
        .into_iter()
        .map(|status| {
            let name = status.as_str();
            view! {
                <option value=name prop:selected=move || value("status")() == name>
                    {move || status_label(status, i18n.t())}
                </option>
            }
        })
        .collect_view();
    // The configured reasons, and the one in the address should it not be configured (any
    // more), so the control always shows what the list is filtered by.
    let reason_options = move || {
        let lang = i18n.lang();
        let mut reasons = inbox.map(|inbox| inbox.reasons(lang)).unwrap_or_default();
        let chosen = value("reason")();
        if !chosen.is_empty() && !reasons.iter().any(|(id, _)| *id == chosen) {
            reasons.push((chosen.clone(), chosen));
        }
        reasons
            .into_iter()
            .map(|(id, label)| {
                let selected = id.clone();
                view! {
                    <option value=id prop:selected=move || value("reason")() == selected>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let date_field =
        move |field: &'static str, id: &'static str, label: Text, node: NodeRef<html::Input>| {
            let error_id = format!("{id}-error");
            sync_value(node, value(field));
            let described = {
                let error_id = error_id.clone();
                move || described_by(None, &error_id, error(field).with(Option::is_some))
            };
            view! {
                <div class="field">
                    <label for=id>{tr(label)}</label>
                    <input
                        id=id
                        name=field
                        type="date"
                        node_ref=node
                        on:change=edit(field)
                        on:input=edit(field)
                        aria-invalid=move || error(field).with(Option::is_some).then_some("true")
                        aria-describedby=described
                    />
                    <FieldError id=error_id error=error(field) />
                </div>
            }
        };
    let clear = move || {
        (!filters.with(Filters::is_empty)).then(|| {
            view! {
                <A href=Page::Inbox.href() scroll=false>
                    {tr(|t| t.clear_filters)}
                </A>
            }
        })
    };
    let form_status = move || current.with(|(_, errors)| errors.summary.clone());

    view! {
        <form class="filters" aria-labelledby="filters-heading" novalidate=true on:submit=submit>
            <h2 id="filters-heading">{tr(|t| t.filter_requests)}</h2>
            <div class="filter-fields">
                <div class="field">
                    <label for="filter-status">{tr(|t| t.status)}</label>
                    <select
                        id="filter-status"
                        name="status"
                        node_ref=selects[0]
                        on:change=edit("status")
                    >
                        <option value="" prop:selected=move || value("status")().is_empty()>
                            {tr(|t| t.any_status)}
                        </option>
                        {status_options}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-reason">{tr(|t| t.reason)}</label>
                    <select
                        id="filter-reason"
                        name="reason"
                        node_ref=selects[1]
                        on:change=edit("reason")
                    >
                        <option value="" prop:selected=move || value("reason")().is_empty()>
                            {tr(|t| t.any_reason)}
                        </option>
                        {reason_options}
                    </select>
                </div>
                {date_field("from", "filter-from", |t| t.received_from, inputs[0])}
                {date_field("to", "filter-to", |t| t.received_to, inputs[1])}
            </div>
            <div class="form-status" aria-live="polite" aria-atomic="true">{form_status}</div>
            <div class="inline-controls">
                <button type="submit" class="primary">{tr(|t| t.apply_filters)}</button>
                {clear}
            </div>
        </form>
    }
}

/// The requests table.
#[component]
fn InboxTable(
    rows: Memo<Vec<InboxItem>>,
    now: RwSignal<i64>,
    target_hours: Memo<u32>,
    time_zone: Signal<Option<String>>,
    filters: Memo<Filters>,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption = move || {
        let t = i18n.t();
        let shown = plural(rows.with(Vec::len) as u64, t.requests_one, t.requests_many);
        let caption = if filters.with(Filters::is_empty) {
            t.caption_all
        } else {
            t.caption_filtered
        };
        fill(caption, shown)
    };
    let empty = move || {
        rows.with(Vec::is_empty).then(|| {
            let text = if filters.with(Filters::is_empty) {
                tr(|t| t.empty_inbox)
            } else {
                tr(|t| t.empty_filtered)
            };
            view! { <p>{text}</p> }
        })
    };
    view! {
        <div class="table-scroll" role="region" aria-labelledby="inbox-caption" tabindex="0">
            <table class="inbox">
                <caption id="inbox-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|t| t.received)}</th>
                        <th scope="col">{tr(|t| t.waiting)}</th>
                        <th scope="col">{tr(|t| t.status)}</th>
                        <th scope="col">{tr(|t| t.reason)}</th>
                        <th scope="col">{tr(|t| t.name)}</th>
                        <th scope="col">{tr(|t| t.visit_type)}</th>
                        <th scope="col">{tr(|t| t.first_preferred_time)}</th>
                        <th scope="col" class="number">{tr(|t| t.attached_items)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.get()
                        key=|item| (item.id.clone(), item.updated_at, item.status)
                        children=move |item| {
                            view! { <InboxRow item now target_hours time_zone filters /> }
                        }
                    />
                </tbody>
            </table>
        </div>
        {empty}
    }
}

#[component]
fn InboxRow(
    item: InboxItem,
    now: RwSignal<i64>,
    target_hours: Memo<u32>,
    time_zone: Signal<Option<String>>,
    filters: Memo<Filters>,
) -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let received_at = item.received_at;
    let received = move || date_time_in(received_at, time_zone.get().as_deref(), i18n.lang());
    let waiting = {
        let item = item.clone();
        move || {
            let at = now.get();
            let t = i18n.t();
            match waiting_ms(&item, at) {
                None => view! { <span class="muted">{t.answered}</span> }.into_any(),
                Some(waited) if is_overdue(&item, at, target_hours.get()) => view! {
                    <strong class="overdue">{fill(t.overdue, duration_text(waited, t))}</strong>
                }
                .into_any(),
                Some(waited) => duration_text(waited, t).into_any(),
            }
        }
    };
    let status_class = format!("request-status status-{}", item.status.as_str());
    let href = RequestPage(&item.id).href();
    // Remembers the filters, so the request's page can lead back to the same list.
    let remember_filters = move |_| {
        if let Some(inbox) = inbox {
            inbox
                .list_query
                .set_value(filters.with_untracked(Filters::to_query));
        }
    };
    let attachments = item.attachments;
    let status = item.status;
    let visit_type = item.visit_type;
    // The patient's own words (and name) are in their language; a configured reason is
    // shown in the console's.
    let lang = item.language.tag();
    let reason_lang = item.reason_id.is_none().then_some(lang);
    let reason = {
        let (reason_id, listed) = (item.reason_id.clone(), item.reason.clone());
        move || {
            reason_id
                .as_ref()
                .and_then(|id| inbox.and_then(|inbox| inbox.reason_label(id, i18n.lang())))
                .unwrap_or_else(|| listed.clone())
        }
    };
    view! {
        <tr class:is-new=item.status == RequestStatus::New>
            <td>
                <time datetime=iso(received_at)>{received}</time>
            </td>
            <td>{waiting}</td>
            <td>
                <span class=status_class>{move || status_label(status, i18n.t())}</span>
            </td>
            <td lang=reason_lang>{reason}</td>
            <th scope="row" lang=lang>
                <A href=href on:click=remember_filters>
                    {item.name}
                </A>
            </th>
            <td>{move || visit_type_label(visit_type, i18n.t())}</td>
            <td>{item.first_window.map(|window| view! { <Window window /> })}</td>
            <td class="number">{attachments}</td>
        </tr>
    }
}

/// A preferred time: "Tue, 8 Dec 2026, 09:00–11:00".
#[component]
pub(super) fn Window(window: TimeWindow) -> impl IntoView {
    let day = Date::parse(&window.date);
    view! {
        {match day {
            Some(day) => view! { <DayTime day weekday=true /> }.into_any(),
            None => window.date.clone().into_any(),
        }}
        ", " {window.from} "–" {window.to}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::catalog;

    fn inbox(items: usize, new_count: u64) -> Inbox {
        let item = InboxItem {
            id: "r".into(),
            status: RequestStatus::New,
            received_at: 0,
            updated_at: 0,
            reason_id: None,
            reason: "Check-up".into(),
            name: "Lan".into(),
            language: haven_api::lang::Lang::Vi,
            visit_type: haven_api::appointments::VisitType::Phone,
            first_window: None,
            attachments: 0,
        };
        Inbox {
            items: vec![item; items],
            new_count,
            response_target_hours: 24,
        }
    }

    #[test]
    fn the_summary_says_how_many_are_shown_new_and_overdue() {
        let t = catalog(haven_api::lang::Lang::En);
        assert_eq!(
            summary(&inbox(0, 0), false, 0, t),
            "There are no appointment requests yet. No new request is waiting for an answer."
        );
        assert_eq!(
            summary(&inbox(1, 3), true, 1, t),
            "1 request matches these filters. 3 new requests are waiting for an answer. 1 shown \
             request has waited longer than the clinic's target of 24 hours."
        );
        assert_eq!(
            summary(&inbox(2, 1), false, 2, t),
            "2 requests in all. 1 new request is waiting for an answer. 2 shown requests have \
             waited longer than the clinic's target of 24 hours."
        );
    }
}
