//! Trends: a line chart per measurement over a chosen period, drawn as SVG here (no chart
//! script from elsewhere), with the reference range shaded, every point labelled, a text
//! summary, and the same readings as a data table for anyone who cannot see the chart.

use std::collections::HashMap;

use haven_api::record::trend::{Chart, Line, Metric, Span, Trend, chart, trend};
use leptos::prelude::*;

use super::data::use_record;
use super::describe::{kind_name, lower, when_text};
use super::{Page, follow, t, today, use_state};
use crate::i18n::fill;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;

/// The trends page.
#[component]
pub fn TrendsPage() -> impl IntoView {
    let record = use_record();
    let metric = RwSignal::new(Metric::BloodPressure);
    let span = RwSignal::new(Span::Quarter);
    let current = Memo::new(move |_| {
        let (metric, span) = (metric.get(), span.get());
        record
            .entries
            .with(|entries| trend(entries, metric, span, today()))
    });
    view! {
        <h1 tabindex="-1">{t().trends_heading}</h1>
        <div class="trend-controls">
            <fieldset>
                <legend>{t().trend_metric}</legend>
                {Metric::ALL.iter().map(|m| {
                    let m = *m;
                    let id = format!("metric-{}", m.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" name="trend-metric" id=id.clone() value=m.as_str()
                                prop:checked=move || metric.get() == m on:change=move |_| metric.set(m)/>
                            <label for=id>{metric_name(m)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t().trend_span}</legend>
                {Span::ALL.iter().map(|s| {
                    let s = *s;
                    let id = format!("span-{}", s.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" name="trend-span" id=id.clone() value=s.as_str()
                                prop:checked=move || span.get() == s on:change=move |_| span.set(s)/>
                            <label for=id>{span_name(s)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        </div>
        {move || {
            let trend = current.get();
            if trend.series.iter().all(|series| series.points.is_empty()) {
                let page = Page::Add(trend.metric.kind());
                let href = page.path();
                view! {
                    <p>{t().trend_empty}</p>
                    <p><a href=href on:click=follow(page)>{fill(t().add_kind_link, &lower(kind_name(trend.metric.kind())))}</a></p>
                }.into_any()
            } else {
                view! { <TrendView trend/> }.into_any()
            }
        }}
    }
}

/// One trend: summary, chart and table.
#[component]
fn TrendView(trend: Trend) -> impl IntoView {
    let state = use_state();
    let drawn = chart(&trend, WIDTH, HEIGHT);
    let summaries: Vec<String> = trend
        .summaries
        .iter()
        .map(|summary| {
            let text = t();
            let mut sentence = text
                .trend_summary
                .replace("{line}", line_name(trend.metric, summary.line))
                .replace("{span}", span_phrase(trend.span))
                .replace("{mean}", &number(summary.mean))
                .replace("{unit}", trend.unit)
                .replace("{count}", &summary.count.to_string())
                .replace("{min}", &number(summary.min))
                .replace("{max}", &number(summary.max));
            if let Some(band) = trend.bands.iter().find(|band| band.line == summary.line) {
                sentence.push(' ');
                sentence.push_str(
                    &text
                        .trend_band
                        .replace("{low}", &number(band.low))
                        .replace("{high}", &number(band.high))
                        .replace("{unit}", trend.unit),
                );
            }
            sentence
        })
        .collect();
    let description = summaries.join(" ");
    let title = fill(t().chart_title, metric_name(trend.metric));
    view! {
        <section aria-labelledby="trend-summary-heading">
            <h2 id="trend-summary-heading">{t().trend_summary_heading}</h2>
            {summaries.into_iter().map(|s| view! { <p>{s}</p> }).collect_view()}
        </section>
        <figure class="trend-chart">
            <ChartSvg trend=trend.clone() drawn title=title.clone() description tag=state.tag/>
            <figcaption>{title}</figcaption>
        </figure>
        <DataTable trend/>
    }
}

/// The SVG chart.
#[component]
fn ChartSvg(
    trend: Trend,
    drawn: Chart,
    title: String,
    description: String,
    tag: &'static str,
) -> impl IntoView {
    let (left, top, right, bottom) = drawn.plot;
    let view_box = format!("0 0 {} {}", drawn.width, drawn.height);
    let bands = drawn
        .bands
        .iter()
        .map(|(line, y_top, y_bottom)| {
            let class = format!("band band-{}", line_class(*line));
            view! { <rect class=class x=left y=*y_top width=right - left height=(y_bottom - y_top).max(0.0)/> }
        })
        .collect_view();
    let y_ticks = drawn
        .y_ticks
        .iter()
        .map(|(y, value)| {
            view! {
                <line class="grid" x1=left x2=right y1=*y y2=*y/>
                <text class="tick" x=left - 6.0 y=*y dy="0.32em" text-anchor="end">{number(*value)}</text>
            }
        })
        .collect_view();
    let x_ticks = drawn
        .x_ticks
        .iter()
        .map(|(x, date)| {
            let label = crate::intl::short_date(tag, date.year(), date.month(), date.day());
            view! { <text class="tick" x=*x y=bottom + 18.0 text-anchor="middle">{label}</text> }
        })
        .collect_view();
    let lines = drawn
        .lines
        .iter()
        .map(|line| {
            let series = trend.series.iter().find(|s| s.line == line.line);
            let class = format!("series series-{}", line_class(line.line));
            let points = line
                .points
                .iter()
                .filter_map(|(x, y, at)| {
                    let point = series?.points.get(*at)?;
                    let label = format!(
                        "{}: {} {} ({})",
                        when_text(tag, point.date),
                        number(point.value),
                        trend.unit,
                        line_name(trend.metric, line.line)
                    );
                    // Every point is labelled with its value while they fit; on a crowded
                    // chart, the latest one (the table has them all).
                    let shown = line.points.len() <= 12 || *at + 1 == series?.points.len();
                    let value = shown.then(|| view! {
                        <text class="point-label" x=*x y=*y - 9.0 text-anchor="middle">{number(point.value)}</text>
                    });
                    Some(view! { <circle class=class.clone() cx=*x cy=*y r="4"><title>{label}</title></circle>{value} })
                })
                .collect_view();
            view! {
                <path class=class.clone() d=line.path.clone() fill="none"/>
                {points}
            }
        })
        .collect_view();
    view! {
        <svg viewBox=view_box role="img" aria-labelledby="chart-title chart-desc" class="chart" preserveAspectRatio="xMidYMid meet">
            <title id="chart-title">{title}</title>
            <desc id="chart-desc">{description}</desc>
            {bands}
            {y_ticks}
            <line class="axis" x1=left x2=right y1=bottom y2=bottom/>
            <line class="axis" x1=left x2=left y1=top y2=bottom/>
            {x_ticks}
            {lines}
        </svg>
    }
}

/// The readings as a table: what the chart shows, for screen readers and for anyone who
/// prefers numbers.
#[component]
fn DataTable(trend: Trend) -> impl IntoView {
    let state = use_state();
    let lines: Vec<Line> = trend.series.iter().map(|s| s.line).collect();
    // One row per reading (entry), with a column per line: blood pressure has two.
    let mut rows: Vec<(i64, haven_api::record::When, Vec<Option<f64>>)> = Vec::new();
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for (column, series) in trend.series.iter().enumerate() {
        for point in &series.points {
            let at = *row_of.entry(point.entry_id.as_str()).or_insert_with(|| {
                rows.push((point.at_ms, point.date, vec![None; lines.len()]));
                rows.len() - 1
            });
            rows[at].2[column] = Some(point.value);
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    let caption = fill(t().table_caption, metric_name(trend.metric));
    view! {
        <table class="data-table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t().date}</th>
                    {lines.iter().map(|line| view! {
                        <th scope="col">{format!("{} ({})", line_name(trend.metric, *line), trend.unit)}</th>
                    }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|(_, when, values)| view! {
                    <tr>
                        <th scope="row">{when_text(state.tag, when)}</th>
                        {values.into_iter().map(|value| view! { <td>{value.map(number).unwrap_or_default()}</td> }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A number as the patient's language writes it, to at most one decimal.
pub fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    text.replace('.', &t().decimal_separator.to_string())
}

fn metric_name(metric: Metric) -> &'static str {
    t().metrics[Metric::ALL.iter().position(|m| *m == metric).unwrap_or(0)]
}

fn span_name(span: Span) -> &'static str {
    t().spans[Span::ALL.iter().position(|s| *s == span).unwrap_or(0)]
}

fn span_phrase(span: Span) -> &'static str {
    t().span_phrases[Span::ALL.iter().position(|s| *s == span).unwrap_or(0)]
}

fn line_name(metric: Metric, line: Line) -> &'static str {
    match line {
        Line::Systolic => t().systolic,
        Line::Diastolic => t().diastolic,
        Line::Value => metric_name(metric),
    }
}

fn line_class(line: Line) -> &'static str {
    match line {
        Line::Systolic => "systolic",
        Line::Diastolic => "diastolic",
        Line::Value => "value",
    }
}
