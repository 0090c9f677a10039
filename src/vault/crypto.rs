//! The lock's cryptography: Argon2id turns the passphrase into a key-encryption key, and
//! AES-256-GCM (WebCrypto, non-extractable keys) seals every row with a fresh random IV.
//!
//! Sealed bytes are `iv (12 bytes) || ciphertext with its 16-byte tag`. Every seal binds
//! "additional data" naming what it is (`entries/<id>`, `lock/<g>`), so a sealed body cannot
//! be moved to another row without failing to open.

use argon2::{Algorithm, Argon2, Params, Version};
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, CryptoKey, SubtleCrypto};

use super::{VaultError, js_message};

/// Salt length for Argon2id, in bytes.
pub(super) const SALT_LEN: usize = 16;
/// AES-GCM IV length, in bytes.
pub(super) const IV_LEN: usize = 12;
/// AES-256 key length, in bytes.
pub(super) const KEY_LEN: usize = 32;

/// Argon2id memory cost in KiB (19 MiB, OWASP's minimum recommendation).
const MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id passes.
const PASSES: u32 = 2;

/// The longest wait between passphrase attempts, in milliseconds.
pub(super) const MAX_RETRY_DELAY_MS: u32 = 60_000;

/// Derives the 32-byte key-encryption key from a passphrase and its salt (Argon2id v1.3,
/// 19 MiB, 2 passes, 1 lane).
pub(super) fn derive(passphrase: &str, salt: &[u8]) -> Result<[u8; KEY_LEN], VaultError> {
    let params = Params::new(MEMORY_KIB, PASSES, 1, Some(KEY_LEN))
        .map_err(|error| VaultError::Crypto(error.to_string()))?;
    let mut key = [0u8; KEY_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut key)
        .map_err(|error| VaultError::Crypto(error.to_string()))?;
    Ok(key)
}

/// How long to wait after `failures` wrong passphrases in a row: 0, then 1, 2, 4, 8 … s,
/// at most a minute.
pub(super) fn retry_delay_ms(failures: u32) -> u32 {
    if failures == 0 {
        return 0;
    }
    let doublings = (failures - 1).min(16);
    (1000u32 << doublings).min(MAX_RETRY_DELAY_MS)
}

/// A file's plaintext before sealing: its media type (sealed with it) and its bytes.
pub(super) fn frame(media_type: &str, bytes: &[u8]) -> Vec<u8> {
    let media_type = &media_type.as_bytes()[..media_type.len().min(usize::from(u16::MAX))];
    let mut framed = Vec::with_capacity(2 + media_type.len() + bytes.len());
    framed.extend_from_slice(&(media_type.len() as u16).to_be_bytes());
    framed.extend_from_slice(media_type);
    framed.extend_from_slice(bytes);
    framed
}

/// The media type and bytes of a [`frame`]d file, or `None` if it is malformed.
pub(super) fn unframe(framed: &[u8]) -> Option<(String, &[u8])> {
    let len = usize::from(u16::from_be_bytes([*framed.first()?, *framed.get(1)?]));
    let media_type = framed.get(2..2 + len)?;
    Some((
        String::from_utf8(media_type.to_vec()).ok()?,
        &framed[2 + len..],
    ))
}

fn crypto() -> Result<web_sys::Crypto, VaultError> {
    web_sys::window()
        .ok_or_else(|| VaultError::Crypto("no window".into()))?
        .crypto()
        .map_err(|error| VaultError::Crypto(js_message(&error)))
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    Ok(crypto()?.subtle())
}

/// `N` bytes from the browser's cryptographic random source.
pub(super) fn random<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut bytes = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|error| VaultError::Crypto(js_message(&error)))?;
    Ok(bytes)
}

fn crypto_error(error: JsValue) -> VaultError {
    VaultError::Crypto(js_message(&error))
}

/// An AES-256-GCM key held by WebCrypto; its bytes cannot be read back.
#[derive(Clone)]
pub(super) struct Key(CryptoKey);

impl Key {
    /// Imports raw key bytes as a non-extractable AES-GCM key.
    pub(super) async fn import(raw: &[u8]) -> Result<Key, VaultError> {
        let algorithm = Object::new();
        Reflect::set(&algorithm, &"name".into(), &"AES-GCM".into()).map_err(crypto_error)?;
        let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
        let promise = subtle()?
            .import_key_with_object("raw", &Uint8Array::from(raw), &algorithm, false, &usages)
            .map_err(crypto_error)?;
        let key = JsFuture::from(promise).await.map_err(crypto_error)?;
        Ok(Key(key.unchecked_into()))
    }

    /// Starts sealing `plain`; the promise gives the ciphertext for the returned IV.
    fn start_seal(
        &self,
        plain: &Uint8Array,
        aad: &[u8],
    ) -> Result<([u8; IV_LEN], Promise), VaultError> {
        let iv = random::<IV_LEN>()?;
        let params = AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(&iv[..]));
        params.set_additional_data_u8_array(&Uint8Array::from(aad));
        let promise = subtle()?
            .encrypt_with_object_and_js_u8_array(&params, &self.0, plain)
            .map_err(crypto_error)?;
        Ok((iv, promise))
    }

    /// Seals `plain` with a fresh IV: `iv || ciphertext`.
    pub(super) async fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<Uint8Array, VaultError> {
        let (iv, promise) = self.start_seal(&Uint8Array::from(plain), aad)?;
        let ciphertext = JsFuture::from(promise).await.map_err(crypto_error)?;
        Ok(join(&iv, &ciphertext))
    }

    /// Seals many plaintexts at once (WebCrypto runs them concurrently), in order.
    pub(super) async fn seal_many(
        &self,
        items: &[(Uint8Array, Vec<u8>)],
    ) -> Result<Vec<Uint8Array>, VaultError> {
        let mut ivs = Vec::with_capacity(items.len());
        let promises = Array::new_with_length(items.len() as u32);
        for (i, (plain, aad)) in items.iter().enumerate() {
            let (iv, promise) = self.start_seal(plain, aad)?;
            ivs.push(iv);
            promises.set(i as u32, promise.into());
        }
        let results: Array = JsFuture::from(Promise::all(&promises))
            .await
            .map_err(crypto_error)?
            .unchecked_into();
        Ok(ivs
            .iter()
            .enumerate()
            .map(|(i, iv)| join(iv, &results.get(i as u32)))
            .collect())
    }

    /// Starts opening `iv || ciphertext`; the promise rejects if the key or the additional
    /// data is wrong or the bytes were changed.
    pub(super) fn start_open(
        &self,
        sealed: &Uint8Array,
        aad: &[u8],
    ) -> Result<Promise, VaultError> {
        if (sealed.length() as usize) < IV_LEN + 16 {
            return Err(VaultError::Corrupt("sealed value too short".into()));
        }
        let params = AesGcmParams::new_with_u8_array("AES-GCM", &sealed.subarray(0, IV_LEN as u32));
        params.set_additional_data_u8_array(&Uint8Array::from(aad));
        subtle()?
            .decrypt_with_object_and_js_u8_array(
                &params,
                &self.0,
                &sealed.subarray(IV_LEN as u32, sealed.length()),
            )
            .map_err(crypto_error)
    }

    /// Opens `iv || ciphertext`; `None` if this key (or the additional data) is not the one
    /// it was sealed with.
    pub(super) async fn open(
        &self,
        sealed: &Uint8Array,
        aad: &[u8],
    ) -> Result<Option<Vec<u8>>, VaultError> {
        let promise = self.start_open(sealed, aad)?;
        Ok(JsFuture::from(promise)
            .await
            .ok()
            .map(|plain| Uint8Array::new(&plain).to_vec()))
    }
}

/// `iv || ciphertext` as one array.
fn join(iv: &[u8; IV_LEN], ciphertext: &JsValue) -> Uint8Array {
    let ciphertext = Uint8Array::new(ciphertext);
    let sealed = Uint8Array::new_with_length(IV_LEN as u32 + ciphertext.length());
    sealed.set(&Uint8Array::from(&iv[..]), 0);
    sealed.set(&ciphertext, IV_LEN as u32);
    sealed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passphrases_wait_longer_and_longer_up_to_a_minute() {
        let delays: Vec<u32> = (0..10).map(retry_delay_ms).collect();
        assert_eq!(
            delays,
            [
                0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000
            ]
        );
        assert_eq!(retry_delay_ms(u32::MAX), MAX_RETRY_DELAY_MS);
    }

    #[test]
    fn a_file_frame_keeps_its_media_type_and_bytes() {
        let framed = frame("image/png", &[1, 2, 3]);
        assert_eq!(
            unframe(&framed),
            Some(("image/png".to_owned(), &[1u8, 2, 3][..]))
        );
        assert_eq!(unframe(&frame("", &[])), Some((String::new(), &[][..])));
        assert_eq!(unframe(&[0, 9, b'x']), None, "a type longer than the frame");
        assert_eq!(unframe(&[]), None);
    }

    #[test]
    fn the_same_passphrase_and_salt_give_the_same_key_and_another_salt_another() {
        let salt = [7u8; SALT_LEN];
        let key = derive("correct horse", &salt).unwrap();
        assert_eq!(key, derive("correct horse", &salt).unwrap());
        assert_ne!(key, derive("correct horse", &[8u8; SALT_LEN]).unwrap());
        assert_ne!(key, derive("correct hors", &salt).unwrap());
    }
}
