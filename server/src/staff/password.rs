//! Password hashing with Argon2id, off the async threads.

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::error::BoxError;

/// Hashes and verifies staff passwords.
///
/// Hashing is deliberately slow, so it runs on tokio's blocking pool. Verifying against an
/// unknown account still does the full work (against a dummy hash), so response times do not
/// reveal which emails have accounts.
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    dummy_hash: Arc<str>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Passwords {
    /// OWASP's recommended Argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
    pub fn owasp_params() -> Params {
        Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters")
    }

    /// Cheap parameters (1 MiB, 1 pass) for test suites, where hashing cost only slows the
    /// run. Never use them for real accounts.
    pub fn test_params() -> Params {
        Params::new(1024, 1, 1, None).expect("valid Argon2 parameters")
    }

    /// A hasher with the given parameters (new hashes use them; existing hashes keep theirs).
    pub async fn new(params: Params) -> Result<Passwords, BoxError> {
        let dummy = uuid::Uuid::new_v4().to_string();
        let hasher = Passwords {
            params,
            dummy_hash: Arc::from(""),
        };
        let dummy_hash = hasher.hash(dummy).await?;
        Ok(Passwords {
            dummy_hash: Arc::from(dummy_hash),
            ..hasher
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC-format hash of `password` with a fresh random salt.
    pub async fn hash(&self, password: String) -> Result<String, BoxError> {
        let argon2 = self.argon2();
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| BoxError::from(format!("hashing a password failed: {error}")))
        })
        .await?
    }

    /// Whether `password` matches `hash`; with no hash (an unknown account) it checks against
    /// a dummy so the time taken is the same, and answers `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, BoxError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let argon2 = self.argon2();
        let matches = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(|error| {
                BoxError::from(format!("a stored password hash is invalid: {error}"))
            })?;
            Ok::<bool, BoxError>(argon2.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await??;
        Ok(known && matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Params {
        Passwords::test_params()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let passwords = Passwords::new(cheap()).await.unwrap();
        let hash = passwords
            .hash("correct horse battery".into())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{hash}");
        assert!(
            passwords
                .verify("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("wrong horse battery".into(), Some(hash))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let passwords = Passwords::new(cheap()).await.unwrap();
        assert!(!passwords.verify(String::new(), None).await.unwrap());
    }

    #[test]
    fn the_default_parameters_are_owasps() {
        let params = Passwords::owasp_params();
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (19456, 2, 1)
        );
    }
}
