//! Injected failures: the emulator can be told to answer chosen calls with an error, as Telegram
//! does under load (429 with retry_after), on a bad day (5xx) or for a user who blocked the bot.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::wire::ApiError;

/// One injected failure for the next `times` calls of `method` (any chat unless `chat_id` is set).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    /// The Bot API method, in any letter case (`sendMessage`).
    pub method: String,
    pub error_code: u16,
    pub description: String,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default)]
    pub chat_id: Option<i64>,
    #[serde(default = "one")]
    pub times: u32,
    /// Never answer, and never record the call: what a process killed while sending looks like.
    #[serde(default)]
    pub hang: bool,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Telegram's flood control: 429 with the seconds to wait.
    pub fn too_many_requests(method: &str, retry_after: u64) -> Self {
        Self {
            method: method.to_owned(),
            error_code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
            chat_id: None,
            times: 1,
            hang: false,
        }
    }

    /// A plain refusal with the given code and description.
    pub fn error(method: &str, error_code: u16, description: &str) -> Self {
        Self {
            method: method.to_owned(),
            error_code,
            description: description.to_owned(),
            retry_after: None,
            chat_id: None,
            times: 1,
            hang: false,
        }
    }

    /// The call never gets an answer and is never recorded.
    pub fn hang(method: &str) -> Self {
        Self {
            hang: true,
            ..Self::error(method, 504, "never answered")
        }
    }

    pub fn for_chat(mut self, chat_id: i64) -> Self {
        self.chat_id = Some(chat_id);
        self
    }

    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }
}

pub(crate) enum Armed {
    Error(ApiError),
    Hang,
}

#[derive(Default)]
pub(crate) struct Faults {
    by_method: HashMap<String, Vec<Fault>>,
}

impl Faults {
    pub fn add(&mut self, fault: Fault) {
        self.by_method
            .entry(fault.method.to_lowercase())
            .or_default()
            .push(fault);
    }

    /// The fault for this call, if one is armed for it; each use counts down its `times`.
    pub fn take(&mut self, method: &str, chat_id: Option<i64>) -> Option<Armed> {
        let faults = self.by_method.get_mut(method)?;
        let index = faults
            .iter()
            .position(|f| f.chat_id.is_none() || f.chat_id == chat_id)?;
        let fault = &mut faults[index];
        let error = if fault.hang {
            Armed::Hang
        } else {
            Armed::Error(ApiError {
                code: fault.error_code,
                description: fault.description.clone(),
                retry_after: fault.retry_after,
            })
        };
        fault.times = fault.times.saturating_sub(1);
        if fault.times == 0 {
            faults.remove(index);
        }
        Some(error)
    }
}
