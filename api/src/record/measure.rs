//! Measurements as domain types: a value is parsed from what the patient typed, checked
//! against a plausible range for its unit, and kept exactly as entered with its unit.
//!
//! Values are fixed-point [`Decimal`]s (hundredths), never floats, so "36,6" stays 36.6 and
//! a conversion is one exact rational computation rounded once, at the end, for display.
//!
//! Plausible ranges are deliberately wide: they catch typing mistakes ("1200", "8" for a
//! systolic pressure, a glucose typed in the wrong unit) but must never refuse a real reading
//! in a crisis, because a refused reading is one the patient may not show a clinician.
//!
//! | quantity | unit | decimals | range |
//! |---|---|---|---|
//! | systolic pressure | mmHg | 0 | 50–300 (home monitors show up to 299) |
//! | diastolic pressure | mmHg | 0 | 20–200, and below the systolic |
//! | blood glucose | mmol/L | 2 (laboratory reports use two) | 1.0–50.0 |
//! | blood glucose | mg/dL | 0 (meters show whole numbers) | 18–900 (= 1.0–50.0 mmol/L) |
//! | weight | kg | 2 (baby scales show 10 g) | 0.5–500 |
//! | weight | lb | 1 | 1.1–1102.3 (= 0.5–500 kg) |
//! | height | cm | 1 | 20–272 |
//! | height | in | 1 | 8–107 (= 20–272 cm) |
//! | body temperature | °C | 1 | 30.0–45.0 (below 30 °C a home thermometer reads "Lo") |
//! | body temperature | °F | 1 | 86.0–113.0 (= 30–45 °C exactly) |
//! | heart rate | beats/min | 0 | 20–300 |
//! | oxygen saturation | % | 0 | 50–100 |
//! | mood | 1–5 | 0 | 1–5 |
//!
//! Deserialising a stored measurement does not re-check its range: it was checked when it
//! was saved, and a later change of the limits must not make a saved reading unreadable.
//! Values from outside (an import) go through the same constructors as typed ones.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Field, FieldError, Problem};

/// A decimal number kept exactly, as a whole number of hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(i64);

impl Decimal {
    /// The number `hundredths / 100`.
    pub const fn from_hundredths(hundredths: i64) -> Decimal {
        Decimal(hundredths)
    }

    /// A whole number.
    pub const fn whole(value: i64) -> Decimal {
        Decimal(value * 100)
    }

    /// The value in hundredths.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// The nearest `f64`, for charts and arithmetic after any exact step.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// How many decimals it needs: 0, 1 or 2.
    pub fn decimals(self) -> u8 {
        match self.0 % 100 {
            0 => 0,
            n if n % 10 == 0 => 1,
            _ => 2,
        }
    }

    /// The value rounded (half away from zero) to at most `decimals` decimals.
    pub fn round_to(self, decimals: u8) -> Decimal {
        let step = match decimals {
            0 => 100,
            1 => 10,
            _ => return self,
        };
        let half = step / 2;
        let rounded = if self.0 >= 0 {
            (self.0 + half) / step
        } else {
            (self.0 - half) / step
        };
        Decimal(rounded * step)
    }

    /// The nearest hundredths to a JSON or FHIR number, and whether it had to be rounded
    /// to get there. `None` for non-finite or absurdly large numbers.
    pub fn from_f64(value: f64) -> Option<(Decimal, bool)> {
        let scaled = value * 100.0;
        let rounded = scaled.round();
        if !rounded.is_finite() || rounded.abs() > 1e15 {
            return None;
        }
        let inexact = (scaled - rounded).abs() > 1e-6 * scaled.abs().max(1.0);
        Some((Decimal(rounded as i64), inexact))
    }

    /// The value with the given decimal separator (`','` for Vietnamese) and only the
    /// decimals it needs: `36,6`, `120`, `5,55`.
    pub fn format(self, separator: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let whole = self.0.unsigned_abs() / 100;
        let fraction = self.0.unsigned_abs() % 100;
        match self.decimals() {
            0 => format!("{sign}{whole}"),
            1 => format!("{sign}{whole}{separator}{}", fraction / 10),
            _ => format!("{sign}{whole}{separator}{fraction:02}"),
        }
    }

    /// Parses a number as a patient types it: surrounding spaces ignored, `.` or `,` as the
    /// decimal separator, full-width digits accepted; no exponents, no thousands
    /// separators. Trailing zeros after the separator do not count as decimals ("36,60").
    ///
    /// Errors: [`Problem::Required`] for nothing typed, [`Problem::NotANumber`], and
    /// [`Problem::TooManyDecimals`] beyond `max_decimals` (at most 2). A number too long to
    /// hold is reported as `None` inside `Ok` so the caller can say "too high"/"too low".
    pub fn parse(text: &str, max_decimals: u8) -> Result<Option<Decimal>, Problem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Problem::Required);
        }
        let (negative, body) = match text.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        // Phone keyboards with an East Asian layout may type full-width digits.
        let ascii: String = body
            .chars()
            .map(|c| match c {
                '\u{FF10}'..='\u{FF19}' => {
                    char::from_u32(c as u32 - 0xFF10 + u32::from(b'0')).unwrap_or(c)
                }
                '\u{FF0C}' => ',',
                '\u{FF0E}' => '.',
                _ => c,
            })
            .collect();
        let (whole, fraction) = match ascii.find(['.', ',']) {
            Some(at) => (&ascii[..at], &ascii[at + 1..]),
            None => (ascii.as_str(), ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(Problem::NotANumber);
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > usize::from(max_decimals.min(2)) {
            return Err(Problem::TooManyDecimals {
                max: max_decimals.min(2),
            });
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Ok(None);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| Problem::NotANumber)?
        };
        let mut hundredths = whole * 100;
        for (place, digit) in [10, 1].into_iter().zip(fraction.bytes()) {
            hundredths += place * i64::from(digit - b'0');
        }
        Ok(Some(Decimal(if negative {
            -hundredths
        } else {
            hundredths
        })))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format('.'))
    }
}

impl Serialize for Decimal {
    /// A JSON number: whole values as integers (`120`), others as the shortest float that
    /// reads back to the same hundredths (`36.6`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            serializer.serialize_i64(self.0 / 100)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Decimal::from_f64(value)
            .map(|(decimal, _)| decimal)
            .ok_or_else(|| serde::de::Error::custom("number out of range"))
    }
}

/// The plausible range and precision of one quantity in one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The form field errors are reported on.
    pub field: Field,
    /// The most decimals accepted.
    pub decimals: u8,
    /// The lowest plausible value.
    pub min: Decimal,
    /// The highest plausible value.
    pub max: Decimal,
}

impl Limits {
    const fn new(field: Field, decimals: u8, min: Decimal, max: Decimal) -> Limits {
        Limits {
            field,
            decimals,
            min,
            max,
        }
    }

    /// Parses what the patient typed and checks it.
    pub fn parse(&self, text: &str) -> Result<Decimal, FieldError> {
        match Decimal::parse(text, self.decimals) {
            Ok(Some(value)) => self.check(value),
            Ok(None) if text.trim_start().starts_with(['-', '\u{2212}']) => Err(FieldError::new(
                self.field,
                Problem::TooLow { min: self.min },
            )),
            Ok(None) => Err(FieldError::new(
                self.field,
                Problem::TooHigh { max: self.max },
            )),
            Err(problem) => Err(FieldError::new(self.field, problem)),
        }
    }

    /// Checks a value's precision and range.
    pub fn check(&self, value: Decimal) -> Result<Decimal, FieldError> {
        let problem = if value.decimals() > self.decimals {
            Problem::TooManyDecimals { max: self.decimals }
        } else if value < self.min {
            Problem::TooLow { min: self.min }
        } else if value > self.max {
            Problem::TooHigh { max: self.max }
        } else {
            return Ok(value);
        };
        Err(FieldError::new(self.field, problem))
    }

    fn check_whole(&self, value: i64) -> Result<i64, FieldError> {
        self.check(Decimal::whole(value)).map(|_| value)
    }

    fn parse_whole(&self, text: &str) -> Result<i64, FieldError> {
        self.parse(text).map(|value| value.hundredths() / 100)
    }
}

const fn whole(value: i64) -> Decimal {
    Decimal::whole(value)
}

const fn tenths(value: i64) -> Decimal {
    Decimal(value * 10)
}

/// Systolic pressure, mmHg.
pub const SYSTOLIC: Limits = Limits::new(Field::Systolic, 0, whole(50), whole(300));
/// Diastolic pressure, mmHg.
pub const DIASTOLIC: Limits = Limits::new(Field::Diastolic, 0, whole(20), whole(200));
/// Heart rate, beats per minute.
pub const HEART_RATE: Limits = Limits::new(Field::Value, 0, whole(20), whole(300));
/// Oxygen saturation, percent.
pub const OXYGEN_SATURATION: Limits = Limits::new(Field::Value, 0, whole(50), whole(100));
/// Mood, 1 (very low) to 5 (very good).
pub const MOOD: Limits = Limits::new(Field::Score, 0, whole(1), whole(5));

/// A blood-pressure reading in mmHg; the systolic is above the diastolic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BloodPressure {
    systolic: u16,
    diastolic: u16,
}

impl BloodPressure {
    /// A checked reading; every problem is reported.
    pub fn new(systolic: u16, diastolic: u16) -> Result<BloodPressure, Vec<FieldError>> {
        let systolic = SYSTOLIC.check_whole(i64::from(systolic));
        let diastolic = DIASTOLIC.check_whole(i64::from(diastolic));
        Self::combine(systolic, diastolic)
    }

    /// Parses the two numbers the patient typed; every problem is reported.
    pub fn parse(systolic: &str, diastolic: &str) -> Result<BloodPressure, Vec<FieldError>> {
        Self::combine(
            SYSTOLIC.parse_whole(systolic),
            DIASTOLIC.parse_whole(diastolic),
        )
    }

    fn combine(
        systolic: Result<i64, FieldError>,
        diastolic: Result<i64, FieldError>,
    ) -> Result<BloodPressure, Vec<FieldError>> {
        match (systolic, diastolic) {
            (Ok(systolic), Ok(diastolic)) if systolic > diastolic => Ok(BloodPressure {
                // In range, so they fit.
                systolic: systolic as u16,
                diastolic: diastolic as u16,
            }),
            (Ok(_), Ok(_)) => Err(vec![FieldError::new(
                Field::Systolic,
                Problem::SystolicNotAboveDiastolic,
            )]),
            (systolic, diastolic) => Err([systolic.err(), diastolic.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    /// The systolic (upper) pressure, mmHg.
    pub fn systolic(self) -> u16 {
        self.systolic
    }

    /// The diastolic (lower) pressure, mmHg.
    pub fn diastolic(self) -> u16 {
        self.diastolic
    }

    /// Re-checks a reading that did not come through a constructor (one read from storage).
    pub fn check(self) -> Result<(), Vec<FieldError>> {
        Self::new(self.systolic, self.diastolic).map(|_| ())
    }
}

macro_rules! unit_enum {
    (
        $(#[$meta:meta])* $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal, $ucum:literal, $symbol:literal, $limits:expr;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            /// Every unit.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)* }
            }

            /// The UCUM code FHIR uses.
            pub fn ucum(self) -> &'static str {
                match self { $($name::$variant => $ucum,)* }
            }

            /// The symbol shown next to a value.
            pub fn symbol(self) -> &'static str {
                match self { $($name::$variant => $symbol,)* }
            }

            /// The plausible range and precision in this unit.
            pub fn limits(self) -> Limits {
                match self { $($name::$variant => $limits,)* }
            }

            /// The unit with this UCUM code.
            pub fn from_ucum(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|unit| unit.ucum() == code)
            }
        }
    };
}

unit_enum! {
    /// A blood-glucose unit.
    GlucoseUnit {
        /// Millimoles per litre (used in Vietnam and most of the world).
        MmolL = "mmol_l", "mmol/L", "mmol/L", Limits::new(Field::Value, 2, whole(1), whole(50));
        /// Milligrams per decilitre.
        MgDl = "mg_dl", "mg/dL", "mg/dL", Limits::new(Field::Value, 0, whole(18), whole(900));
    }
}

unit_enum! {
    /// A unit of body weight.
    MassUnit {
        /// Kilograms.
        Kg = "kg", "kg", "kg", Limits::new(Field::Value, 2, tenths(5), whole(500));
        /// Avoirdupois pounds (exactly 0.45359237 kg).
        Lb = "lb", "[lb_av]", "lb", Limits::new(Field::Value, 1, tenths(11), tenths(11_023));
    }
}

unit_enum! {
    /// A unit of body height.
    LengthUnit {
        /// Centimetres.
        Cm = "cm", "cm", "cm", Limits::new(Field::Value, 1, whole(20), whole(272));
        /// International inches (exactly 2.54 cm).
        In = "in", "[in_i]", "in", Limits::new(Field::Value, 1, whole(8), whole(107));
    }
}

unit_enum! {
    /// A unit of body temperature.
    TemperatureUnit {
        /// Degrees Celsius.
        Celsius = "celsius", "Cel", "°C", Limits::new(Field::Value, 1, whole(30), whole(45));
        /// Degrees Fahrenheit.
        Fahrenheit = "fahrenheit", "[degF]", "°F", Limits::new(Field::Value, 1, whole(86), whole(113));
    }
}

/// When a glucose reading was taken relative to food.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MealContext {
    /// At least 8 hours without food.
    Fasting,
    /// After eating (typically 2 hours).
    AfterMeal,
    /// Any time.
    #[default]
    Random,
}

impl MealContext {
    /// Every context.
    pub const ALL: [MealContext; 3] = [
        MealContext::Fasting,
        MealContext::AfterMeal,
        MealContext::Random,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MealContext::Fasting => "fasting",
            MealContext::AfterMeal => "after_meal",
            MealContext::Random => "random",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<MealContext> {
        MealContext::ALL
            .into_iter()
            .find(|context| context.as_str() == name)
    }
}

/// mg/dL per mmol/L of glucose (its molar mass, 180.156 g/mol, divided by 10), as an exact
/// ratio: 180156 / 10000.
const GLUCOSE_MG_DL_PER_MMOL_L_TIMES_10000: i64 = 180_156;

/// A blood-glucose reading, kept in the unit it was entered in. Converting with
/// [`Glucose::mmol_l`] or [`Glucose::mg_dl`] uses 1 mmol/L = 18.0156 mg/dL exactly and
/// rounds once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Glucose {
    value: Decimal,
    unit: GlucoseUnit,
    context: MealContext,
}

impl Glucose {
    /// A checked reading.
    pub fn new(
        value: Decimal,
        unit: GlucoseUnit,
        context: MealContext,
    ) -> Result<Glucose, FieldError> {
        unit.limits().check(value)?;
        Ok(Glucose {
            value,
            unit,
            context,
        })
    }

    /// Parses the number the patient typed.
    pub fn parse(
        text: &str,
        unit: GlucoseUnit,
        context: MealContext,
    ) -> Result<Glucose, FieldError> {
        Glucose::new(unit.limits().parse(text)?, unit, context)
    }

    /// The value as entered.
    pub fn value(self) -> Decimal {
        self.value
    }

    /// The unit it was entered in.
    pub fn unit(self) -> GlucoseUnit {
        self.unit
    }

    /// Fasting, after a meal, or any time.
    pub fn context(self) -> MealContext {
        self.context
    }

    /// The value in mmol/L.
    pub fn mmol_l(self) -> f64 {
        match self.unit {
            GlucoseUnit::MmolL => self.value.to_f64(),
            // (h / 100) / (180156 / 10000) = h * 100 / 180156
            GlucoseUnit::MgDl => {
                (self.value.hundredths() * 100) as f64 / GLUCOSE_MG_DL_PER_MMOL_L_TIMES_10000 as f64
            }
        }
    }

    /// The value in mg/dL.
    pub fn mg_dl(self) -> f64 {
        match self.unit {
            GlucoseUnit::MgDl => self.value.to_f64(),
            // (h / 100) * (180156 / 10000) = h * 180156 / 1000000
            GlucoseUnit::MmolL => {
                (self.value.hundredths() * GLUCOSE_MG_DL_PER_MMOL_L_TIMES_10000) as f64 / 1e6
            }
        }
    }

    /// Re-checks a reading that did not come through a constructor.
    pub fn check(self) -> Result<(), FieldError> {
        Glucose::new(self.value, self.unit, self.context).map(|_| ())
    }
}

macro_rules! quantity {
    ($(#[$meta:meta])* $name:ident, $unit:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub struct $name {
            value: Decimal,
            unit: $unit,
        }

        impl $name {
            /// A checked value.
            pub fn new(value: Decimal, unit: $unit) -> Result<$name, FieldError> {
                unit.limits().check(value)?;
                Ok($name { value, unit })
            }

            /// Parses the number the patient typed.
            pub fn parse(text: &str, unit: $unit) -> Result<$name, FieldError> {
                $name::new(unit.limits().parse(text)?, unit)
            }

            /// The value as entered.
            pub fn value(self) -> Decimal {
                self.value
            }

            /// The unit it was entered in.
            pub fn unit(self) -> $unit {
                self.unit
            }

            /// Re-checks a value that did not come through a constructor.
            pub fn check(self) -> Result<(), FieldError> {
                $name::new(self.value, self.unit).map(|_| ())
            }
        }
    };
}

quantity!(
    /// Body weight, kept in the unit it was entered in.
    Weight,
    MassUnit
);
quantity!(
    /// Body height, kept in the unit it was entered in.
    Height,
    LengthUnit
);
quantity!(
    /// Body temperature, kept in the unit it was entered in.
    Temperature,
    TemperatureUnit
);

impl Weight {
    /// In kilograms (1 lb = 0.45359237 kg exactly; rounded once).
    pub fn kg(self) -> f64 {
        match self.unit {
            MassUnit::Kg => self.value.to_f64(),
            MassUnit::Lb => (self.value.hundredths() * 45_359_237) as f64 / 1e10,
        }
    }

    /// In pounds.
    pub fn lb(self) -> f64 {
        match self.unit {
            MassUnit::Lb => self.value.to_f64(),
            MassUnit::Kg => (self.value.hundredths() as f64 * 1e6) / 45_359_237.0,
        }
    }
}

impl Height {
    /// In centimetres (1 in = 2.54 cm exactly; rounded once).
    pub fn cm(self) -> f64 {
        match self.unit {
            LengthUnit::Cm => self.value.to_f64(),
            LengthUnit::In => (self.value.hundredths() * 254) as f64 / 10_000.0,
        }
    }

    /// In inches.
    pub fn inches(self) -> f64 {
        match self.unit {
            LengthUnit::In => self.value.to_f64(),
            LengthUnit::Cm => self.value.hundredths() as f64 / 254.0,
        }
    }
}

impl Temperature {
    /// In degrees Celsius: (°F − 32) × 5/9, computed exactly and rounded once.
    pub fn celsius(self) -> f64 {
        match self.unit {
            TemperatureUnit::Celsius => self.value.to_f64(),
            TemperatureUnit::Fahrenheit => ((self.value.hundredths() - 3200) * 5) as f64 / 900.0,
        }
    }

    /// In degrees Fahrenheit: °C × 9/5 + 32, computed exactly and rounded once.
    pub fn fahrenheit(self) -> f64 {
        match self.unit {
            TemperatureUnit::Fahrenheit => self.value.to_f64(),
            TemperatureUnit::Celsius => (self.value.hundredths() * 9 + 16_000) as f64 / 500.0,
        }
    }
}

macro_rules! whole_quantity {
    ($(#[$meta:meta])* $name:ident, $field:ident: $int:ty, $limits:expr, $unit_doc:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name {
            $field: $int,
        }

        impl $name {
            /// A checked value.
            pub fn new(value: $int) -> Result<$name, FieldError> {
                $limits.check_whole(i64::from(value))?;
                Ok($name { $field: value })
            }

            /// Parses the number the patient typed.
            pub fn parse(text: &str) -> Result<$name, FieldError> {
                let value = $limits.parse_whole(text)?;
                // In range, so it fits.
                Ok($name { $field: value as $int })
            }

            #[doc = $unit_doc]
            pub fn $field(self) -> $int {
                self.$field
            }

            /// Re-checks a value that did not come through a constructor.
            pub fn check(self) -> Result<(), FieldError> {
                $name::new(self.$field).map(|_| ())
            }
        }
    };
}

whole_quantity!(
    /// A heart rate.
    HeartRate, bpm: u16, HEART_RATE, "Beats per minute."
);
whole_quantity!(
    /// Oxygen saturation measured with a pulse oximeter.
    OxygenSaturation, percent: u8, OXYGEN_SATURATION, "Percent."
);
whole_quantity!(
    /// How the patient feels: 1 (very low) to 5 (very good).
    MoodScore, score: u8, MOOD, "1 to 5."
);

#[cfg(test)]
// Hundredths are written as `whole_hundredths` (36_60 is 36.60) for reading at a glance.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    fn d(hundredths: i64) -> Decimal {
        Decimal::from_hundredths(hundredths)
    }

    fn problem<T: fmt::Debug>(result: Result<T, FieldError>) -> Problem {
        result.expect_err("should be refused").problem().clone()
    }

    #[test]
    fn numbers_are_read_as_patients_type_them() {
        for (text, decimals, hundredths) in [
            ("120", 0, 120_00),
            (" 120 ", 0, 120_00),
            ("36,6", 1, 36_60),
            ("36.6", 1, 36_60),
            ("36,60", 1, 36_60),
            ("0,5", 2, 50),
            (",5", 2, 50),
            ("5.", 1, 5_00),
            ("+7", 0, 7_00),
            ("-7", 0, -7_00),
            ("\u{2212}7", 0, -7_00),
            ("１２０", 0, 120_00),
            ("５，５", 1, 5_50),
            ("\u{a0}98\u{a0}", 0, 98_00),
            ("007", 0, 7_00),
        ] {
            assert_eq!(
                Decimal::parse(text, decimals),
                Ok(Some(d(hundredths))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn what_is_not_a_plain_number_is_refused_by_kind() {
        for (text, decimals, expected) in [
            ("", 0, Problem::Required),
            ("   ", 0, Problem::Required),
            ("abc", 0, Problem::NotANumber),
            ("NaN", 2, Problem::NotANumber),
            ("inf", 2, Problem::NotANumber),
            ("infinity", 2, Problem::NotANumber),
            ("1e3", 2, Problem::NotANumber),
            ("1 20", 0, Problem::NotANumber),
            ("1.2.3", 2, Problem::NotANumber),
            ("1,200.5", 2, Problem::NotANumber),
            (".", 2, Problem::NotANumber),
            (",", 2, Problem::NotANumber),
            ("-", 2, Problem::NotANumber),
            ("120mmHg", 0, Problem::NotANumber),
            ("0x10", 0, Problem::NotANumber),
            ("36.6", 0, Problem::TooManyDecimals { max: 0 }),
            ("5.555", 2, Problem::TooManyDecimals { max: 2 }),
        ] {
            assert_eq!(Decimal::parse(text, decimals), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn a_number_too_long_to_hold_is_too_high_or_too_low() {
        assert_eq!(Decimal::parse("99999999999999999999", 0), Ok(None));
        assert_eq!(
            problem(HeartRate::parse("99999999999999999999")),
            Problem::TooHigh {
                max: Decimal::whole(300)
            }
        );
        assert_eq!(
            problem(HeartRate::parse("-99999999999999999999")),
            Problem::TooLow {
                min: Decimal::whole(20)
            }
        );
    }

    #[test]
    fn decimals_print_with_the_separator_asked_for() {
        for (hundredths, dot, comma) in [
            (36_60, "36.6", "36,6"),
            (120_00, "120", "120"),
            (5_55, "5.55", "5,55"),
            (5, "0.05", "0,05"),
            (-7_50, "-7.5", "-7,5"),
        ] {
            assert_eq!(d(hundredths).to_string(), dot);
            assert_eq!(d(hundredths).format(','), comma);
        }
    }

    #[test]
    fn decimals_serialise_as_json_numbers_and_back() {
        for (hundredths, json) in [
            (120_00, "120"),
            (36_60, "36.6"),
            (5_55, "5.55"),
            (-50, "-0.5"),
        ] {
            assert_eq!(
                serde_json::to_string(&d(hundredths)).expect("serialise"),
                json
            );
            assert_eq!(
                serde_json::from_str::<Decimal>(json).expect("parse"),
                d(hundredths)
            );
        }
    }

    #[test]
    fn floats_become_hundredths_and_say_when_rounded() {
        assert_eq!(Decimal::from_f64(36.6), Some((d(36_60), false)));
        assert_eq!(Decimal::from_f64(0.1 + 0.2), Some((d(30), false)));
        assert_eq!(Decimal::from_f64(5.555), Some((d(5_56), true)));
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert_eq!(Decimal::from_f64(1e300), None);
        assert_eq!(d(5_55).round_to(1), d(5_60));
        assert_eq!(d(-5_55).round_to(1), d(-5_60));
        assert_eq!(d(70_45).round_to(0), d(70_00));
    }

    #[test]
    fn blood_pressure_is_checked_field_by_field_and_as_a_pair() {
        assert_eq!(
            BloodPressure::parse("120", "80").map(|bp| (bp.systolic(), bp.diastolic())),
            Ok((120, 80))
        );
        for (systolic, diastolic, expected) in [
            ("", "80", vec![(Field::Systolic, Problem::Required)]),
            (
                "1200",
                "80",
                vec![(
                    Field::Systolic,
                    Problem::TooHigh {
                        max: Decimal::whole(300),
                    },
                )],
            ),
            (
                "120",
                "8",
                vec![(
                    Field::Diastolic,
                    Problem::TooLow {
                        min: Decimal::whole(20),
                    },
                )],
            ),
            (
                "120,5",
                "x",
                vec![
                    (Field::Systolic, Problem::TooManyDecimals { max: 0 }),
                    (Field::Diastolic, Problem::NotANumber),
                ],
            ),
            (
                "80",
                "120",
                vec![(Field::Systolic, Problem::SystolicNotAboveDiastolic)],
            ),
            (
                "90",
                "90",
                vec![(Field::Systolic, Problem::SystolicNotAboveDiastolic)],
            ),
        ] {
            let errors = BloodPressure::parse(systolic, diastolic).expect_err(systolic);
            let errors: Vec<(Field, Problem)> = errors
                .into_iter()
                .map(|error| (error.field(), error.problem().clone()))
                .collect();
            assert_eq!(errors, expected, "{systolic}/{diastolic}");
        }
        assert!(BloodPressure::new(300, 200).is_ok());
        assert!(BloodPressure::new(50, 20).is_ok());
        assert!(BloodPressure::new(301, 80).is_err());
    }

    #[test]
    fn each_unit_has_its_own_range_and_precision() {
        for (result, ok) in [
            (
                Glucose::parse("5,6", GlucoseUnit::MmolL, MealContext::Fasting).is_ok(),
                true,
            ),
            (
                Glucose::parse("5,36", GlucoseUnit::MmolL, MealContext::Random).is_ok(),
                true,
            ),
            (
                Glucose::parse("0,9", GlucoseUnit::MmolL, MealContext::Random).is_ok(),
                false,
            ),
            (
                Glucose::parse("50,1", GlucoseUnit::MmolL, MealContext::Random).is_ok(),
                false,
            ),
            (
                Glucose::parse("101", GlucoseUnit::MgDl, MealContext::AfterMeal).is_ok(),
                true,
            ),
            (
                Glucose::parse("5.6", GlucoseUnit::MgDl, MealContext::Random).is_ok(),
                false,
            ),
            (
                Glucose::parse("901", GlucoseUnit::MgDl, MealContext::Random).is_ok(),
                false,
            ),
            (Weight::parse("70,25", MassUnit::Kg).is_ok(), true),
            (Weight::parse("154.3", MassUnit::Lb).is_ok(), true),
            (Weight::parse("154.35", MassUnit::Lb).is_ok(), false),
            (Weight::parse("0,4", MassUnit::Kg).is_ok(), false),
            (Weight::parse("501", MassUnit::Kg).is_ok(), false),
            (Height::parse("172,5", LengthUnit::Cm).is_ok(), true),
            (Height::parse("5.8", LengthUnit::In).is_ok(), false),
            (Height::parse("68", LengthUnit::In).is_ok(), true),
            (
                Temperature::parse("36,6", TemperatureUnit::Celsius).is_ok(),
                true,
            ),
            (
                Temperature::parse("98.6", TemperatureUnit::Fahrenheit).is_ok(),
                true,
            ),
            (
                Temperature::parse("98.6", TemperatureUnit::Celsius).is_ok(),
                false,
            ),
            (
                Temperature::parse("36.65", TemperatureUnit::Celsius).is_ok(),
                false,
            ),
            (HeartRate::parse("72").is_ok(), true),
            (HeartRate::parse("72.5").is_ok(), false),
            (HeartRate::parse("19").is_ok(), false),
            (OxygenSaturation::parse("97").is_ok(), true),
            (OxygenSaturation::parse("101").is_ok(), false),
            (OxygenSaturation::parse("49").is_ok(), false),
            (MoodScore::parse("3").is_ok(), true),
            (MoodScore::parse("0").is_ok(), false),
            (MoodScore::parse("6").is_ok(), false),
        ] {
            assert_eq!(result, ok);
        }
    }

    #[test]
    fn refusals_carry_the_limit_in_the_unit_the_patient_used() {
        assert_eq!(
            problem(Temperature::parse("120", TemperatureUnit::Fahrenheit)),
            Problem::TooHigh {
                max: Decimal::whole(113)
            }
        );
        assert_eq!(
            problem(Glucose::parse(
                "0,5",
                GlucoseUnit::MmolL,
                MealContext::Random
            )),
            Problem::TooLow {
                min: Decimal::whole(1)
            }
        );
        let error = Weight::parse("abc", MassUnit::Kg).expect_err("not a number");
        assert_eq!(
            (error.field(), error.problem()),
            (Field::Value, &Problem::NotANumber)
        );
    }

    #[test]
    fn conversions_use_the_exact_factors() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        let glucose =
            Glucose::parse("5,5", GlucoseUnit::MmolL, MealContext::Random).expect("valid");
        assert!(close(glucose.mg_dl(), 99.0858));
        let glucose = Glucose::parse("180", GlucoseUnit::MgDl, MealContext::Random).expect("valid");
        assert!(close(glucose.mmol_l(), 180.0 / 18.0156));
        assert!(close(
            Weight::parse("100", MassUnit::Lb).expect("valid").kg(),
            45.359237
        ));
        let kg = Weight::parse("45,35", MassUnit::Kg).expect("valid");
        assert!(close(kg.lb(), 45.35 / 0.45359237));
        assert!(close(
            Height::parse("70", LengthUnit::In).expect("valid").cm(),
            177.8
        ));
        assert!(close(
            Height::parse("254", LengthUnit::Cm)
                .expect("valid")
                .inches(),
            100.0
        ));
        let fever = Temperature::parse("100,4", TemperatureUnit::Fahrenheit).expect("valid");
        assert!(close(fever.celsius(), 38.0));
        let normal = Temperature::parse("37", TemperatureUnit::Celsius).expect("valid");
        assert!(close(normal.fahrenheit(), 98.6));
        let low = Temperature::parse("86", TemperatureUnit::Fahrenheit).expect("valid");
        assert!(close(low.celsius(), 30.0));
    }

    #[test]
    fn unit_ranges_describe_the_same_quantity() {
        // Each unit's limits, converted exactly, land within one display step of the other's.
        let kg = MassUnit::Kg.limits();
        let lb = MassUnit::Lb.limits();
        assert!((lb.min.to_f64() * 0.45359237 - kg.min.to_f64()).abs() < 0.01);
        assert!((lb.max.to_f64() * 0.45359237 - kg.max.to_f64()).abs() < 0.5);
        let cm = LengthUnit::Cm.limits();
        let inch = LengthUnit::In.limits();
        assert!((inch.min.to_f64() * 2.54 - cm.min.to_f64()).abs() < 1.0);
        assert!((inch.max.to_f64() * 2.54 - cm.max.to_f64()).abs() < 1.0);
        let mmol = GlucoseUnit::MmolL.limits();
        let mg = GlucoseUnit::MgDl.limits();
        assert!((mmol.min.to_f64() * 18.0156 - mg.min.to_f64()).abs() < 1.0);
        assert!((mmol.max.to_f64() * 18.0156 - mg.max.to_f64()).abs() < 1.0);
        let c = TemperatureUnit::Celsius.limits();
        let f = TemperatureUnit::Fahrenheit.limits();
        assert_eq!(c.min.to_f64() * 9.0 / 5.0 + 32.0, f.min.to_f64());
        assert_eq!(c.max.to_f64() * 9.0 / 5.0 + 32.0, f.max.to_f64());
    }

    #[test]
    fn units_know_their_ucum_codes() {
        for (code, ok) in [("mmol/L", true), ("mg/dL", true), ("mg/dl", false)] {
            assert_eq!(GlucoseUnit::from_ucum(code).is_some(), ok, "{code}");
        }
        assert_eq!(MassUnit::from_ucum("[lb_av]"), Some(MassUnit::Lb));
        assert_eq!(LengthUnit::from_ucum("[in_i]"), Some(LengthUnit::In));
        assert_eq!(
            TemperatureUnit::from_ucum("[degF]"),
            Some(TemperatureUnit::Fahrenheit)
        );
        assert_eq!(TemperatureUnit::Celsius.symbol(), "°C");
    }

    #[test]
    fn measurements_are_stored_with_their_unit_as_entered() {
        let weight = Weight::parse("154,3", MassUnit::Lb).expect("valid");
        let json = serde_json::to_string(&weight).expect("serialise");
        assert_eq!(json, r#"{"value":154.3,"unit":"lb"}"#);
        assert_eq!(
            serde_json::from_str::<Weight>(&json).expect("parse"),
            weight
        );
        let glucose =
            Glucose::parse("5,6", GlucoseUnit::MmolL, MealContext::AfterMeal).expect("valid");
        assert_eq!(
            serde_json::to_string(&glucose).expect("serialise"),
            r#"{"value":5.6,"unit":"mmol_l","context":"after_meal"}"#
        );
        let bp = BloodPressure::new(120, 80).expect("valid");
        assert_eq!(
            serde_json::to_string(&bp).expect("serialise"),
            r#"{"systolic":120,"diastolic":80}"#
        );
    }
}
