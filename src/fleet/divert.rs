//! Listing responses read by ssmgo instead of the SDK's deserializers.
//!
//! A listing of 100,000 instances is ~500 MB of EC2 XML and 2,000 SSM pages; the SDK would build
//! its whole model of every instance and node, dozens of fields each, of which ssmgo shows a
//! few (it was most of a listing's CPU). So a listing call carries a [`Divert`] interceptor: a
//! successful response's body goes, chunk by chunk as it arrives, to a [`Reader`] of ssmgo's
//! (`ec2_xml` streams EC2's XML; `ssm` reads SSM's JSON with serde), the SDK is handed an empty
//! answer, and the caller takes what was read from the [`Slot`]. Requests, signing, retries and
//! error responses (whose bodies the SDK reads for the error code) stay the SDK's.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame};

/// Reads one response body fed in chunks, as they arrive.
pub(super) trait Reader: Default + Send + Sync + Unpin + 'static {
    type Output: Send + 'static;
    /// What the SDK is handed instead of the body: an answer with nothing in it.
    const EMPTY: &'static str;
    fn feed(&mut self, chunk: &[u8]);
    /// What the whole body said, or why it could not be read.
    fn finish(self) -> Result<Self::Output, String>;
}

/// Where what one call's diverted body said ends up.
pub(super) struct Slot<T>(Arc<Mutex<Option<Result<T, String>>>>);

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Slot(Arc::clone(&self.0))
    }
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Arc::default())
    }
}

impl<T> std::fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Slot")
    }
}

impl<T> Slot<T> {
    /// What was read; None when nothing was diverted (the SDK read the answer itself).
    pub fn take(&self) -> Option<Result<T, String>> {
        self.0.lock().expect("slot lock").take()
    }
}

/// The interceptor for one call: its successful response is read by an `R` into the slot.
pub(super) struct Divert<R: Reader>(pub Slot<R::Output>);

impl<R: Reader> std::fmt::Debug for Divert<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Divert")
    }
}

impl<R: Reader> Intercept for Divert<R> {
    fn name(&self) -> &'static str {
        "ssmgo::Divert"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        // Errors keep their body: the SDK reads the error code from it.
        if !response.status().is_success() {
            return Ok(());
        }
        let inner = std::mem::replace(response.body_mut(), SdkBody::taken());
        *response.body_mut() = SdkBody::from_body_1_x(Diverted::<R> {
            inner,
            reader: Some(R::default()),
            slot: self.0.clone(),
        });
        Ok(())
    }
}

/// Feeds the original body to the reader as it arrives, then yields the empty answer. A body
/// that can't be read is an error in the slot, not of the call (it is not retried).
struct Diverted<R: Reader> {
    inner: SdkBody,
    /// None once the body is read.
    reader: Option<R>,
    slot: Slot<R::Output>,
}

impl<R: Reader> Body for Diverted<R> {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        loop {
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => {
                    if let (Ok(data), Some(reader)) = (frame.into_data(), this.reader.as_mut()) {
                        reader.feed(&data);
                    }
                }
                Poll::Ready(None) => {
                    let Some(reader) = this.reader.take() else {
                        return Poll::Ready(None);
                    };
                    *this.slot.0.lock().expect("slot lock") = Some(reader.finish());
                    let empty = Bytes::from_static(R::EMPTY.as_bytes());
                    return Poll::Ready(Some(Ok(Frame::data(empty))));
                }
            }
        }
    }
}

/// A body read whole, for answers small enough to parse in one go (SSM's pages of 50 nodes).
#[derive(Default)]
pub(super) struct Whole(pub Vec<u8>);

impl Whole {
    pub fn feed(&mut self, chunk: &[u8]) {
        self.0.extend_from_slice(chunk);
    }
}
