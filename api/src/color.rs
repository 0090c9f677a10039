//! Brand colours and WCAG contrast: the clinic picks a colour, Haven makes sure text on it
//! stays readable.

use serde::{Deserialize, Serialize};

/// An sRGB colour from a `#rrggbb` (or `#rgb`) hex string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

/// The minimum contrast ratio WCAG 2.2 AA asks for normal-size text.
pub const AA_TEXT: f64 = 4.5;

impl Rgb {
    /// White.
    pub const WHITE: Rgb = Rgb {
        r: 255,
        g: 255,
        b: 255,
    };

    /// Parses `#rrggbb` or `#rgb`, case-insensitively.
    pub fn parse(input: &str) -> Result<Rgb, String> {
        let hex = input
            .trim()
            .strip_prefix('#')
            .ok_or_else(|| format!("colour {input:?} must start with '#', like \"#0b6e75\""))?;
        let digit = |c: char| c.to_digit(16).map(|d| d as u8);
        let digits: Option<Vec<u8>> = hex.chars().map(digit).collect();
        match (digits.as_deref(), hex.len()) {
            (Some(&[r, g, b]), 3) => Ok(Rgb {
                r: r * 17,
                g: g * 17,
                b: b * 17,
            }),
            (Some(&[r1, r2, g1, g2, b1, b2]), 6) => Ok(Rgb {
                r: r1 * 16 + r2,
                g: g1 * 16 + g2,
                b: b1 * 16 + b2,
            }),
            _ => Err(format!(
                "colour {input:?} must be 3 or 6 hexadecimal digits after '#', like \"#0b6e75\""
            )),
        }
    }

    /// `#rrggbb`, lower case.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// Relative luminance as defined by WCAG 2.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// The WCAG contrast ratio between two colours, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Mixes this colour toward black by `amount` (0 = unchanged, 1 = black).
    fn darken(self, amount: f64) -> Rgb {
        let scale = |c: u8| (f64::from(c) * (1.0 - amount)).round() as u8;
        Rgb {
            r: scale(self.r),
            g: scale(self.g),
            b: scale(self.b),
        }
    }

    /// The brand colour to use behind white text: the colour itself when white text on it
    /// meets WCAG AA, otherwise the lightest darker shade of it that does.
    pub fn accessible_background(self) -> Rgb {
        (0..=100)
            .map(|step| self.darken(f64::from(step) / 100.0))
            .find(|shade| shade.contrast(Rgb::WHITE) >= AA_TEXT)
            .unwrap_or(Rgb { r: 0, g: 0, b: 0 })
    }
}

/// On the wire an [`Rgb`] is its `#rrggbb` string, so its schema is a string, not the struct.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Rgb {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"))
            .examples(["#0b6e75"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Rgb {}

impl TryFrom<String> for Rgb {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Rgb::parse(&value)
    }
}

impl From<Rgb> for String {
    fn from(value: Rgb) -> Self {
        value.to_hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_short_hex_forms_parse_to_the_same_colour() {
        assert_eq!(Rgb::parse("#ffcc00"), Rgb::parse("#FC0"));
        assert_eq!(Rgb::parse("#0b6e75").unwrap().to_hex(), "#0b6e75");
    }

    #[test]
    fn colours_without_hash_or_with_bad_digits_are_rejected_with_an_example() {
        for bad in ["0b6e75", "#0b6e7", "#zzzzzz", "", "#"] {
            let message = Rgb::parse(bad).unwrap_err();
            assert!(message.contains("#0b6e75"), "{message}");
        }
    }

    #[test]
    fn black_on_white_has_the_maximum_contrast() {
        let black = Rgb { r: 0, g: 0, b: 0 };
        assert!((black.contrast(Rgb::WHITE) - 21.0).abs() < 1e-9);
        assert!((Rgb::WHITE.contrast(Rgb::WHITE) - 1.0).abs() < 1e-9);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_openapi_schema_is_a_hex_string() {
        let schema = serde_json::to_value(<Rgb as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["examples"][0], "#0b6e75");
    }

    #[test]
    fn a_dark_enough_brand_colour_is_kept() {
        let teal = Rgb::parse("#0b6e75").unwrap();
        assert_eq!(teal.accessible_background(), teal);
    }

    #[test]
    fn a_light_brand_colour_is_darkened_until_white_text_passes_aa() {
        let yellow = Rgb::parse("#ffd400").unwrap();
        let shade = yellow.accessible_background();
        assert_ne!(shade, yellow);
        assert!(shade.contrast(Rgb::WHITE) >= AA_TEXT);
        // It is the lightest passing shade: the step before it fails.
        let step = (1..=100)
            .find(|step| yellow.darken(f64::from(*step) / 100.0) == shade)
            .expect("the shade is one of the steps");
        assert!(
            yellow
                .darken(f64::from(step - 1) / 100.0)
                .contrast(Rgb::WHITE)
                < AA_TEXT
        );
    }
}
