//! "My requests": every appointment request in the outbox, newest first, with where it
//! stands in plain words and what the patient can do about it (send now, withdraw, accept or
//! decline another time, fix and resend a refused one).
//!
//! The list is the outbox's (re-read whenever it changes). The status of a delivered request
//! is the newer of the server's first answer (kept by the outbox) and the last one fetched
//! (`GET /api/appointment-requests/{id}` with the request's secret): fetched when the section
//! opens, when the connection returns and every 60 s while it is open, unless offline, and
//! stored on the device (see [`super::draft`]) so it shows offline too.

use std::collections::BTreeMap;

use haven_api::appointments::{PatientAction, PatientAnswer, RequestState, RequestStatus, Slot};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::draft::{self, ENDPOINT, KIND, KIND_UNDO, Keep, from_json, latest};
use super::text::{self, t};
use super::{Shared, focus_by_id, use_shared};
use crate::api::{self, ApiClientError};
use crate::clinic::use_clinic;
use crate::i18n::fill;
use crate::intl;
use crate::outbox::{self, OutboxItem, policy::State};

/// How often the statuses are fetched while the section is open.
const REFRESH_SECONDS: u64 = 60;

/// Where a request stands, as the patient reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wording {
    /// Waiting in the outbox while the device is offline.
    Offline,
    /// Waiting in the outbox.
    Waiting,
    /// Not sent after days of trying: waits for the patient.
    Paused,
    /// The patient cancelled a request that may have reached the clinic: its withdrawal waits
    /// to be sent.
    Withdrawing,
    /// Being sent.
    Sending,
    /// Delivered; no status known yet.
    Sent,
    /// The server refused it.
    Refused,
    /// Received, not yet handled.
    Received,
    /// The clinic contacted the patient.
    Contacted,
    /// Booked, for the time if given.
    Confirmed(Option<Slot>),
    /// The clinic suggests another time.
    Proposed(Option<Slot>),
    /// The clinic cannot book it.
    Declined,
    /// The patient withdrew it.
    Withdrawn,
}

/// The wording for an outbox state, the connection, and the last known status; `undo` for
/// the withdrawal that replaces a request cancelled after it may have reached the clinic.
pub fn wording(state: State, online: bool, known: Option<&RequestState>, undo: bool) -> Wording {
    match state {
        State::Waiting | State::Sending | State::Paused | State::Rejected if undo => {
            Wording::Withdrawing
        }
        State::Waiting if !online => Wording::Offline,
        State::Waiting => Wording::Waiting,
        // Not sent for days: the Send now button asks the patient to try again.
        State::Paused => Wording::Paused,
        State::Sending => Wording::Sending,
        State::Rejected => Wording::Refused,
        State::Delivered => match known {
            None => Wording::Sent,
            Some(known) => match known.status {
                RequestStatus::New => Wording::Received,
                RequestStatus::Contacted => Wording::Contacted,
                RequestStatus::Confirmed => Wording::Confirmed(known.confirmed.clone()),
                RequestStatus::Proposed => Wording::Proposed(known.proposed.clone()),
                RequestStatus::Declined => Wording::Declined,
                RequestStatus::Withdrawn => Wording::Withdrawn,
            },
        },
    }
}

/// What the patient can do with a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actions {
    /// Send it now (it is waiting and the device is online).
    pub send_now: bool,
    /// Cancel it (not sent yet, or refused).
    pub cancel: bool,
    /// Withdraw it.
    pub withdraw: bool,
    /// Accept or decline the time the clinic proposes.
    pub answer: bool,
    /// Reopen the form with what was sent, to fix and send again.
    pub fix: bool,
}

/// The actions open for an outbox state, the connection, and the last known status; `undo`
/// for a withdrawal waiting to be sent.
pub fn actions(state: State, online: bool, known: Option<&RequestState>, undo: bool) -> Actions {
    let status = known
        .filter(|_| state == State::Delivered)
        .map(|known| known.status);
    Actions {
        send_now: matches!(state, State::Waiting | State::Paused) && online,
        cancel: matches!(state, State::Waiting | State::Paused | State::Rejected) && !undo,
        withdraw: status.is_some_and(RequestStatus::can_withdraw),
        answer: status == Some(RequestStatus::Proposed),
        fix: state == State::Rejected && !undo,
    }
}

/// The appointment requests (and withdrawals replacing cancelled ones) among outbox items,
/// newest first.
pub fn requests(mut items: Vec<OutboxItem>) -> Vec<OutboxItem> {
    items.retain(|item| item.kind == KIND || item.kind == KIND_UNDO);
    items.sort_by(|a, b| b.created_at.total_cmp(&a.created_at));
    items
}

/// Whether the browser believes it is online, following `online`/`offline` events.
fn online_signal() -> ReadSignal<bool> {
    let (online, set_online) = signal(window().navigator().on_line());
    let on = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}

/// The last fetched state of each request, by id.
type Fetched = RwSignal<BTreeMap<String, RequestState>>;

/// Records a fetched state, in memory (if it changed) and on the device.
async fn remember(fetched: Fetched, state: RequestState) {
    let changed = fetched
        .try_with_untracked(|known| known.get(&state.id) != Some(&state))
        .unwrap_or(false);
    if changed {
        fetched.try_update(|known| known.insert(state.id.clone(), state));
    }
    store(fetched).await;
}

/// Writes the known states to the device, dropping those of requests no longer in the outbox.
async fn store(fetched: Fetched) {
    let Some(states) = fetched.try_with_untracked(|known| known.values().cloned().collect()) else {
        return;
    };
    let alive: Vec<String> = outbox::list()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|item| item.id)
        .collect();
    let _ = draft::save_states(states, &alive).await;
}

/// Fetches the status of every delivered request that may still change, unless offline.
async fn refresh(fetched: Fetched) {
    if !window().navigator().on_line() {
        return;
    }
    let Ok(items) = outbox::list().await else {
        return;
    };
    for item in requests(items) {
        if item.state != State::Delivered || item.kind != KIND {
            continue;
        }
        let Some(keep) = from_json::<Keep>(&item.keep) else {
            continue;
        };
        let settled = fetched
            .try_with_untracked(|known| known.get(&keep.id).map(|s| s.status.is_final()))
            .flatten()
            .unwrap_or(false);
        if settled {
            continue;
        }
        let path = format!("{ENDPOINT}/{}", keep.id);
        if let Ok(state) = api::get_with_bearer::<RequestState>(&path, &keep.secret).await {
            remember(fetched, state).await;
        }
    }
}

/// "My requests" on the section's home page.
#[component]
pub fn MyRequests() -> impl IntoView {
    let items = RwSignal::new(None::<Vec<OutboxItem>>);
    Effect::new(move |_| {
        outbox::revision();
        spawn_local(async move {
            if let Ok(list) = outbox::list().await {
                items.try_set(Some(requests(list)));
            }
        });
    });
    let fetched: Fetched = RwSignal::new(BTreeMap::new());
    spawn_local(async move {
        if let Ok(states) = draft::load_states().await {
            fetched.try_update(|known| {
                for state in states {
                    known.entry(state.id.clone()).or_insert(state);
                }
            });
        }
        refresh(fetched).await;
    });
    let timer = set_interval_with_handle(
        move || spawn_local(refresh(fetched)),
        std::time::Duration::from_secs(REFRESH_SECONDS),
    );
    let back_online = window_event_listener(leptos::ev::online, move |_| {
        spawn_local(refresh(fetched));
    });
    on_cleanup(move || {
        if let Ok(timer) = timer {
            timer.clear();
        }
        back_online.remove();
    });
    let online = online_signal();
    let list = move || {
        let items = items.get()?;
        if items.is_empty() {
            return Some(view! { <p class="muted">{t().no_requests}</p> }.into_any());
        }
        let online = online.get();
        let rows = fetched.with(|known| {
            items
                .into_iter()
                .map(|item| {
                    let keep = from_json::<Keep>(&item.keep);
                    let answer = item.response.as_deref().and_then(from_json);
                    let stored = keep.as_ref().and_then(|k| known.get(&k.id).cloned());
                    let known = latest(answer, stored);
                    view! { <RequestRow item keep known online fetched/> }
                })
                .collect_view()
        });
        Some(view! { <ul class="outbox">{rows}</ul> }.into_any())
    };
    view! {
        <section aria-labelledby="requests-heading">
            <h2 id="requests-heading" tabindex="-1">{t().my_requests}</h2>
            {list}
        </section>
    }
}

/// The status sentence for a wording, in the patient's language.
fn status_text(wording: &Wording, tag: &str) -> String {
    let t = t();
    match wording {
        Wording::Offline => t.status_offline.to_owned(),
        Wording::Waiting => t.status_waiting.to_owned(),
        Wording::Paused => t.status_paused.to_owned(),
        Wording::Withdrawing => t.status_withdrawing.to_owned(),
        Wording::Sending => t.status_sending.to_owned(),
        Wording::Sent => t.status_sent.to_owned(),
        Wording::Refused => t.status_refused.to_owned(),
        Wording::Received => t.status_received.to_owned(),
        Wording::Contacted => t.status_contacted.to_owned(),
        Wording::Confirmed(Some(slot)) => fill(t.status_confirmed_at, &text::slot(tag, slot)),
        Wording::Confirmed(None) => t.status_confirmed.to_owned(),
        Wording::Proposed(Some(slot)) => fill(t.status_proposed_at, &text::slot(tag, slot)),
        Wording::Proposed(None) => t.status_proposed.to_owned(),
        Wording::Declined => t.status_declined.to_owned(),
        Wording::Withdrawn => t.status_withdrawn.to_owned(),
    }
}

/// One request: what it is for, where it stands, and what can be done.
#[component]
fn RequestRow(
    item: OutboxItem,
    keep: Option<Keep>,
    known: Option<RequestState>,
    online: bool,
    fetched: Fetched,
) -> impl IntoView {
    let shared = use_shared();
    let clinic = use_clinic();
    let tag = crate::i18n::use_i18n().locale_untracked().tag();
    let lang = crate::i18n::current_lang();
    let undo = item.kind == KIND_UNDO;
    let wording = wording(item.state, online, known.as_ref(), undo);
    let can = actions(item.state, online, known.as_ref(), undo);
    // What the request is for: from the summary once delivered, else from the payload.
    let summary = keep.clone().or_else(|| {
        from_json::<draft::Incoming>(&item.payload)
            .map(|sent| Keep::of(&draft::Draft::from(sent), &item.id, ""))
    });
    let title = summary.as_ref().map_or_else(
        || t().request_untitled.to_owned(),
        |summary| {
            let label = summary.reason_id.as_ref().and_then(|id| {
                clinic.config_untracked().and_then(|config| {
                    config
                        .appointment_reasons
                        .into_iter()
                        .find(|r| &r.id == id)
                        .map(|r| haven_api::config::pick(&r.label, lang).to_owned())
                })
            });
            label
                .or_else(|| Some(summary.reason.clone()).filter(|r| !r.is_empty()))
                .unwrap_or_else(|| t().request_untitled.to_owned())
        },
    );
    let details = summary.as_ref().map(|summary| {
        let mut parts = vec![text::visit_type(summary.visit_type).to_owned()];
        if let Some(window) = &summary.window {
            parts.insert(0, fill(t().preferred, &text::window(tag, window)));
        }
        parts.join(" · ")
    });
    let sent_on = fill(t().requested_on, &intl::date_time(tag, item.created_at));
    let message = known
        .as_ref()
        .and_then(|k| k.message.clone())
        .filter(|m| !m.trim().is_empty())
        .filter(|_| {
            matches!(
                wording,
                Wording::Declined | Wording::Proposed(_) | Wording::Confirmed(_)
            )
        });
    let refused = (item.state == State::Rejected).then(|| item.last_error.clone());
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let heading_id = format!("request-{}", item.id);

    let id = item.id.clone();
    let cancel = move |_| {
        let id = id.clone();
        spawn_local(async move {
            match outbox::cancel(&id).await {
                Ok(Some(outbox::policy::Cancel::Remove)) => shared.announce(t().cancelled_done),
                Ok(Some(outbox::policy::Cancel::Undo)) => shared.announce(t().cancel_undo_done),
                Ok(None) => shared.announce(t().action_outdated),
                Err(_) => shared.announce(t().action_failed),
            }
        });
    };
    let id = item.id.clone();
    let send_now = move |_| {
        let id = id.clone();
        spawn_local(async move {
            let _ = outbox::retry(&id).await;
        });
    };
    let answer = {
        let keep = keep.clone();
        move |action: PatientAction| {
            let Some(keep) = keep.clone() else { return };
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            spawn_local(async move {
                let result = send_answer(&keep, action).await;
                busy.try_set(false);
                match result {
                    Ok(state) => {
                        shared.announce(match action {
                            PatientAction::Withdraw => t().withdrawn_done,
                            PatientAction::AcceptProposal => t().accepted_done,
                            PatientAction::DeclineProposal => t().declined_done,
                        });
                        remember(fetched, state).await;
                    }
                    Err(ApiClientError::Network(_)) => shared.announce(t().action_offline),
                    Err(ApiClientError::Api {
                        status: 409 | 422, ..
                    }) => {
                        shared.announce(t().action_outdated);
                        refresh(fetched).await;
                    }
                    Err(_) => shared.announce(t().action_failed),
                }
            });
        }
    };
    let fix = {
        let payload = item.payload.clone();
        let id = item.id.clone();
        move |_| fix_and_resend(shared, &payload, &id)
    };
    let withdraw = answer.clone();
    let accept = answer.clone();
    let decline = answer;

    view! {
        <li class="outbox-item">
            <h3 id=heading_id>{title}</h3>
            {details.map(|details| view! { <p>{details}</p> })}
            <p class="muted">{sent_on}</p>
            <p><strong>{status_text(&wording, tag)}</strong></p>
            {message.map(|message| view! { <p class="note">{fill(t().clinic_message, &message)}</p> })}
            {refused.map(|error| view! {
                <p>{t().refused_help}</p>
                {error.map(|error| view! {
                    <details>
                        <summary>{t().refused_details}</summary>
                        <p>{error}</p>
                    </details>
                })}
            })}
            <div class="actions">
                {can.send_now.then(|| view! {
                    <button type="button" on:click=send_now>{t().send_now}</button>
                })}
                {can.answer.then(|| view! {
                    <button type="button" aria-disabled=move || busy.get().then_some("true")
                        on:click=move |_| accept(PatientAction::AcceptProposal)>{t().accept}</button>
                    <button type="button" class="secondary" aria-disabled=move || busy.get().then_some("true")
                        on:click=move |_| decline(PatientAction::DeclineProposal)>{t().decline}</button>
                })}
                {can.fix.then(|| view! {
                    <button type="button" on:click=fix>{t().fix_and_resend}</button>
                })}
                {can.cancel.then(|| view! {
                    <button type="button" class="secondary" on:click=cancel>{t().cancel_request}</button>
                })}
                {can.withdraw.then(|| {
                    let withdraw = withdraw.clone();
                    move || if confirming.get() {
                        let withdraw = withdraw.clone();
                        view! {
                            <p>{t().withdraw_confirm}</p>
                            <button type="button" aria-disabled=move || busy.get().then_some("true")
                                on:click=move |_| withdraw(PatientAction::Withdraw)>{t().withdraw_yes}</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t().withdraw_no}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| confirming.set(true)>{t().withdraw}</button>
                        }.into_any()
                    }
                })}
            </div>
        </li>
    }
}

/// `POST /api/appointment-requests/{id}/answer` with the request's secret.
async fn send_answer(keep: &Keep, action: PatientAction) -> Result<RequestState, ApiClientError> {
    let body = api::to_json(&PatientAnswer {
        action,
        secret: None,
    })?;
    let path = format!("{ENDPOINT}/{}/answer", keep.id);
    api::post_with_bearer(&path, &body, &keep.secret).await
}

/// Puts a refused request's values back in the form; sending it makes a new request and
/// removes the refused one.
fn fix_and_resend(shared: Shared, payload: &str, id: &str) {
    let Some(sent) = from_json::<draft::Incoming>(payload) else {
        shared.announce(t().fix_unreadable);
        return;
    };
    let draft: draft::Draft = sent.into();
    shared
        .chosen
        .set(draft.attachments.iter().cloned().collect());
    shared.draft.set(draft);
    shared.replaces.set(Some(id.to_owned()));
    shared.restored.set(false);
    shared.errors.set(Vec::new());
    shared.announce(t().fix_ready);
    focus_by_id("request-heading");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: RequestStatus) -> RequestState {
        RequestState {
            id: "id".into(),
            status,
            received_at: 1,
            updated_at: 2,
            confirmed: None,
            proposed: None,
            message: None,
        }
    }

    fn slot() -> Slot {
        Slot {
            date: "2026-12-08".into(),
            time: "14:30".into(),
        }
    }

    #[test]
    fn a_waiting_request_says_whether_the_device_is_offline() {
        assert_eq!(
            wording(State::Waiting, false, None, false),
            Wording::Offline
        );
        assert_eq!(wording(State::Waiting, true, None, false), Wording::Waiting);
        assert!(actions(State::Waiting, true, None, false).send_now);
        assert!(!actions(State::Waiting, false, None, false).send_now);
    }

    #[test]
    fn a_delivered_request_reads_its_status() {
        assert_eq!(wording(State::Delivered, true, None, false), Wording::Sent);
        let new = state(RequestStatus::New);
        assert_eq!(
            wording(State::Delivered, false, Some(&new), false),
            Wording::Received
        );
        let mut confirmed = state(RequestStatus::Confirmed);
        confirmed.confirmed = Some(slot());
        assert_eq!(
            wording(State::Delivered, true, Some(&confirmed), false),
            Wording::Confirmed(Some(slot()))
        );
        let mut proposed = state(RequestStatus::Proposed);
        proposed.proposed = Some(slot());
        assert_eq!(
            wording(State::Delivered, true, Some(&proposed), false),
            Wording::Proposed(Some(slot()))
        );
        assert_eq!(
            wording(
                State::Delivered,
                true,
                Some(&state(RequestStatus::Declined)),
                false
            ),
            Wording::Declined
        );
    }

    #[test]
    fn withdraw_is_offered_while_the_status_allows_and_answers_only_for_a_proposal() {
        let new = state(RequestStatus::New);
        let proposed = state(RequestStatus::Proposed);
        let confirmed = state(RequestStatus::Confirmed);
        assert_eq!(
            actions(State::Delivered, true, Some(&new), false),
            Actions {
                withdraw: true,
                ..Actions::default()
            }
        );
        assert_eq!(
            actions(State::Delivered, true, Some(&proposed), false),
            Actions {
                withdraw: true,
                answer: true,
                ..Actions::default()
            }
        );
        assert_eq!(
            actions(State::Delivered, true, Some(&confirmed), false),
            Actions::default()
        );
        assert_eq!(
            actions(State::Delivered, true, None, false),
            Actions::default()
        );
    }

    #[test]
    fn a_refused_request_can_be_fixed_and_nothing_else() {
        assert_eq!(
            wording(State::Rejected, true, None, false),
            Wording::Refused
        );
        assert_eq!(
            actions(State::Rejected, true, None, false),
            Actions {
                fix: true,
                cancel: true,
                ..Actions::default()
            }
        );
    }

    #[test]
    fn a_paused_request_can_be_sent_now_and_a_withdrawal_only_says_so() {
        assert_eq!(wording(State::Paused, true, None, false), Wording::Paused);
        assert!(actions(State::Paused, true, None, false).send_now);
        assert_eq!(
            wording(State::Waiting, false, None, true),
            Wording::Withdrawing
        );
        let undo = actions(State::Waiting, true, None, true);
        assert!(undo.send_now && !undo.cancel && !undo.fix);
        let withdrawn = state(RequestStatus::Withdrawn);
        assert_eq!(
            wording(State::Delivered, true, Some(&withdrawn), true),
            Wording::Withdrawn
        );
    }

    #[test]
    fn only_appointment_requests_are_listed_newest_first() {
        let item = |id: &str, kind: &str, created_at: f64| OutboxItem {
            id: id.into(),
            kind: kind.into(),
            endpoint: ENDPOINT.into(),
            payload: String::new(),
            keep: String::new(),
            created_at,
            attempts: 0,
            last_error: None,
            undo_endpoint: String::new(),
            undo_payload: String::new(),
            state: State::Waiting,
            state_at: 0.0,
            response: None,
        };
        let listed = requests(vec![
            item("old", KIND, 1.0),
            item("post", "forum_post", 5.0),
            item("new", KIND, 3.0),
        ]);
        let ids: Vec<&str> = listed.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["new", "old"]);
    }
}
