//! A loopback proxy in front of the emulator that breaks chosen AWS calls the way networks and
//! AWS do: an answer lost after the request was carried out (a reset connection), throttling,
//! an HTML error page from something in between, a call that never answers.
//!
//! Calls are told apart by operation (`X-Amz-Target` for SSM's JSON protocol, `Action=` for the
//! query protocols of EC2, IAM and STS) and counted, so that a test can also prove how many
//! requests a run made.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// What the proxy does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Passes it to the emulator and its answer back.
    Forward,
    /// Passes it to the emulator (which carries it out), then drops the client's connection
    /// instead of answering: the answer is lost.
    ForwardThenDrop,
    /// Answers this instead of asking the emulator.
    Respond {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Never answers (the connection stays open until the client gives up).
    Hang,
    /// Resets the connection (TCP RST) without passing the request on: nothing was carried out.
    Reset,
}

impl Fault {
    /// AWS's throttling answer, in the protocol of `operation`'s service.
    pub fn throttled(json_protocol: bool) -> Fault {
        if json_protocol {
            Fault::Respond {
                status: 400,
                content_type: "application/x-amz-json-1.1",
                body: r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.into(),
            }
        } else {
            Fault::Respond {
                status: 503,
                content_type: "text/xml",
                body: "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>1</RequestID></Response>".into(),
            }
        }
    }

    /// AWS's internal error, in the protocol of the call's service.
    pub fn internal_error(json_protocol: bool) -> Fault {
        if json_protocol {
            Fault::Respond {
                status: 500,
                content_type: "application/x-amz-json-1.1",
                body: r#"{"__type":"InternalServerError","message":"An internal error occurred"}"#
                    .into(),
            }
        } else {
            Fault::Respond {
                status: 500,
                content_type: "text/xml",
                body: "<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred.</Message></Error></Errors><RequestID>1</RequestID></Response>".into(),
            }
        }
    }

    /// An HTML error page, as a load balancer or proxy in the way sends.
    pub fn html_500() -> Fault {
        Fault::Respond {
            status: 500,
            content_type: "text/html",
            body: "<html><body><h1>500 Internal Server Error</h1>\n<p>upstream exploded</p></body></html>".into(),
        }
    }
}

/// One request as the rule sees it.
#[derive(Debug, Clone)]
pub struct Call {
    /// e.g. "StartSession", "DescribeInstances".
    pub operation: String,
    /// 1 for the first call of this operation, 2 for the second, ...
    pub nth: usize,
    /// Every request so far, this one included.
    pub total: usize,
    /// Whether it speaks AWS's JSON protocol (SSM) rather than a query protocol (EC2, IAM, STS).
    pub json_protocol: bool,
    /// The request body (form-encoded or JSON), to tell calls of one operation apart.
    pub body: String,
    /// The region it was signed for ("" when unsigned).
    pub region: String,
}

type Rule = dyn Fn(&Call) -> Fault + Send + Sync;

/// The running proxy; it stops with the test process.
pub struct FaultProxy {
    pub url: String,
    counts: Arc<Mutex<HashMap<String, usize>>>,
    answers: Arc<Mutex<Answers>>,
}

/// The emulator's answers passed back, by operation: what a secret looked like on the wire.
type Answers = HashMap<String, Vec<String>>;

impl FaultProxy {
    /// Starts a proxy to `upstream` (the emulator's URL) that asks `rule` about every request.
    pub fn start(upstream: &str, rule: impl Fn(&Call) -> Fault + Send + Sync + 'static) -> Self {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// emulator")
            .trim_end_matches('/')
            .to_owned();
        assert!(upstream.starts_with("127.0.0.1:"), "loopback only");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let counts = Arc::new(Mutex::new(HashMap::new()));
        let answers = Arc::new(Mutex::new(HashMap::new()));
        let rule: Arc<Rule> = Arc::new(rule);
        let (shared, kept) = (Arc::clone(&counts), Arc::clone(&answers));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let (rule, counts, answers, upstream) = (
                    Arc::clone(&rule),
                    Arc::clone(&shared),
                    Arc::clone(&kept),
                    upstream.clone(),
                );
                std::thread::spawn(move || serve(client, &upstream, &*rule, &counts, &answers));
            }
        });
        FaultProxy {
            url,
            counts,
            answers,
        }
    }

    /// The bodies of the emulator's answers to `operation` that were passed back.
    pub fn answers(&self, operation: &str) -> Vec<String> {
        self.answers
            .lock()
            .unwrap()
            .get(operation)
            .cloned()
            .unwrap_or_default()
    }

    /// How many requests of `operation` arrived.
    pub fn count(&self, operation: &str) -> usize {
        self.counts
            .lock()
            .unwrap()
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// How many requests arrived in all.
    pub fn total(&self) -> usize {
        self.counts.lock().unwrap().values().sum()
    }
}

/// Holds the calls a rule passes to [`Gate::hold`], once armed, until the test opens it: what
/// ssmgo shows before an answer (a cached listing, before the fresh one) stays on screen until
/// the test has seen it, however quick the emulator.
#[derive(Clone, Default)]
pub struct Gate(Arc<(Mutex<(bool, bool)>, Condvar)>);

impl Gate {
    /// From now on, held calls wait for [`Gate::open`].
    pub fn arm(&self) {
        self.0 .0.lock().unwrap().0 = true;
    }

    /// Lets every held call through, and all later ones.
    pub fn open(&self) {
        self.0 .0.lock().unwrap().1 = true;
        self.0 .1.notify_all();
    }

    /// In a rule: waits while armed and not open (a minute at most: a test that never opens
    /// it fails on its own waits, not here).
    pub fn hold(&self) {
        let (state, opened) = &*self.0;
        let state = state.lock().unwrap();
        let _ = opened
            .wait_timeout_while(state, Duration::from_secs(60), |(armed, open)| {
                *armed && !*open
            })
            .unwrap();
    }
}

/// A request read off the wire: its head (without `Connection`) and body.
struct Request {
    head: Vec<String>,
    body: Vec<u8>,
    operation: String,
    json_protocol: bool,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head = Vec::new();
    let mut length = 0usize;
    let mut target = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("x-amz-target:") {
            target = line.split_once(':').map(|(_, v)| v.trim().to_owned());
        }
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let json_protocol = target.is_some();
    let operation = match target {
        Some(t) => t.rsplit('.').next().unwrap_or_default().to_owned(),
        None => String::from_utf8_lossy(&body)
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or("?")
            .to_owned(),
    };
    Some(Request {
        head,
        body,
        operation,
        json_protocol,
    })
}

/// The region of the `Credential=KEY/DATE/REGION/SERVICE/aws4_request` of a request's
/// Authorization header, "" without one.
fn signing_region(head: &[String]) -> String {
    head.iter()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            if !name.eq_ignore_ascii_case("authorization") {
                return None;
            }
            let scope = value.split("Credential=").nth(1)?;
            scope.split('/').nth(2).map(str::to_owned)
        })
        .unwrap_or_default()
}

fn serve(
    client: TcpStream,
    upstream: &str,
    rule: &Rule,
    counts: &Mutex<HashMap<String, usize>>,
    answers: &Mutex<Answers>,
) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut client = client;
    while let Some(request) = read_request(&mut reader) {
        let call = {
            let mut counts = counts.lock().unwrap();
            let nth = {
                let n = counts.entry(request.operation.clone()).or_insert(0);
                *n += 1;
                *n
            };
            Call {
                operation: request.operation.clone(),
                nth,
                total: counts.values().sum(),
                json_protocol: request.json_protocol,
                body: String::from_utf8_lossy(&request.body).into_owned(),
                region: signing_region(&request.head),
            }
        };
        match rule(&call) {
            Fault::Forward => {
                let Some(answer) = forward(upstream, &request) else {
                    return;
                };
                let text = String::from_utf8_lossy(&answer);
                let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
                answers
                    .lock()
                    .unwrap()
                    .entry(call.operation.clone())
                    .or_default()
                    .push(body.to_owned());
                if client.write_all(&answer).is_err() {
                    return;
                }
            }
            Fault::ForwardThenDrop => {
                let _ = forward(upstream, &request);
                let _ = client.shutdown(Shutdown::Both);
                return;
            }
            Fault::Respond {
                status,
                content_type,
                body,
            } => {
                let answer = format!(
                    "HTTP/1.1 {status} Fault\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: fault\r\n\r\n{body}",
                    body.len()
                );
                if client.write_all(answer.as_bytes()).is_err() {
                    return;
                }
            }
            Fault::Reset => {
                // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
                let linger = libc::linger {
                    l_onoff: 1,
                    l_linger: 0,
                };
                // SAFETY: setsockopt on a socket this thread owns, with a correctly sized value.
                unsafe {
                    use std::os::fd::AsRawFd;
                    libc::setsockopt(
                        client.as_raw_fd(),
                        libc::SOL_SOCKET,
                        libc::SO_LINGER,
                        (&linger as *const libc::linger).cast(),
                        std::mem::size_of::<libc::linger>() as libc::socklen_t,
                    );
                }
                return;
            }
            Fault::Hang => {
                // Long enough for any client timeout under test; the client closes first.
                let mut sink = [0u8; 1];
                let _ = client.set_read_timeout(Some(Duration::from_secs(300)));
                let _ = client.read(&mut sink);
                return;
            }
        }
    }
}

/// Sends `request` to the emulator on a connection of its own and returns the whole answer.
fn forward(upstream: &str, request: &Request) -> Option<Vec<u8>> {
    let mut conn = TcpStream::connect(upstream).ok()?;
    let mut head = request.head.join("\r\n");
    head.push_str("\r\nConnection: close\r\n\r\n");
    conn.write_all(head.as_bytes()).ok()?;
    conn.write_all(&request.body).ok()?;
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).ok()?;
    Some(answer)
}
