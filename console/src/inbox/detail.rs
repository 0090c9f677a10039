//! `/console/inbox/{id}`: everything one patient sent, where the request stands, its history,
//! and what staff can do about it.

use haven_api::appointments::{RequestDetail, RequestEvent, RequestStatus, Slot, TimeWindow};
use haven_api::date::Date;
use haven_api::lang::Lang;
use haven_api::record::{Entry, When};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::actions::ActionsPanel;
use super::describe::{
    actor_label, age, duration_text, entry_text, event_carries_message, event_label, is_overdue,
    status_label, tel_href, visit_type_label,
};
use super::list::{Window, now_ms};
use super::{InboxContext, use_inbox};
use crate::api;
use crate::auth::use_session;
use crate::format::{DayTime, date_time_in, iso, lang_label, today_in};
use crate::i18n::{Text, fill, tr, use_i18n};
use crate::layout::{Loading, PageHeading, Status, StatusRegion};
use crate::routes::{Page, RequestPage};

/// Where the page stands, without the request itself.
#[derive(Debug, Clone, PartialEq)]
enum PageState {
    Loading,
    Failed(api::Error),
    Ready,
}

/// What the request's parts share.
#[derive(Clone, Copy)]
pub(super) struct RequestContext {
    /// The request's id, from the address.
    pub id: Memo<String>,
    /// The request as last loaded, or as the last action left it.
    pub request: LocalResource<Result<RequestDetail, api::Error>>,
    /// What the last action did, announced in the status section.
    pub status: RwSignal<Option<Status>>,
    /// The status section's heading, where focus goes after an action.
    pub status_heading: NodeRef<html::H2>,
    /// The inbox's shared state, whose count changes with an action.
    pub inbox: Option<InboxContext>,
}

impl RequestContext {
    /// Shows the request as an action left it, and says what happened.
    pub fn updated(self, detail: RequestDetail, done: String) {
        self.request.set(Some(Ok(detail)));
        self.status.set(Status::done(done));
        if let Some(inbox) = self.inbox {
            inbox.refresh();
        }
        if let Some(heading) = self.status_heading.get_untracked() {
            _ = heading.focus();
        }
    }
}

/// The way back to the list, with the filters it had.
#[component]
fn BackLink() -> impl IntoView {
    let href = use_inbox().map_or_else(|| Page::Inbox.href(), InboxContext::list_href);
    view! {
        <p class="back">
            <A href=href>{tr(|t| t.back_to_inbox)}</A>
        </p>
    }
}

/// `/console/inbox/{id}`.
#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get(RequestPage::PARAM).unwrap_or_default()));
    let request = LocalResource::new(move || {
        let id = id.get();
        session.guard(session.reader().appointment_request(&id))
    });
    let context = RequestContext {
        id,
        request,
        status: RwSignal::new(None),
        status_heading: NodeRef::new(),
        inbox: use_inbox(),
    };
    let state = Memo::new(move |_| {
        request.with(|loaded| match loaded {
            None => PageState::Loading,
            Some(Err(error)) => PageState::Failed(error.clone()),
            Some(Ok(_)) => PageState::Ready,
        })
    });
    move || match state.get() {
        PageState::Loading => view! {
            <BackLink />
            <Loading text={|t| t.loading_request} />
        }
        .into_any(),
        PageState::Failed(error) => {
            let text = move || {
                let t = i18n.t();
                if error.status() == Some(404) {
                    t.request_not_found.to_owned()
                } else {
                    fill(t.request_failed, error.text(i18n.lang()))
                }
            };
            view! {
                <PageHeading text=move || i18n.t().appointment_request.to_owned() />
                <BackLink />
                <div class="load-error">
                    <p>{text}</p>
                    <button type="button" on:click=move |_| request.refetch()>
                        {tr(|t| t.try_again)}
                        <span class="visually-hidden">{tr(|t| t.try_again_request)}</span>
                    </button>
                </div>
            }
            .into_any()
        }
        PageState::Ready => {
            let initial = request.with_untracked(|loaded| match loaded {
                Some(Ok(detail)) => Some(detail.clone()),
                _ => None,
            });
            initial
                .map(|initial| view! { <RequestView initial context /> })
                .into_any()
        }
    }
}

/// The request, once loaded. What the patient sent never changes; where it stands and its
/// history follow each action.
#[component]
fn RequestView(initial: RequestDetail, context: RequestContext) -> impl IntoView {
    let current = Memo::new({
        let initial = initial.clone();
        move |_| {
            context
                .request
                .with(|loaded| match loaded {
                    Some(Ok(detail)) => Some(detail.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| initial.clone())
        }
    });
    let i18n = use_i18n();
    let lang = initial.request.language;
    let name = initial.request.name.trim().to_owned();
    let heading = move || fill(i18n.t().request_from, &name);
    view! {
        <PageHeading text=heading />
        <BackLink />
        <div class="request">
            <StatusSection current context />
            <AskedFor detail=initial.clone() />
            <Patient detail=initial.clone() />
            <Attachments entries=initial.request.attachments.clone() lang />
            <ActionsPanel current context />
            <History current lang />
        </div>
    }
}

/// A `<dl>` row.
#[component]
fn Item(
    /// The term, from the catalogue.
    term: Text,
    /// The description.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="item">
            <dt>{tr(term)}</dt>
            <dd>{children()}</dd>
        </div>
    }
}

/// A clinic-local slot: "Tue, 8 Dec 2026 at 14:30".
#[component]
fn SlotText(at: Slot) -> impl IntoView {
    let day = Date::parse(&at.date);
    view! {
        {match day {
            Some(day) => view! { <DayTime day weekday=true /> }.into_any(),
            None => at.date.clone().into_any(),
        }}
        {tr(|t| t.at_time)} {at.time}
    }
}

/// Where the request stands: status, the booked or offered time, the clinic's message, and
/// how long it has waited. The result of each action is announced here.
#[component]
fn StatusSection(current: Memo<RequestDetail>, context: RequestContext) -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let time_zone = Signal::derive(move || inbox.and_then(InboxContext::time_zone));
    let lang = current.with_untracked(|detail| detail.request.language);
    let status = move || current.with(|detail| detail.state.status);
    let received = move || current.with(|detail| detail.state.received_at);
    let updated = move || current.with(|detail| detail.state.updated_at);
    let waiting = move || {
        let t = i18n.t();
        current.with(|detail| {
            let now = now_ms();
            let target = inbox.and_then(InboxContext::target_hours).unwrap_or(24);
            (detail.state.status == RequestStatus::New).then(|| {
                let waited = duration_text(now - detail.state.received_at, t);
                if is_overdue(&detail.summary, now, target) {
                    let text = fill(&fill(t.overdue_waiting, waited), target);
                    view! { <strong class="overdue">{text}</strong> }.into_any()
                } else {
                    fill(t.waiting_for_answer, waited).into_any()
                }
            })
        })
    };
    let confirmed = move || {
        current
            .with(|detail| detail.state.confirmed.clone())
            .map(|slot| view! { <Item term={|t| t.booked_for}><SlotText at=slot /></Item> })
    };
    let proposed = move || {
        current
            .with(|detail| detail.state.proposed.clone())
            .filter(|_| status() == RequestStatus::Proposed)
            .map(|slot| view! { <Item term={|t| t.time_offered}><SlotText at=slot /></Item> })
    };
    let message = move || {
        current
            .with(|detail| detail.state.message.clone())
            .filter(|message| !message.trim().is_empty())
            .map(|message| {
                view! {
                    <Item term={|t| t.message_sent}>
                        <p class="patient-text" lang=lang.tag()>{message}</p>
                    </Item>
                }
            })
    };
    view! {
        <section aria-labelledby="request-status" class="request-status-section">
            <h2 id="request-status" tabindex="-1" node_ref=context.status_heading>
                {tr(|t| t.where_it_stands)}
            </h2>
            <StatusRegion status=context.status />
            <dl class="details">
                <Item term={|t| t.status}>
                    <strong class=move || format!("request-status status-{}", status().as_str())>
                        {move || status_label(status(), i18n.t())}
                    </strong>
                    {move || waiting().map(|waiting| view! { <br /> {waiting} })}
                </Item>
                {confirmed}
                {proposed}
                {message}
                <Item term={|t| t.received}>
                    <time datetime=move || iso(received())>
                        {move || date_time_in(received(), time_zone.get().as_deref(), i18n.lang())}
                    </time>
                </Item>
                <Item term={|t| t.last_change}>
                    <time datetime=move || iso(updated())>
                        {move || date_time_in(updated(), time_zone.get().as_deref(), i18n.lang())}
                    </time>
                </Item>
            </dl>
        </section>
    }
}

/// What the patient asked for.
#[component]
fn AskedFor(detail: RequestDetail) -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let request = detail.request;
    let lang = request.language.tag();
    // The configured reason in the console's language; the list's label if the configuration
    // is not loaded or no longer has it.
    let reason_id = request.reason_id.clone();
    let fallback = detail.summary.reason.clone();
    let chosen_reason = move || {
        reason_id.as_ref().map(|id| {
            inbox
                .and_then(|inbox| inbox.reason_label(id, i18n.lang()))
                .unwrap_or_else(|| fallback.clone())
        })
    };
    let has_reason_id = request.reason_id.is_some();
    let reason_text = request.reason_text.trim().to_owned();
    let own_words = (!reason_text.is_empty()).then(|| {
        let term: Text = if has_reason_id {
            |t| t.in_their_words
        } else {
            |t| t.reason_in_their_words
        };
        view! {
            <Item term>
                <p class="patient-text" lang=lang>{reason_text.clone()}</p>
            </Item>
        }
    });
    let windows = request.windows.clone();
    let notes = request.notes.trim().to_owned();
    view! {
        <section aria-labelledby="asked-for">
            <h2 id="asked-for">{tr(|t| t.asked_for)}</h2>
            <dl class="details">
                {has_reason_id.then(|| view! { <Item term={|t| t.reason}>{chosen_reason}</Item> })}
                {own_words}
                <Item term={|t| t.preferred_times}>
                    <PreferredTimes windows />
                </Item>
                <Item term={|t| t.visit_type}>
                    {move || visit_type_label(request.visit_type, i18n.t())}
                </Item>
                <Item term={|t| t.seen_before}>
                    {if request.new_patient {
                        tr(|t| t.new_patient)
                    } else {
                        tr(|t| t.returning_patient)
                    }}
                </Item>
                <Item term={|t| t.notes}>
                    {if notes.is_empty() {
                        view! { <span class="muted">{tr(|t| t.none)}</span> }.into_any()
                    } else {
                        view! { <p class="patient-text" lang=lang>{notes}</p> }.into_any()
                    }}
                </Item>
            </dl>
        </section>
    }
}

/// The preferred windows, in the patient's order.
#[component]
pub(super) fn PreferredTimes(windows: Vec<TimeWindow>) -> impl IntoView {
    if windows.is_empty() {
        return view! { <span class="muted">{tr(|t| t.none_given)}</span> }.into_any();
    }
    view! {
        <ol class="windows">
            {windows
                .into_iter()
                .map(|window| view! { <li><Window window /></li> })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// Who the patient is and how to reach them.
#[component]
fn Patient(detail: RequestDetail) -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let request = detail.request;
    let lang = request.language;
    let birth = Date::parse(&request.birth_date);
    let birth_view = match birth {
        Some(birth) => {
            let zone = inbox.and_then(|inbox| untrack(move || inbox.time_zone()));
            let years = age(birth, today_in(zone.as_deref()));
            view! {
                <DayTime day=birth />
                {move || years.map(|years| fill(i18n.t().age, years))}
            }
            .into_any()
        }
        None => request.birth_date.clone().into_any(),
    };
    let phone = request.phone.trim().to_owned();
    let email = request.email.trim().to_owned();
    view! {
        <section aria-labelledby="patient">
            <h2 id="patient">{tr(|t| t.patient)}</h2>
            <dl class="details">
                <Item term={|t| t.name}>
                    <span lang=lang.tag()>{request.name.clone()}</span>
                </Item>
                <Item term={|t| t.date_of_birth}>{birth_view}</Item>
                <Item term={|t| t.phone}>
                    <a href=tel_href(&phone)>{phone.clone()}</a>
                </Item>
                <Item term={|t| t.email}>
                    {if email.is_empty() {
                        view! { <span class="muted">{tr(|t| t.not_given)}</span> }.into_any()
                    } else {
                        view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }.into_any()
                    }}
                </Item>
                <Item term={|t| t.answer_in}>{move || lang_label(lang, i18n.t())}</Item>
            </dl>
        </section>
    }
}

/// When a record item is dated: "2 Dec 2026", or "2 Dec 2026, 07:30" as the patient's clock
/// read.
#[component]
fn EntryDate(when: When) -> impl IntoView {
    match when {
        When::Date(day) => view! { <DayTime day /> }.into_any(),
        When::DateTime(moment) => {
            let (hour, minute, _) = moment.time();
            view! {
                <DayTime day=moment.date() />
                {format!(", {hour:02}:{minute:02}")}
            }
            .into_any()
        }
    }
}

/// The record items the patient chose to share.
#[component]
fn Attachments(entries: Vec<Entry>, lang: Lang) -> impl IntoView {
    let i18n = use_i18n();
    let count = entries.len();
    let heading = move || {
        let t = i18n.t();
        match count {
            0 => t.shared_from_record.to_owned(),
            n => format!("{} ({n})", t.shared_from_record),
        }
    };
    let body = if entries.is_empty() {
        view! { <p>{tr(|t| t.nothing_shared)}</p> }.into_any()
    } else {
        let items = entries
            .into_iter()
            .map(|entry| {
                let date = entry.date;
                // The console's words follow its language; the patient's stay as written.
                let described = move || {
                    let text = entry_text(&entry, i18n.t());
                    let value = (!text.value.is_empty()).then(|| {
                        let lang = text.patient_words.then_some(lang.tag());
                        view! { " " <span lang=lang>{text.value}</span> }
                    });
                    let note = text.note.map(|note| format!(" ({note})"));
                    view! {
                        <strong>{text.kind}</strong>
                        {value}
                        {note}
                    }
                };
                view! {
                    <li>
                        {described}
                        ", "
                        <EntryDate when=date />
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="hint">{tr(|t| t.attachments_hint)}</p>
            <ul class="attachments">{items}</ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="attachments">
            <h2 id="attachments">{heading}</h2>
            {body}
        </section>
    }
}

/// The request's history, oldest first.
#[component]
fn History(current: Memo<RequestDetail>, lang: Lang) -> impl IntoView {
    let inbox = use_inbox();
    let i18n = use_i18n();
    let time_zone = Signal::derive(move || inbox.and_then(InboxContext::time_zone));
    let events = move || current.with(|detail| detail.events.clone());
    view! {
        <section aria-labelledby="history">
            <h2 id="history">{tr(|t| t.history)}</h2>
            <ol class="history">
                <For
                    each=events
                    key=|event| (event.at, event.action.clone(), event.actor.clone())
                    children=move |event: RequestEvent| {
                        let detail_lang = event_carries_message(&event.action).then_some(lang.tag());
                        let detail = event
                            .detail
                            .clone()
                            .filter(|detail| !detail.trim().is_empty())
                            .map(|detail| {
                                view! { <p class="patient-text" lang=detail_lang>{detail}</p> }
                            });
                        let at = event.at;
                        let what = move || {
                            let t = i18n.t();
                            let who = actor_label(&event.actor, t);
                            format!(" · {} · {}", event_label(&event.action, t), fill(t.by, who))
                        };
                        view! {
                            <li>
                                <time datetime=iso(at)>
                                    {move || {
                                        date_time_in(at, time_zone.get().as_deref(), i18n.lang())
                                    }}
                                </time>
                                {what}
                                {detail}
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}
