//! `certgate lsp`: a language server over stdio. It lints the open documents on open, on save
//! and shortly after each change, offers the `--fix` edits as quick fixes, and shows a rule's
//! docs on hover over its diagnostic.
//!
//! Built on `lsp-server` (rust-analyzer's synchronous scaffold) and `lsp-types`: a scan takes
//! milliseconds, so one thread that scans between messages is simpler than an async runtime,
//! and the channel's `recv_deadline` gives the debounce for free.

pub mod actions;
pub mod convert;
pub mod diagnostics;
pub mod documents;
pub mod hover;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, Diagnostic,
    HoverProviderCapability, InitializeResult, LogMessageParams, MessageType,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
};

use crate::scan::Settings;
use documents::Documents;

/// How long after the last keystroke a changed document is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Serves one client over stdin/stdout until it sends `shutdown` and `exit`.
pub fn serve(settings: Settings) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let (id, _params) = connection
        .initialize_start()
        .map_err(|e| format!("language server initialisation failed: {e}"))?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "certgate".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection
        .initialize_finish(id, to_json(&result))
        .map_err(|e| format!("language server initialisation failed: {e}"))?;
    Server::new(&connection, settings).run()?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| format!("language server I/O failed: {e}"))
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(SaveOptions::default().into()),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

struct Server<'c> {
    connection: &'c Connection,
    settings: Settings,
    documents: Documents,
    /// When the pending (debounced) lint is due.
    lint_due: Option<Instant>,
    /// What each open document was last sent, for hover and to skip repeats.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// The last errors outside open documents that were logged, to log each set once.
    logged_elsewhere: Vec<String>,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, settings: Settings) -> Self {
        Server {
            connection,
            settings,
            documents: Documents::default(),
            lint_due: None,
            published: HashMap::new(),
            logged_elsewhere: Vec::new(),
        }
    }

    fn run(mut self) -> Result<(), String> {
        loop {
            let received = match self.lint_due {
                Some(due) => match self.connection.receiver.recv_deadline(due) {
                    Ok(message) => Some(message),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.lint_now()?;
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => None,
                },
                None => self.connection.receiver.recv().ok(),
            };
            // The client went away without `exit`: nothing left to serve.
            let Some(message) = received else {
                return Ok(());
            };
            match message {
                Message::Request(request) => {
                    let shutting_down = self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| format!("language server shutdown failed: {e}"))?;
                    if shutting_down {
                        return Ok(());
                    }
                    self.request(request)?;
                }
                Message::Notification(notification) => self.notification(notification)?,
                Message::Response(_) => {}
            }
        }
    }

    fn request(&mut self, request: Request) -> Result<(), String> {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            CodeActionRequest::METHOD => {
                match parse::<lsp_types::CodeActionParams>(request.params) {
                    Ok(params) => {
                        let uri = &params.text_document.uri;
                        let result = match self.documents.by_uri(uri) {
                            Some((path, _)) => actions::code_actions(
                                &self.documents,
                                &self.settings,
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
        self.send(Message::Response(response))
    }

    fn notification(&mut self, notification: Notification) -> Result<(), String> {
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
        let report = diagnostics::lint(&self.documents, &self.settings);
        let elsewhere: Vec<String> = diagnostics::elsewhere(&report, &self.documents)
            .into_iter()
            .map(|e| {
                format!(
                    "{}:{}:{}: {}",
                    e.path.display(),
                    e.start.line,
                    e.start.column,
                    e.message
                )
            })
            .collect();
        if elsewhere != self.logged_elsewhere {
            for message in &elsewhere {
                self.send(Message::Notification(Notification::new(
                    LogMessage::METHOD.into(),
                    LogMessageParams {
                        typ: MessageType::WARNING,
                        message: message.clone(),
                    },
                )))?;
            }
            self.logged_elsewhere = elsewhere;
        }
        for (path, list) in diagnostics::by_document(&report, &self.documents) {
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
        self.connection
            .sender
            .send(message)
            .map_err(|_| "the language client closed the connection".to_string())
    }
}

fn parse<P: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid parameters: {e}"))
}

fn invalid(id: RequestId, why: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, why)
}

fn to_json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
