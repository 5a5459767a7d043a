//! `--verbose`: one line on stderr per AWS call (service, operation, HTTP status, time), so
//! that a slow or failing run shows what it asked AWS. Headers and bodies are never printed:
//! they carry signatures and session tokens.

use std::sync::Mutex;
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Prints each call as it completes.
#[derive(Debug, Default)]
pub struct Trace;

#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

/// While a full-screen picker owns the terminal, trace lines wait here and are printed when it
/// closes (a line in the middle of the picker would garble it).
static HELD: Mutex<Option<Vec<String>>> = Mutex::new(None);

/// Holds trace lines until [`release`].
pub fn hold() {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    held.get_or_insert_with(Vec::new);
}

/// Prints the lines held since [`hold`], and prints directly again.
pub fn release() {
    let lines = HELD.lock().unwrap_or_else(|e| e.into_inner()).take();
    for line in lines.unwrap_or_default() {
        crate::say!("{line}");
    }
}

pub(crate) fn emit(line: String) {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    match held.as_mut() {
        Some(lines) => lines.push(line),
        None => crate::say!("{line}"),
    }
}

impl Intercept for Trace {
    fn name(&self) -> &'static str {
        "ssmgo-trace"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_owned(), m.name().to_owned()))
            .unwrap_or_else(|| ("aws".into(), "call".into()));
        let elapsed = cfg
            .load::<Started>()
            .map(|s| format!(" in {} ms", s.0.elapsed().as_millis()))
            .unwrap_or_default();
        let outcome = match (context.response(), context.output_or_error()) {
            (Some(r), _) => format!("HTTP {}", r.status().as_u16()),
            (None, Some(Err(_))) => "failed before a response".to_owned(),
            (None, _) => "no response".to_owned(),
        };
        emit(format!(
            "ssmgo: aws: {} {operation} → {outcome}{elapsed}",
            service.to_lowercase()
        ));
        Ok(())
    }
}
