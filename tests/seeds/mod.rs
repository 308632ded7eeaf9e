//! The exact JSON bodies from the providers' "Update User" pages (the seeds),
//! shared by the contract and mock tests.
#![allow(dead_code)]

/// hPay's request body, as in the page's curl example.
pub const HPAY_REQUEST: &str = r#"{
    "app_user_id": 1,
    "name": "John Updated Doe",
    "email": "john.new@example.com",
    "phone_number": "+23279123456"
  }"#;

/// hPay's documented 200 response.
pub const HPAY_RESPONSE: &str = r#"{
  "id": "user_abc123",
  "app_user_id": 1,
  "name": "John Updated Doe",
  "email": "john.new@example.com",
  "phone_number": "+23279123456",
  "is_active": true,
  "updated_at": "2025-01-18T14:20:00Z"
}"#;

/// Payabli's request body, as in the page's curl example.
pub const PAYABLI_REQUEST: &str = r#"{
  "email": "example@email.com",
  "phone": "5555555555",
  "name": "Sean Smith",
  "pwd": "<string>",
  "scope": [
    {
      "orgType": 0,
      "orgId": 123
    }
  ],
  "access": [
    {
      "roleLabel": "customers",
      "roleValue": true
    }
  ],
  "usrStatus": 1,
  "timeZone": -5,
  "language": "en",
  "mfaData": {
    "mfa": true,
    "mfaMode": 0
  },
  "additionalData": {
    "key1": "value1",
    "key2": "value2",
    "key3": "value3"
  }
}"#;

/// Payabli's documented 200 response.
pub const PAYABLI_RESPONSE: &str = r#"{
  "responseText": "Success",
  "isSuccess": true,
  "responseData": null
}"#;

/// A seed body as JSON.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("seed bodies are JSON")
}
