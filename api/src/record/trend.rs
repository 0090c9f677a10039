//! Trends: one measurement's readings over a span of time as series in one display unit,
//! their summary numbers, reference bands, and the geometry of an SVG chart of them.
//!
//! Everything is computed here so that the widget only draws: [`trend`] picks and converts
//! the readings, [`chart`] turns a [`Trend`] into coordinates and an SVG path.
//!
//! # Reference bands
//!
//! A band is the range generally given as normal for adults, drawn behind the line as a
//! guide, never as a diagnosis (targets differ per person; the patient's clinician sets
//! theirs):
//!
//! - Blood pressure: systolic 90–120 and diastolic 60–80 mmHg. The upper ends are the
//!   American Heart Association's "normal" (below 120/80, AHA/ACC 2017 guideline); the lower
//!   ends the usual threshold of low blood pressure (90/60).
//! - Glucose: fasting 3.9–5.5 mmol/L, shown as 70–100 mg/dL in mg/dL (American Diabetes
//!   Association: normal fasting glucose below 100 mg/dL; WHO: hypoglycaemia below
//!   3.9 mmol/L). It is a fasting range: readings after meals are expected above it.
//! - Heart rate: 60–100 beats per minute at rest (AHA).
//! - Weight: the weights of a healthy body-mass index, 18.5–24.9 kg/m² (WHO), for the most
//!   recent height in the record; no band without a height.
//! - Mood: none.

use super::date::{Date, When};
use super::entry::{Entry, Kind, Payload};
use super::measure::{GlucoseUnit, MassUnit};

const MS_PER_DAY: i64 = 86_400_000;

/// A measurement that can be charted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Blood pressure: systolic and diastolic lines.
    BloodPressure,
    /// Blood glucose.
    Glucose,
    /// Body weight.
    Weight,
    /// Heart rate.
    HeartRate,
    /// Mood score, 1 to 5.
    Mood,
}

impl Metric {
    /// Every metric, in the order the widget offers them.
    pub const ALL: [Metric; 5] = [
        Metric::BloodPressure,
        Metric::Glucose,
        Metric::Weight,
        Metric::HeartRate,
        Metric::Mood,
    ];

    /// The name used in URLs, the same as its kind's stored name (`blood_pressure`).
    pub fn as_str(self) -> &'static str {
        self.kind().as_str()
    }

    /// Parses [`Metric::as_str`].
    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL
            .into_iter()
            .find(|metric| metric.as_str() == name)
    }

    /// The kind of entry its readings are.
    pub fn kind(self) -> Kind {
        match self {
            Metric::BloodPressure => Kind::BloodPressure,
            Metric::Glucose => Kind::Glucose,
            Metric::Weight => Kind::Weight,
            Metric::HeartRate => Kind::HeartRate,
            Metric::Mood => Kind::Mood,
        }
    }

    /// Its lines, in drawing order.
    pub fn lines(self) -> &'static [Line] {
        match self {
            Metric::BloodPressure => &[Line::Systolic, Line::Diastolic],
            _ => &[Line::Value],
        }
    }
}

/// How far back a trend looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Span {
    /// The last month.
    Month,
    /// The last three months.
    #[default]
    Quarter,
    /// The last year.
    Year,
    /// Everything.
    All,
}

impl Span {
    /// Every span, shortest first.
    pub const ALL: [Span; 4] = [Span::Month, Span::Quarter, Span::Year, Span::All];

    /// The name used in URLs: `month`, `quarter`, `year`, `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Span::Month => "month",
            Span::Quarter => "quarter",
            Span::Year => "year",
            Span::All => "all",
        }
    }

    /// Parses [`Span::as_str`].
    pub fn parse(name: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|span| span.as_str() == name)
    }

    /// The first day in the span, counting back whole calendar months from `today` (the
    /// 31st going back to a shorter month ends on its last day); `None` for everything.
    pub fn start(self, today: Date) -> Option<Date> {
        let months = match self {
            Span::Month => 1,
            Span::Quarter => 3,
            Span::Year => 12,
            Span::All => return None,
        };
        months_before(today, months)
    }
}

/// The same day `months` months earlier, or the last day of that month if it is shorter.
fn months_before(date: Date, months: i32) -> Option<Date> {
    let index = date.year() * 12 + date.month() as i32 - 1 - months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    (1..=date.day())
        .rev()
        .find_map(|day| Date::new(year, month, day))
}

/// An entry's date as Unix milliseconds, for ordering and charting across UTC offsets: a
/// date with a time is that moment, a plain date is noon UTC that day (which falls within
/// that calendar day in every offset from −12 to +12 hours).
pub fn instant_ms(when: When) -> i64 {
    match when {
        When::Date(date) => date.days() * MS_PER_DAY + MS_PER_DAY / 2,
        When::DateTime(at) => at.unix_ms(),
    }
}

/// One reading on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The entry it comes from, to open it from the chart.
    pub entry_id: String,
    /// When, as [`instant_ms`].
    pub at_ms: i64,
    /// When, as recorded (for labels).
    pub date: When,
    /// The value in the trend's display unit.
    pub value: f64,
}

/// Which line of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Line {
    /// Blood pressure, systolic.
    Systolic,
    /// Blood pressure, diastolic.
    Diastolic,
    /// The one value of every other metric.
    Value,
}

impl Line {
    /// The name for CSS classes and translation keys: `systolic`, `diastolic`, `value`.
    pub fn as_str(self) -> &'static str {
        match self {
            Line::Systolic => "systolic",
            Line::Diastolic => "diastolic",
            Line::Value => "value",
        }
    }
}

/// A line's readings.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Which line.
    pub line: Line,
    /// The readings, oldest first.
    pub points: Vec<Point>,
}

/// A line's numbers over the span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Which line.
    pub line: Line,
    /// How many readings.
    pub count: usize,
    /// Their mean.
    pub mean: f64,
    /// The lowest.
    pub min: f64,
    /// The highest.
    pub max: f64,
    /// The oldest.
    pub first: f64,
    /// The most recent.
    pub last: f64,
}

/// A reference range for a line, in the display unit (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// The lowest value in the range.
    pub low: f64,
    /// The highest value in the range.
    pub high: f64,
    /// The line it is for.
    pub line: Line,
}

/// A metric's readings over a span, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// What is charted.
    pub metric: Metric,
    /// Over what time.
    pub span: Span,
    /// The display unit's symbol: `mmHg`; `mmol/L` or `mg/dL` and `kg` or `lb` (the unit of
    /// the most recent reading in the span, else mmol/L and kg); `bpm`; `""` for mood.
    pub unit: &'static str,
    /// One series per line of the metric, each possibly empty.
    pub series: Vec<Series>,
    /// One summary per series that has readings.
    pub summaries: Vec<Summary>,
    /// The reference bands, in the display unit.
    pub bands: Vec<Band>,
}

impl Trend {
    /// Whether there is nothing to chart.
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(|series| series.points.is_empty())
    }
}

/// The display unit a metric's readings are converted to.
#[derive(Clone, Copy)]
enum Unit {
    MmHg,
    Glucose(GlucoseUnit),
    Mass(MassUnit),
    Bpm,
    Score,
}

impl Unit {
    fn symbol(self) -> &'static str {
        match self {
            Unit::MmHg => "mmHg",
            Unit::Glucose(unit) => unit.symbol(),
            Unit::Mass(unit) => unit.symbol(),
            Unit::Bpm => "bpm",
            Unit::Score => "",
        }
    }

    /// A reading's value on a line in this unit, converted exactly.
    fn value(self, payload: Payload<'_>, line: Line) -> Option<f64> {
        Some(match (payload, self) {
            (Payload::BloodPressure(reading), _) => f64::from(match line {
                Line::Diastolic => reading.diastolic(),
                _ => reading.systolic(),
            }),
            (Payload::Glucose(reading), Unit::Glucose(GlucoseUnit::MgDl)) => reading.mg_dl(),
            (Payload::Glucose(reading), _) => reading.mmol_l(),
            (Payload::Weight(reading), Unit::Mass(MassUnit::Lb)) => reading.lb(),
            (Payload::Weight(reading), _) => reading.kg(),
            (Payload::HeartRate(reading), _) => f64::from(reading.bpm()),
            (Payload::Mood(mood), _) => f64::from(mood.score.score()),
            _ => return None,
        })
    }
}

/// A metric's readings from `span` back to `today`, in one display unit, with summaries
/// and reference bands. Entries of other kinds, or without their details, are ignored.
/// Readings dated after `today` are kept: a patient who travelled west may have written
/// tomorrow's date, and a chart that hides readings is worse than one that runs a day over.
pub fn trend(entries: &[Entry], metric: Metric, span: Span, today: Date) -> Trend {
    let start = span.start(today);
    let mut readings: Vec<(&Entry, Payload<'_>)> = entries
        .iter()
        .filter(|entry| entry.kind == metric.kind())
        .filter(|entry| start.is_none_or(|start| entry.date.date() >= start))
        .filter_map(|entry| entry.payload().map(|payload| (entry, payload)))
        .collect();
    readings.sort_by(|(a, _), (b, _)| chronological(a, b));

    let last = readings.last().map(|&(_, payload)| payload);
    let unit = match metric {
        Metric::BloodPressure => Unit::MmHg,
        Metric::Glucose => Unit::Glucose(match last {
            Some(Payload::Glucose(reading)) => reading.unit(),
            _ => GlucoseUnit::MmolL,
        }),
        Metric::Weight => Unit::Mass(match last {
            Some(Payload::Weight(reading)) => reading.unit(),
            _ => MassUnit::Kg,
        }),
        Metric::HeartRate => Unit::Bpm,
        Metric::Mood => Unit::Score,
    };

    let series: Vec<Series> = metric
        .lines()
        .iter()
        .map(|&line| Series {
            line,
            points: readings
                .iter()
                .filter_map(|&(entry, payload)| {
                    Some(Point {
                        entry_id: entry.id.clone(),
                        at_ms: instant_ms(entry.date),
                        date: entry.date,
                        value: unit.value(payload, line)?,
                    })
                })
                .collect(),
        })
        .collect();
    let summaries = series.iter().filter_map(summarize).collect();
    Trend {
        metric,
        span,
        unit: unit.symbol(),
        series,
        summaries,
        bands: bands(entries, unit),
    }
}

/// Oldest first; ties (the same moment) by last change, then id, so the order is stable.
pub(crate) fn chronological(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    (instant_ms(a.date), a.date, a.updated_at, &a.id).cmp(&(
        instant_ms(b.date),
        b.date,
        b.updated_at,
        &b.id,
    ))
}

fn summarize(series: &Series) -> Option<Summary> {
    let first = series.points.first()?.value;
    let last = series.points.last()?.value;
    let values = series.points.iter().map(|point| point.value);
    Some(Summary {
        line: series.line,
        count: series.points.len(),
        mean: values.clone().sum::<f64>() / series.points.len() as f64,
        min: values.clone().fold(f64::INFINITY, f64::min),
        max: values.fold(f64::NEG_INFINITY, f64::max),
        first,
        last,
    })
}

/// Healthy body-mass index, kg/m² (WHO).
const BMI_LOW: f64 = 18.5;
const BMI_HIGH: f64 = 24.9;
/// Kilograms per pound, exactly.
const KG_PER_LB: f64 = 0.453_592_37;

fn bands(entries: &[Entry], unit: Unit) -> Vec<Band> {
    let band = |low, high, line| Band { low, high, line };
    match unit {
        Unit::MmHg => vec![
            band(90.0, 120.0, Line::Systolic),
            band(60.0, 80.0, Line::Diastolic),
        ],
        Unit::Glucose(GlucoseUnit::MmolL) => vec![band(3.9, 5.5, Line::Value)],
        Unit::Glucose(GlucoseUnit::MgDl) => vec![band(70.0, 100.0, Line::Value)],
        Unit::Bpm => vec![band(60.0, 100.0, Line::Value)],
        Unit::Mass(mass) => {
            let height = entries
                .iter()
                .filter(|entry| entry.height.is_some())
                .max_by(|a, b| chronological(a, b))
                .and_then(|entry| entry.height);
            let Some(height) = height else {
                return Vec::new();
            };
            let metres_squared = (height.cm() / 100.0).powi(2);
            let in_unit = |kg: f64| match mass {
                MassUnit::Kg => kg,
                MassUnit::Lb => kg / KG_PER_LB,
            };
            vec![band(
                in_unit(BMI_LOW * metres_squared),
                in_unit(BMI_HIGH * metres_squared),
                Line::Value,
            )]
        }
        Unit::Score => Vec::new(),
    }
}

/// An SVG chart's geometry, in user units of a `0 0 width height` view box.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The view box's width.
    pub width: f64,
    /// The view box's height.
    pub height: f64,
    /// The plot area: left, top, right, bottom. Tick labels go in the margins outside it.
    pub plot: (f64, f64, f64, f64),
    /// Date ticks: the x of each and its date, left to right.
    pub x_ticks: Vec<(f64, Date)>,
    /// Value ticks: the y of each and its value, values ascending (so y descending).
    pub y_ticks: Vec<(f64, f64)>,
    /// One line per series with readings.
    pub lines: Vec<ChartLine>,
    /// The reference bands: the line each is for, its top y and its bottom y.
    pub bands: Vec<(Line, f64, f64)>,
}

/// A series drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLine {
    /// Which line.
    pub line: Line,
    /// The SVG path's `d`: `M x y L x y …`, coordinates rounded to 0.1.
    pub path: String,
    /// Each reading's x, y and index into the series' points, for markers and tooltips.
    pub points: Vec<(f64, f64, usize)>,
}

/// Room left of the plot for the value labels.
const MARGIN_LEFT: f64 = 40.0;
/// Room right of the plot, so the last point's marker is not cut.
const MARGIN_RIGHT: f64 = 12.0;
/// Room above the plot, so the highest tick's label is not cut.
const MARGIN_TOP: f64 = 12.0;
/// Room below the plot for the date labels.
const MARGIN_BOTTOM: f64 = 28.0;
/// About how far apart date labels need to be.
const X_TICK_SPACING: f64 = 80.0;
/// About how far apart value labels look good.
const Y_TICK_SPACING: f64 = 40.0;

/// The geometry of a trend's chart in a `width` × `height` view box.
///
/// Values run up (y inverted), between "nice" ticks (steps of 1, 2 or 5 × 10ⁿ) that take in
/// every reading and every band; mood always runs 1 to 5. Time runs from the oldest reading
/// to the newest, ticked at whole days, weeks (Mondays), months, quarters or years as the
/// time covered needs; readings of less than a day are spread over a day around their
/// middle, so a single reading is drawn centred. A trend without readings has no lines and
/// no date ticks (its bands and value ticks are still given).
pub fn chart(trend: &Trend, width: f64, height: f64) -> Chart {
    let left = MARGIN_LEFT.min(width / 2.0);
    let top = MARGIN_TOP.min(height / 2.0);
    let right = (width - MARGIN_RIGHT).max(left + 1.0);
    let bottom = (height - MARGIN_BOTTOM).max(top + 1.0);
    let mut chart = Chart {
        width,
        height,
        plot: (left, top, right, bottom),
        x_ticks: Vec::new(),
        y_ticks: Vec::new(),
        lines: Vec::new(),
        bands: Vec::new(),
    };

    // Values: every reading and band edge, and mood's whole scale.
    let points = trend.series.iter().flat_map(|series| &series.points);
    let mut values: Vec<f64> = points.clone().map(|point| point.value).collect();
    values.extend(trend.bands.iter().flat_map(|band| [band.low, band.high]));
    if trend.metric == Metric::Mood {
        values.extend([1.0, 5.0]);
    }
    let Some((low, high)) = extent(values.into_iter()) else {
        return chart;
    };
    let target = ((bottom - top) / Y_TICK_SPACING).floor().clamp(2.0, 10.0);
    let ticks = nice_ticks(low, high, target as i64);
    let (y_low, y_high) = (ticks[0], ticks[ticks.len() - 1]);
    let y = |value: f64| round(bottom - (value - y_low) / (y_high - y_low) * (bottom - top));
    chart.y_ticks = ticks.iter().map(|&value| (y(value), value)).collect();
    chart.bands = trend
        .bands
        .iter()
        .map(|band| (band.line, y(band.high), y(band.low)))
        .collect();

    // Time.
    let Some((first, last)) = extent(points.clone().map(|point| point.at_ms as f64)) else {
        return chart;
    };
    let (first, last) = (first as i64, last as i64);
    let (x_start, x_end) = if last - first < MS_PER_DAY {
        let middle = first + (last - first) / 2;
        (middle - MS_PER_DAY / 2, middle + MS_PER_DAY / 2)
    } else {
        (first, last)
    };
    let x = |at_ms: i64| {
        round(left + (at_ms - x_start) as f64 / (x_end - x_start) as f64 * (right - left))
    };
    let mut dates = points.clone().map(|point| point.date.date());
    let one_day = dates.next().filter(|&day| dates.all(|date| date == day));
    chart.x_ticks = match one_day {
        // Readings of one day: its label under their middle (its noon UTC may lie outside
        // the day drawn, and the UTC date around them may be another).
        Some(day) if last - first < MS_PER_DAY => vec![(round((left + right) / 2.0), day)],
        _ => {
            let max_ticks = ((right - left) / X_TICK_SPACING).floor().max(2.0) as i64;
            date_ticks(x_start, x_end, max_ticks)
                .into_iter()
                .map(|date| (x(instant_ms(When::Date(date))), date))
                .collect()
        }
    };

    chart.lines = trend
        .series
        .iter()
        .filter(|series| !series.points.is_empty())
        .map(|series| {
            let points: Vec<(f64, f64, usize)> = series
                .points
                .iter()
                .enumerate()
                .map(|(index, point)| (x(point.at_ms), y(point.value), index))
                .collect();
            let path = points
                .iter()
                .enumerate()
                .map(|(at, (x, y, _))| format!("{} {x} {y}", if at == 0 { 'M' } else { 'L' }))
                .collect::<Vec<_>>()
                .join(" ");
            ChartLine {
                line: series.line,
                path,
                points,
            }
        })
        .collect();
    chart
}

/// Rounded to 0.1, without a negative zero.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0 + 0.0
}

/// The lowest and highest of some finite numbers.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|value| value.is_finite())
        .fold(None, |range, value| match range {
            None => Some((value, value)),
            Some((low, high)) => Some((f64::min(low, value), f64::max(high, value))),
        })
}

/// Ticks every 1, 2 or 5 × 10ⁿ from at or below `low` to at or above `high`, about
/// `target` intervals apart; at least two.
fn nice_ticks(low: f64, high: f64, target: i64) -> Vec<f64> {
    let (low, high) = if high > low {
        (low, high)
    } else {
        // One value: a little room around it.
        let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.05 };
        (low - pad, high + pad)
    };
    let raw = (high - low) / target.max(1) as f64;
    let mut exponent = raw.log10().floor() as i32;
    let fraction = raw / 10f64.powi(exponent);
    let mantissa = match fraction {
        f if f <= 1.0 => 1,
        f if f <= 2.0 => 2,
        f if f <= 5.0 => 5,
        _ => {
            exponent += 1;
            1
        }
    };
    // k × mantissa × 10^exponent, divided rather than multiplied by a power of ten for
    // negative exponents so that 0.3 is the double nearest 0.3.
    let value = |k: i64| {
        let whole = (k * mantissa) as f64;
        if exponent >= 0 {
            whole * 10f64.powi(exponent)
        } else {
            whole / 10f64.powi(-exponent)
        }
    };
    let step = value(1);
    let epsilon = 1e-9;
    let first = (low / step + epsilon).floor() as i64;
    let last = (high / step - epsilon).ceil() as i64;
    (first..=last.max(first + 1)).map(value).collect()
}

/// How far apart date ticks are.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Days(i64),
    Weeks(i64),
    Months(i32),
    Years(i32),
}

impl Step {
    /// Steps from finest to coarsest, with their rough length in days.
    const ALL: [(Step, f64); 14] = [
        (Step::Days(1), 1.0),
        (Step::Days(2), 2.0),
        (Step::Weeks(1), 7.0),
        (Step::Weeks(2), 14.0),
        (Step::Months(1), 30.44),
        (Step::Months(3), 91.31),
        (Step::Months(6), 182.62),
        (Step::Years(1), 365.25),
        (Step::Years(2), 730.5),
        (Step::Years(5), 1826.25),
        (Step::Years(10), 3652.5),
        (Step::Years(25), 9131.25),
        (Step::Years(50), 18262.5),
        (Step::Years(100), 36525.0),
    ];

    /// The first tick date on or after `date`.
    fn first_from(self, date: Date) -> Date {
        let days = date.days();
        match self {
            Step::Days(n) => Date::from_days(days + (-days).rem_euclid(n)),
            // 1970-01-05 (day 4) was a Monday.
            Step::Weeks(n) => Date::from_days(days + (4 - days).rem_euclid(7 * n)),
            Step::Months(n) => {
                let index = date.year() * 12 + date.month() as i32 - 1 + i32::from(date.day() > 1);
                month_start(index + (-index).rem_euclid(n))
            }
            Step::Years(n) => {
                let year = date.year() + i32::from(date.month() > 1 || date.day() > 1);
                year_start(year + (-year).rem_euclid(n))
            }
        }
    }

    /// The tick after `date`.
    fn next(self, date: Date) -> Date {
        match self {
            Step::Days(n) => Date::from_days(date.days() + n),
            Step::Weeks(n) => Date::from_days(date.days() + 7 * n),
            Step::Months(n) => month_start(date.year() * 12 + date.month() as i32 - 1 + n),
            Step::Years(n) => year_start(date.year() + n),
        }
    }
}

fn month_start(index: i32) -> Date {
    Date::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(Date::from_days(0))
}

fn year_start(year: i32) -> Date {
    Date::new(year, 1, 1).unwrap_or(Date::from_days(0))
}

/// The tick dates (each at noon UTC) between two instants: the finest step giving at most
/// `max_ticks` ticks.
fn date_ticks(start_ms: i64, end_ms: i64, max_ticks: i64) -> Vec<Date> {
    let days = (end_ms - start_ms) as f64 / MS_PER_DAY as f64;
    let step = Step::ALL
        .into_iter()
        .find(|&(_, length)| ((days / length).floor() as i64) < max_ticks)
        .map_or(Step::Years(100), |(step, _)| step);
    let noon = |date: Date| instant_ms(When::Date(date));
    let mut ticks = Vec::new();
    let mut date = step.first_from(Date::from_unix_ms(start_ms - MS_PER_DAY / 2));
    while noon(date) <= end_ms && ticks.len() < 100 {
        if noon(date) >= start_ms {
            ticks.push(date);
        }
        let next = step.next(date);
        if next <= date {
            break;
        }
        date = next;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::entry::Mood;
    use crate::record::measure::{
        BloodPressure, Glucose, HeartRate, Height, LengthUnit, MealContext, MoodScore, Weight,
    };

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn today() -> Date {
        date("2025-03-31")
    }

    fn at<D: crate::record::entry::Details>(id: &str, when: &str, details: D) -> Entry {
        Entry::new(id, When::parse(when).expect(when), 0, details)
    }

    fn glucose(id: &str, when: &str, text: &str, unit: GlucoseUnit) -> Entry {
        at(
            id,
            when,
            Glucose::parse(text, unit, MealContext::Fasting).expect(text),
        )
    }

    fn bp(id: &str, when: &str, systolic: u16, diastolic: u16) -> Entry {
        at(
            id,
            when,
            BloodPressure::new(systolic, diastolic).expect("valid"),
        )
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn metrics_and_spans_have_stable_names() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.as_str()), Some(metric));
            assert!(metric.kind().is_measurement());
        }
        assert_eq!(Metric::BloodPressure.as_str(), "blood_pressure");
        for span in Span::ALL {
            assert_eq!(Span::parse(span.as_str()), Some(span));
        }
        assert_eq!(Span::parse("week"), None);
    }

    #[test]
    fn spans_count_back_whole_calendar_months() {
        assert_eq!(Span::Month.start(today()), Some(date("2025-02-28")));
        assert_eq!(Span::Quarter.start(today()), Some(date("2024-12-31")));
        assert_eq!(
            Span::Year.start(date("2024-02-29")),
            Some(date("2023-02-28"))
        );
        assert_eq!(
            Span::Month.start(date("2025-01-15")),
            Some(date("2024-12-15"))
        );
        assert_eq!(Span::All.start(today()), None);
    }

    #[test]
    fn readings_outside_the_span_and_other_kinds_are_left_out() {
        let entries = [
            bp("a", "2025-02-27", 150, 95),
            bp("b", "2025-02-28T08:00:00+07:00", 140, 90),
            bp("c", "2025-03-30T21:00:00+07:00", 130, 85),
            glucose("g", "2025-03-30", "5,6", GlucoseUnit::MmolL),
        ];
        let month = trend(&entries, Metric::BloodPressure, Span::Month, today());
        let ids: Vec<&str> = month.series[0]
            .points
            .iter()
            .map(|point| point.entry_id.as_str())
            .collect();
        assert_eq!(ids, ["b", "c"]);
        let all = trend(&entries, Metric::BloodPressure, Span::All, today());
        assert_eq!(all.series[0].points.len(), 3);
        assert_eq!(
            all.series.iter().map(|s| s.line).collect::<Vec<_>>(),
            [Line::Systolic, Line::Diastolic]
        );
        assert_eq!(all.unit, "mmHg");
    }

    #[test]
    fn points_are_ordered_by_the_moment_across_offsets() {
        // 07:00 in Hanoi is 00:00 UTC; 20:00 the day before in New York is 01:00 UTC.
        let entries = [
            at(
                "ny",
                "2025-03-09T20:00:00-05:00",
                HeartRate::new(80).expect("valid"),
            ),
            at(
                "hn",
                "2025-03-10T07:00:00+07:00",
                HeartRate::new(70).expect("valid"),
            ),
            at("day", "2025-03-09", HeartRate::new(60).expect("valid")),
        ];
        let trend = trend(&entries, Metric::HeartRate, Span::All, today());
        let points = &trend.series[0].points;
        let ids: Vec<&str> = points.iter().map(|point| point.entry_id.as_str()).collect();
        assert_eq!(ids, ["day", "hn", "ny"]);
        assert_eq!(
            points[0].at_ms,
            date("2025-03-09").days() * MS_PER_DAY + MS_PER_DAY / 2
        );
        assert_eq!(
            points[1].date,
            When::parse("2025-03-10T07:00:00+07:00").expect("valid")
        );
    }

    #[test]
    fn glucose_is_shown_in_the_unit_of_the_latest_reading() {
        let entries = [
            glucose("a", "2025-03-01", "180", GlucoseUnit::MgDl),
            glucose("b", "2025-03-02", "5,5", GlucoseUnit::MmolL),
        ];
        let trend = trend(&entries, Metric::Glucose, Span::Month, today());
        assert_eq!(trend.unit, "mmol/L");
        let values: Vec<f64> = trend.series[0].points.iter().map(|p| p.value).collect();
        assert!(close(values[0], 180.0 / 18.0156), "{values:?}");
        assert!(close(values[1], 5.5));
        assert_eq!(
            trend.bands,
            [Band {
                low: 3.9,
                high: 5.5,
                line: Line::Value
            }]
        );

        let mg = super::trend(&entries[..1], Metric::Glucose, Span::Month, today());
        assert_eq!(mg.unit, "mg/dL");
        assert_eq!(
            mg.bands,
            [Band {
                low: 70.0,
                high: 100.0,
                line: Line::Value
            }]
        );
        let empty = super::trend(&[], Metric::Glucose, Span::Month, today());
        assert_eq!(empty.unit, "mmol/L");
        assert!(empty.is_empty() && empty.summaries.is_empty());
    }

    #[test]
    fn weight_is_converted_and_banded_by_the_latest_height() {
        let entries = [
            at(
                "w1",
                "2025-03-01",
                Weight::parse("70", MassUnit::Kg).expect("valid"),
            ),
            at(
                "w2",
                "2025-03-20",
                Weight::parse("150", MassUnit::Lb).expect("valid"),
            ),
            at(
                "h-old",
                "2010-01-01",
                Height::parse("150", LengthUnit::Cm).expect("valid"),
            ),
            at(
                "h",
                "2024-06-01",
                Height::parse("70", LengthUnit::In).expect("valid"),
            ),
        ];
        let trend = trend(&entries, Metric::Weight, Span::Month, today());
        assert_eq!(trend.unit, "lb");
        assert!(close(trend.series[0].points[0].value, 70.0 / 0.45359237));
        assert!(close(trend.series[0].points[1].value, 150.0));
        // 70 in = 1.778 m.
        let square = 1.778_f64 * 1.778;
        let band = trend.bands[0];
        assert!(close(band.low, 18.5 * square / 0.45359237), "{band:?}");
        assert!(close(band.high, 24.9 * square / 0.45359237), "{band:?}");

        let no_height = super::trend(&entries[..2], Metric::Weight, Span::Month, today());
        assert!(no_height.bands.is_empty());
    }

    #[test]
    fn summaries_give_count_mean_extremes_and_ends() {
        let entries = [
            bp("a", "2025-03-01", 120, 80),
            bp("b", "2025-03-10", 140, 90),
            bp("c", "2025-03-05", 130, 70),
        ];
        let trend = trend(&entries, Metric::BloodPressure, Span::Month, today());
        assert_eq!(
            trend.summaries,
            [
                Summary {
                    line: Line::Systolic,
                    count: 3,
                    mean: 130.0,
                    min: 120.0,
                    max: 140.0,
                    first: 120.0,
                    last: 140.0,
                },
                Summary {
                    line: Line::Diastolic,
                    count: 3,
                    mean: 80.0,
                    min: 70.0,
                    max: 90.0,
                    first: 80.0,
                    last: 90.0,
                },
            ]
        );
        assert_eq!(
            trend.bands,
            [
                Band {
                    low: 90.0,
                    high: 120.0,
                    line: Line::Systolic
                },
                Band {
                    low: 60.0,
                    high: 80.0,
                    line: Line::Diastolic
                },
            ]
        );
    }

    #[test]
    fn heart_rate_and_mood_have_their_own_bands() {
        let heart = trend(&[], Metric::HeartRate, Span::Year, today());
        assert_eq!(heart.unit, "bpm");
        assert_eq!(
            heart.bands,
            [Band {
                low: 60.0,
                high: 100.0,
                line: Line::Value
            }]
        );
        let mood = trend(
            &[at(
                "m",
                "2025-03-01",
                Mood {
                    score: MoodScore::new(4).expect("valid"),
                    note: String::new(),
                },
            )],
            Metric::Mood,
            Span::Year,
            today(),
        );
        assert_eq!(mood.unit, "");
        assert!(mood.bands.is_empty());
        assert_eq!(mood.series[0].points[0].value, 4.0);
    }

    #[test]
    fn nice_ticks_step_by_one_two_or_five() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(3.9, 7.2, 4), [3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(nice_ticks(3.9, 5.5, 4), [3.5, 4.0, 4.5, 5.0, 5.5]);
        assert_eq!(nice_ticks(0.1, 0.3, 2), [0.1, 0.2, 0.3]);
        assert_eq!(
            nice_ticks(60.0, 160.0, 5),
            [60.0, 80.0, 100.0, 120.0, 140.0, 160.0]
        );
        assert_eq!(nice_ticks(72.0, 72.0, 4), [68.0, 70.0, 72.0, 74.0, 76.0]);
        assert_eq!(nice_ticks(0.0, 0.0, 4).len(), 5);
    }

    #[test]
    fn date_ticks_fall_on_days_mondays_months_or_years() {
        let noon = |text| instant_ms(When::Date(date(text)));
        assert_eq!(
            date_ticks(noon("2025-03-01"), noon("2025-03-04"), 6),
            [
                date("2025-03-01"),
                date("2025-03-02"),
                date("2025-03-03"),
                date("2025-03-04")
            ]
        );
        // Four weeks: weekly, on Mondays.
        assert_eq!(
            date_ticks(noon("2025-03-01"), noon("2025-03-29"), 6),
            [
                date("2025-03-03"),
                date("2025-03-10"),
                date("2025-03-17"),
                date("2025-03-24")
            ]
        );
        assert_eq!(
            date_ticks(noon("2024-12-15"), noon("2025-03-15"), 6),
            [date("2025-01-01"), date("2025-02-01"), date("2025-03-01")]
        );
        assert_eq!(
            date_ticks(noon("2024-02-10"), noon("2025-03-15"), 6),
            [
                date("2024-04-01"),
                date("2024-07-01"),
                date("2024-10-01"),
                date("2025-01-01")
            ]
        );
        assert_eq!(
            date_ticks(noon("2015-06-01"), noon("2025-03-15"), 6),
            [
                date("2016-01-01"),
                date("2018-01-01"),
                date("2020-01-01"),
                date("2022-01-01"),
                date("2024-01-01")
            ]
        );
    }

    #[test]
    fn a_chart_keeps_every_point_inside_the_plot_with_values_running_up() {
        let entries = [
            bp("a", "2025-03-01T07:00:00+07:00", 150, 95),
            bp("b", "2025-03-10T07:00:00+07:00", 118, 76),
            bp("c", "2025-03-20T07:00:00+07:00", 132, 84),
        ];
        let trend = trend(&entries, Metric::BloodPressure, Span::Month, today());
        let chart = chart(&trend, 320.0, 200.0);
        let (left, top, right, bottom) = chart.plot;
        assert_eq!(chart.plot, (40.0, 12.0, 308.0, 172.0));
        assert_eq!(chart.lines.len(), 2);
        for line in &chart.lines {
            for &(x, y, _) in &line.points {
                assert!(
                    (left..=right).contains(&x) && (top..=bottom).contains(&y),
                    "{x},{y}"
                );
            }
            assert_eq!(line.points.first().map(|p| p.0), Some(left));
            assert_eq!(line.points.last().map(|p| p.0), Some(right));
        }
        let systolic = &chart.lines[0];
        assert_eq!(systolic.line, Line::Systolic);
        // 150 is higher than 118, so it is drawn above it (a smaller y).
        assert!(systolic.points[0].1 < systolic.points[1].1);
        assert_eq!(
            systolic.points.iter().map(|p| p.2).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert!(systolic.path.starts_with("M 40 "), "{}", systolic.path);
        assert_eq!(systolic.path.matches('L').count(), 2);
        for number in systolic
            .path
            .split(' ')
            .filter(|part| !matches!(*part, "M" | "L"))
        {
            let value: f64 = number.parse().expect(number);
            assert_eq!(value, round(value), "{number}");
        }

        // Ticks: values ascending and covering the readings and the bands; y descending.
        let values: Vec<f64> = chart.y_ticks.iter().map(|t| t.1).collect();
        assert!(
            values.windows(2).all(|pair| pair[0] < pair[1]),
            "{values:?}"
        );
        assert!(
            values[0] <= 60.0 && values[values.len() - 1] >= 150.0,
            "{values:?}"
        );
        assert!(chart.y_ticks.windows(2).all(|pair| pair[0].0 > pair[1].0));
        assert_eq!(chart.y_ticks[0].0, bottom);
        assert_eq!(chart.y_ticks[chart.y_ticks.len() - 1].0, top);
        let xs: Vec<f64> = chart.x_ticks.iter().map(|t| t.0).collect();
        assert!(
            !xs.is_empty() && xs.windows(2).all(|pair| pair[0] < pair[1]),
            "{xs:?}"
        );
        assert!(xs.iter().all(|x| (left..=right).contains(x)));

        // Bands: top above bottom, inside the plot.
        assert_eq!(chart.bands.len(), 2);
        for &(_, band_top, band_bottom) in &chart.bands {
            assert!(top <= band_top && band_top < band_bottom && band_bottom <= bottom);
        }
    }

    #[test]
    fn a_single_reading_is_drawn_centred_under_its_date() {
        let entries = [at(
            "m",
            "2025-03-10T06:00:00+07:00",
            HeartRate::new(72).expect("valid"),
        )];
        let trend = trend(&entries, Metric::HeartRate, Span::Month, today());
        let chart = chart(&trend, 300.0, 200.0);
        let (left, _, right, _) = chart.plot;
        assert_eq!(chart.lines.len(), 1);
        let line = &chart.lines[0];
        assert_eq!(line.points.len(), 1);
        assert_eq!(line.points[0].0, (left + right) / 2.0);
        assert_eq!(
            line.path,
            format!("M {} {}", line.points[0].0, line.points[0].1)
        );
        assert_eq!(chart.x_ticks, [((left + right) / 2.0, date("2025-03-10"))]);
    }

    #[test]
    fn an_empty_trend_has_no_lines_and_mood_always_runs_one_to_five() {
        let empty = trend(&[], Metric::BloodPressure, Span::Month, today());
        let chart = chart(&empty, 300.0, 200.0);
        assert!(chart.lines.is_empty() && chart.x_ticks.is_empty());
        assert_eq!(chart.bands.len(), 2, "bands still shown");
        let no_band = trend(&[], Metric::Weight, Span::Month, today());
        let chart = super::chart(&no_band, 300.0, 200.0);
        assert!(chart.lines.is_empty() && chart.y_ticks.is_empty() && chart.bands.is_empty());

        let mood = trend(&[], Metric::Mood, Span::Month, today());
        let chart = super::chart(&mood, 300.0, 200.0);
        let values: Vec<f64> = chart.y_ticks.iter().map(|t| t.1).collect();
        assert_eq!(values, [1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn a_tiny_chart_still_has_a_plot_area() {
        let entries = [
            bp("a", "2025-03-01", 120, 80),
            bp("b", "2025-03-02", 125, 82),
        ];
        let trend = trend(&entries, Metric::BloodPressure, Span::Month, today());
        let chart = chart(&trend, 10.0, 10.0);
        let (left, top, right, bottom) = chart.plot;
        assert!(left < right && top < bottom);
        assert!(
            chart
                .lines
                .iter()
                .flat_map(|l| &l.points)
                .all(|p| p.0.is_finite() && p.1.is_finite())
        );
    }
}
