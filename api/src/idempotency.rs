//! The `Idempotency-Key` header shared by the widget's outbox and the server's layer.

/// The request header that carries a client-generated idempotency key.
pub const HEADER: &str = "Idempotency-Key";

/// Why a header value is not an acceptable idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The header is absent on an endpoint that requires it.
    Missing,
    /// The value is not 8 to 128 characters of `A–Z a–z 0–9 - _ . :`.
    Malformed,
}

/// A checked idempotency key: 8 to 128 visible ASCII characters from a safe set, such as the
/// UUID that `crypto.randomUUID()` produces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parses a header value.
    pub fn parse(value: Option<&str>) -> Result<Self, KeyError> {
        let value = value.ok_or(KeyError::Missing)?.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
        if (8..=128).contains(&value.len()) && value.chars().all(allowed) {
            Ok(Self(value.to_owned()))
        } else {
            Err(KeyError::Malformed)
        }
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_a_valid_key() {
        let key = IdempotencyKey::parse(Some("3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")).unwrap();
        assert_eq!(key.as_str(), "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
    }

    #[test]
    fn a_missing_key_is_reported_as_missing() {
        assert_eq!(IdempotencyKey::parse(None), Err(KeyError::Missing));
    }

    #[test]
    fn short_long_and_odd_keys_are_malformed() {
        for bad in [
            "",
            "short",
            &"a".repeat(129),
            "has space inside",
            "emoji-🙂-key",
            "semi;colon!",
        ] {
            assert_eq!(
                IdempotencyKey::parse(Some(bad)),
                Err(KeyError::Malformed),
                "{bad:?}"
            );
        }
    }
}
