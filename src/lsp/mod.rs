//! `certgate lsp`: a language server over stdio. It lints the open documents on open, on save
//! and shortly after each change, offers the `--fix` edits as quick fixes, and shows a rule's
//! docs on hover over its diagnostic.
//!
//! Built on `lsp-server`'s message types (rust-analyzer's synchronous scaffold) and
//! `lsp-types`, with our own framing ([`transport`], which says why): a scan takes
//! milliseconds, so one thread that scans between messages is simpler than an async runtime,
//! and the channel's `recv_deadline` gives the debounce for free. The lifecycle follows the
//! specification: requests before `initialize` get ServerNotInitialized, requests after
//! `shutdown` get InvalidRequest, and `exit` exits 0 only after `shutdown` (1 otherwise).

pub mod actions;
pub mod capabilities;
pub mod convert;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod last_scan;
pub mod transport;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    Diagnostic, LogMessageParams, MessageType, PublishDiagnosticsParams, ShowMessageParams,
};

use crate::scan::Settings;
use documents::Documents;
use last_scan::LastScan;

/// The error that means stdout is closed: the client is gone, so the server stops.
const CLOSED: &str = "the language client closed the connection";

/// How long after the last keystroke a changed document is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// How `serve` ended: the process exit code the LSP specification asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: exit 0.
    Clean,
    /// `exit` without `shutdown`, or the client closed the input without either: exit 1.
    WithoutShutdown,
}

/// Serves one client over stdin/stdout until it sends `exit` or closes the input. `Err` when
/// the input's framing broke (see [`transport`]) or stdout closed.
pub fn serve(settings: Settings) -> Result<Ending, String> {
    let (sender, receiver) = crossbeam_channel::unbounded();
    // Reads until the input ends; the thread is left blocked on stdin when the server exits
    // first, and the process exit ends it.
    std::thread::spawn(move || {
        let mut stdin = std::io::BufReader::new(std::io::stdin().lock());
        loop {
            let incoming = transport::read(&mut stdin);
            let closed = matches!(incoming, transport::Incoming::Closed(_));
            if sender.send(incoming).is_err() || closed {
                return;
            }
        }
    });
    Server::new(receiver, settings).run()
}

/// Where the server is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before `initialize`: requests get ServerNotInitialized.
    Uninitialized,
    Running,
    /// After `shutdown`: requests get InvalidRequest, `exit` exits 0.
    ShutDown,
}

struct Server {
    incoming: crossbeam_channel::Receiver<transport::Incoming>,
    state: State,
    settings: Settings,
    documents: Documents,
    /// When the pending (debounced) lint is due.
    lint_due: Option<Instant>,
    /// The last scan of the open documents, reused until one of them changes.
    last: LastScan,
    /// What each open document was last sent, for hover and to skip repeats.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// The last errors outside open documents that were logged, to log each set once.
    logged_elsewhere: Vec<String>,
}

impl Server {
    fn new(incoming: crossbeam_channel::Receiver<transport::Incoming>, settings: Settings) -> Self {
        Server {
            incoming,
            state: State::Uninitialized,
            settings,
            documents: Documents::default(),
            lint_due: None,
            last: LastScan::default(),
            published: HashMap::new(),
            logged_elsewhere: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Ending, String> {
        loop {
            let received = match self.lint_due {
                Some(due) => match self.incoming.recv_deadline(due) {
                    Ok(incoming) => incoming,
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.guarded("lint", |server| server.lint_now())?;
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                        transport::Incoming::Closed(None)
                    }
                },
                None => self
                    .incoming
                    .recv()
                    .unwrap_or(transport::Incoming::Closed(None)),
            };
            let message = match received {
                transport::Incoming::Message(message) => message,
                transport::Incoming::Malformed(why) => {
                    transport::write_parse_error(&mut std::io::stdout().lock(), &why)
                        .map_err(|_| CLOSED.to_string())?;
                    continue;
                }
                // The client went away without `exit`: nothing left to serve.
                transport::Incoming::Closed(None) => return Ok(self.ending()),
                transport::Incoming::Closed(Some(why)) => {
                    let why = format!("the language client's input cannot be read: {why}");
                    let _ = self.log(MessageType::ERROR, why.clone());
                    return Err(why);
                }
            };
            match message {
                Message::Request(request) => self.lifecycle_request(request)?,
                Message::Notification(notification) if notification.method == Exit::METHOD => {
                    return Ok(self.ending());
                }
                Message::Notification(notification) => {
                    if self.state == State::Running {
                        self.guarded("notification", |server| server.notification(notification))?;
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn ending(&self) -> Ending {
        match self.state {
            State::ShutDown => Ending::Clean,
            _ => Ending::WithoutShutdown,
        }
    }

    /// Answers the requests the lifecycle decides (`initialize`, `shutdown`, and any request
    /// before `initialize` or after `shutdown`), and hands the others on.
    fn lifecycle_request(&mut self, request: Request) -> Result<(), String> {
        let id = request.id.clone();
        let is = |method: &str| request.method == method;
        let response = match self.state {
            State::Uninitialized if is(Initialize::METHOD) => {
                self.state = State::Running;
                Response::new_ok(id, capabilities::initialize_result())
            }
            State::Uninitialized => Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized yet: send `initialize` first".into(),
            ),
            State::Running if is(Shutdown::METHOD) => {
                self.state = State::ShutDown;
                Response::new_ok(id, ())
            }
            State::Running if is(Initialize::METHOD) => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            ),
            State::Running => {
                let method = request.method.clone();
                let mut response = None;
                let handled = self.guarded("request", |server| {
                    response = Some(server.request(request)?);
                    Ok(())
                });
                match (handled, response) {
                    (Ok(()), Some(response)) => response,
                    (Err(why), _) if why == CLOSED => return Err(why),
                    _ => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("certgate failed while handling `{method}`"),
                    ),
                }
            }
            State::ShutDown => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shut down: only `exit` is accepted".into(),
            ),
        };
        self.send(Message::Response(response))
    }

    /// Runs one piece of work; a panic in it (a bug) is logged to the client instead of ending
    /// the server, and reported as an error that is not [`CLOSED`].
    fn guarded(
        &mut self,
        what: &str,
        work: impl FnOnce(&mut Self) -> Result<(), String>,
    ) -> Result<(), String> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self))) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(why)) => Err(why),
            Err(_) => {
                self.log(
                    MessageType::ERROR,
                    format!("certgate failed while handling a {what}; please report it"),
                )?;
                if what == "request" {
                    Err("panic".into())
                } else {
                    Ok(())
                }
            }
        }
    }

    fn request(&mut self, request: Request) -> Result<Response, String> {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                match parse::<lsp_types::CodeActionParams>(request.params) {
                    Ok(params) => {
                        let uri = &params.text_document.uri;
                        let result = match self.documents.by_uri(uri) {
                            Some((path, _)) => actions::code_actions(
                                &self.documents,
                                // The diagnostics' scan, unless a document changed since.
                                self.last.planned(&self.documents, &self.settings),
                                &path,
                                params.range,
                                params.context.only.as_deref(),
                            ),
                            None => Vec::new(),
                        };
                        Response::new_ok(id, result)
                    }
                    Err(why) => invalid(id, why),
                }
            }
            HoverRequest::METHOD => match parse::<lsp_types::HoverParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    let result = self
                        .documents
                        .by_uri(&at.text_document.uri)
                        .and_then(|(path, _)| self.published.get(&path))
                        .and_then(|published| hover::hover(published, at.position));
                    Response::new_ok(id, result)
                }
                Err(why) => invalid(id, why),
            },
            method => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("certgate does not handle `{method}`"),
            ),
        };
        Ok(response)
    }

    fn notification(&mut self, notification: Notification) -> Result<(), String> {
        // Each of these can change what a scan reads (saving: other files, certgate.toml).
        if [
            DidOpenTextDocument::METHOD,
            DidChangeTextDocument::METHOD,
            DidSaveTextDocument::METHOD,
            DidCloseTextDocument::METHOD,
        ]
        .contains(&notification.method.as_str())
        {
            self.last.forget();
        }
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    parse::<lsp_types::DidOpenTextDocumentParams>(notification.params)
                {
                    let document = params.text_document;
                    if self
                        .documents
                        .open(document.uri, document.version, document.text)
                        .is_some()
                    {
                        self.lint_now()?;
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    parse::<lsp_types::DidChangeTextDocumentParams>(notification.params)
                {
                    let document = params.text_document;
                    if self
                        .documents
                        .change(&document.uri, document.version, params.content_changes)
                        .is_some()
                    {
                        self.lint_due = Some(Instant::now() + DEBOUNCE);
                    }
                }
            }
            // Saving can change what other files read (a variables file, certgate.toml).
            DidSaveTextDocument::METHOD => self.lint_now()?,
            DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    parse::<lsp_types::DidCloseTextDocumentParams>(notification.params)
                    && let Some(closed) = self.documents.close(&params.text_document.uri)
                {
                    self.published
                        .retain(|path, _| self.documents.get(path).is_some());
                    self.publish(closed.uri, None, Vec::new())?;
                    if !self.documents.is_empty() {
                        self.lint_due = Some(Instant::now() + DEBOUNCE);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Lints every open document and sends the diagnostics that changed.
    fn lint_now(&mut self) -> Result<(), String> {
        self.lint_due = None;
        if self.documents.is_empty() {
            return Ok(());
        }
        let report = self.last.report(&self.documents, &self.settings);
        let by_document = diagnostics::by_document(report, &self.documents);
        let elsewhere: Vec<(bool, String)> = diagnostics::elsewhere(report, &self.documents)
            .into_iter()
            .map(|e| {
                let config =
                    crate::config::is_config_path(&e.path, self.settings.config_file.as_deref());
                let message = format!(
                    "{}:{}:{}: {}",
                    e.path.display(),
                    e.start.line,
                    e.start.column,
                    e.message
                );
                (config, message)
            })
            .collect();
        let logged: Vec<String> = elsewhere.iter().map(|(_, m)| m.clone()).collect();
        if logged != self.logged_elsewhere {
            for (config, message) in &elsewhere {
                // A broken config changes every verdict: the user must see it, not only the log.
                if *config {
                    self.send(Message::Notification(Notification::new(
                        ShowMessage::METHOD.into(),
                        ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: format!("certgate: {message}"),
                        },
                    )))?;
                }
                let typ = if *config {
                    MessageType::ERROR
                } else {
                    MessageType::WARNING
                };
                self.log(typ, message.clone())?;
            }
            self.logged_elsewhere = logged;
        }
        for (path, list) in by_document {
            if self.published.get(&path) == Some(&list) {
                continue;
            }
            let Some(document) = self.documents.get(&path) else {
                continue;
            };
            let (uri, version) = (document.uri.clone(), document.version);
            self.published.insert(path, list.clone());
            self.publish(uri, Some(version), list)?;
        }
        Ok(())
    }

    fn publish(
        &self,
        uri: lsp_types::Uri,
        version: Option<i32>,
        diagnostics: Vec<Diagnostic>,
    ) -> Result<(), String> {
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.into(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )))
    }

    fn send(&self, message: Message) -> Result<(), String> {
        transport::write(&mut std::io::stdout().lock(), &message).map_err(|_| CLOSED.to_string())
    }

    /// Sends a line to the client's log (`window/logMessage`).
    fn log(&self, typ: MessageType, message: String) -> Result<(), String> {
        self.send(Message::Notification(Notification::new(
            LogMessage::METHOD.into(),
            LogMessageParams { typ, message },
        )))
    }
}

fn parse<P: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}

fn invalid(id: RequestId, why: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, why)
}
