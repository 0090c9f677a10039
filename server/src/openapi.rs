//! The OpenAPI 3 document at `GET /api/openapi.json`, generated from the handlers'
//! `#[utoipa::path]` annotations and the `haven-api` wire types.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use haven_api::idempotency::HEADER as IDEMPOTENCY_HEADER;
use haven_api::staff::CSRF_HEADER;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, Required, Type};
use utoipa::{Modify, OpenApi};

use crate::staff::session::COOKIE_NAME;

/// The generated part of the document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Haven API",
        description = "The API behind the Haven patient widget and staff console. Every error \
                       answers with an `ApiError` body."
    ),
    paths(
        crate::public::config_get,
        crate::public::health_get,
        openapi_get,
        crate::staff::session_create,
        crate::staff::session_get,
        crate::staff::session_delete,
        crate::staff::accounts_list,
        crate::staff::accounts_create,
        crate::staff::accounts_update,
        crate::staff::accounts_delete,
        crate::staff::audit_list,
        crate::content::serve::content_get,
        crate::content::misses::search_misses_create,
        crate::content::misses::search_misses_list,
        crate::content::serve::content_status_get,
        crate::appointments::requests_create,
        crate::appointments::request_get,
        crate::appointments::answer_create,
        crate::appointments::inbox_list,
        crate::appointments::detail_get,
        crate::appointments::action_create,
        crate::appointments::fhir_get,
        crate::appointments::csv_get,
    ),
    components(schemas(haven_api::ApiError, haven_api::ErrorCode)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "appointments", description = "Appointment requests: intake, the patient's status and the clinic's inbox"),
        (name = "clinic", description = "The clinic's public configuration"),
        (name = "education", description = "Education topics, and the searches that found none"),
        (name = "staff", description = "Staff sign-in, accounts and the audit log"),
        (name = "system", description = "Health and documentation"),
    )
)]
pub struct ApiDoc;

/// The session cookie and the CSRF header, as security schemes.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE_NAME,
                "Set by `POST /api/staff/sign-in`: HttpOnly, SameSite=Strict, Secure.",
            ))),
        );
        components.add_security_scheme(
            "csrf_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                CSRF_HEADER,
                "The `csrf_token` of the session; required on every state-changing staff request.",
            ))),
        );
    }
}

/// The full document: the generated part plus the reusable `Idempotency-Key` parameter, which
/// utoipa's components have no slot for. Endpoints that need the header refer to it as
/// `#/components/parameters/IdempotencyKey`.
pub fn document() -> serde_json::Value {
    let mut document = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    let key_schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(8))
        .max_length(Some(128))
        .pattern(Some("^[A-Za-z0-9._:-]{8,128}$"));
    let parameter = ParameterBuilder::new()
        .name(IDEMPOTENCY_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "A unique value per request (such as a UUID), sent again unchanged on every retry. \
             A repeat gets the first response again, with `Idempotent-Replayed: true`; a repeat \
             while the first still runs gets 409; the same key with a different body gets 422.",
        ))
        .schema(Some(key_schema))
        .build();
    let replayed = serde_json::json!({
        "description": "`true` when this response is a stored answer to an earlier request with the same Idempotency-Key.",
        "schema": { "type": "string", "enum": ["true"] },
    });
    // `content::Text` is an alias of `Vec<Span>`, which utoipa names after the outer type.
    rename_schema(&mut document, "Vec", "Text");
    let components = &mut document["components"];
    components["parameters"]["IdempotencyKey"] =
        serde_json::to_value(parameter).expect("the parameter serialises");
    components["headers"]["IdempotentReplayed"] = replayed;
    document
}

/// Renames a component schema and every reference to it.
fn rename_schema(document: &mut serde_json::Value, from: &str, to: &str) {
    fn retarget(value: &mut serde_json::Value, from: &str, to: &str) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "$ref" && value.as_str() == Some(from) {
                        *value = serde_json::Value::String(to.to_owned());
                    } else {
                        retarget(value, from, to);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    retarget(item, from, to);
                }
            }
            _ => {}
        }
    }
    let Some(schemas) = document["components"]["schemas"].as_object_mut() else {
        return;
    };
    if let Some(schema) = schemas.remove(from) {
        schemas.insert(to.to_owned(), schema);
        let prefix = "#/components/schemas/";
        retarget(
            document,
            &format!("{prefix}{from}"),
            &format!("{prefix}{to}"),
        );
    }
}

static DOCUMENT: LazyLock<Bytes> = LazyLock::new(|| {
    Bytes::from(serde_json::to_vec_pretty(&document()).expect("the document serialises"))
});

/// This API's OpenAPI 3 document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "system",
    responses((status = 200, description = "The OpenAPI 3 document", content_type = "application/json")),
)]
pub async fn openapi_get() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOCUMENT.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_has_the_idempotency_parameter_and_security_schemes() {
        let document = document();
        assert!(document["openapi"].as_str().unwrap().starts_with("3."));
        assert_eq!(
            document["components"]["parameters"]["IdempotencyKey"]["in"],
            "header"
        );
        assert_eq!(
            document["components"]["securitySchemes"]["session_cookie"]["in"],
            "cookie"
        );
        assert_eq!(
            document["components"]["securitySchemes"]["csrf_token"]["name"],
            CSRF_HEADER
        );
        assert!(document["components"]["schemas"]["ApiError"].is_object());
    }

    #[test]
    fn the_text_of_a_topic_has_its_own_schema_name() {
        let document = document();
        let schemas = &document["components"]["schemas"];
        assert!(schemas.get("Vec").is_none());
        assert_eq!(schemas["Text"]["type"], "array");
        assert_eq!(
            schemas["Topic"]["properties"]["red_flags"]["items"]["$ref"],
            "#/components/schemas/Text"
        );
    }
}
