//! The server's last scan of the open documents, kept while they are unchanged: a code action
//! right after the diagnostics reuses it (and its fix plan) instead of scanning again.

use super::diagnostics;
use super::documents::Documents;
use crate::fix::run::{Options, Rescan as _, plan_fixes};
use crate::report::Report;
use crate::scan::{Session, Settings};

/// The last scan, until [`LastScan::forget`] (a document opened, changed, saved or closed).
#[derive(Debug, Default)]
pub struct LastScan {
    kept: Option<Kept>,
    /// Scans run so far (fix trials not counted): what the tests count.
    scans: usize,
}

#[derive(Debug)]
struct Kept {
    /// Re-scans with fixed texts build on the scan it made.
    session: Session,
    report: Report,
    /// Whether every finding's fix is planned (unsafe fixes included, for the code actions).
    planned: bool,
}

impl LastScan {
    /// Drops the kept scan: what it read may have changed.
    pub fn forget(&mut self) {
        self.kept = None;
    }

    /// The open documents' report: the kept one, else a fresh scan (then kept).
    pub fn report(&mut self, documents: &Documents, settings: &Settings) -> &Report {
        &self.kept(documents, settings).report
    }

    /// The same report with every finding's fix planned, unsafe ones included (the code
    /// actions offer them, marked); planned once per scan.
    pub fn planned(&mut self, documents: &Documents, settings: &Settings) -> &Report {
        let kept = self.kept(documents, settings);
        if !kept.planned {
            let options = Options { unsafe_fixes: true };
            plan_fixes(&mut kept.report, &kept.session, options);
            kept.planned = true;
        }
        &kept.report
    }

    /// How many scans ran (fix trials not counted).
    #[cfg(test)]
    pub fn scans(&self) -> usize {
        self.scans
    }

    fn kept(&mut self, documents: &Documents, settings: &Settings) -> &mut Kept {
        let scans = &mut self.scans;
        self.kept.get_or_insert_with(|| {
            let mut session = diagnostics::session(documents, settings);
            let report = session.scan();
            *scans += 1;
            Kept {
                session,
                report,
                planned: false,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FixStatus;

    const FAILING: &str = "resource \"azurerm_linux_web_app\" \"w\" {\n  \
                           client_certificate_enabled = false\n}\n";

    /// One open document, `main.tf` in a fresh directory, holding `text`.
    fn opened(dir: &std::path::Path, text: &str) -> Documents {
        let path = std::path::absolute(dir.join("main.tf")).unwrap();
        std::fs::write(&path, FAILING).unwrap();
        let mut documents = Documents::default();
        let uri = super::super::convert::uri_of(&path).unwrap();
        documents.open(uri, 1, text.to_string()).unwrap();
        documents
    }

    fn fixable(report: &Report) -> usize {
        report
            .findings
            .iter()
            .filter(|f| matches!(f.fix, FixStatus::Available(_)))
            .count()
    }

    #[test]
    fn a_code_action_after_the_diagnostics_runs_no_second_scan() {
        let dir = tempfile::tempdir().unwrap();
        let documents = opened(dir.path(), FAILING);
        let settings = Settings::default();
        let mut last = LastScan::default();
        // The diagnostics: one scan, fixes not planned.
        let report = last.report(&documents, &settings);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(fixable(report), 0);
        assert_eq!(last.scans(), 1);
        // Two code action requests: the same scan, planned once.
        assert_eq!(fixable(last.planned(&documents, &settings)), 1);
        assert_eq!(fixable(last.planned(&documents, &settings)), 1);
        assert_eq!(last.scans(), 1);
    }

    #[test]
    fn a_changed_document_is_scanned_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut documents = opened(dir.path(), FAILING);
        let settings = Settings::default();
        let mut last = LastScan::default();
        assert_eq!(last.planned(&documents, &settings).findings.len(), 1);
        // The editor fixes the site; the server forgets the scan on the change.
        let fixed = FAILING.replace("false", "true");
        let uri = documents.iter().next().unwrap().1.uri.clone();
        documents.open(uri, 2, fixed);
        last.forget();
        assert!(last.report(&documents, &settings).findings.is_empty());
        assert_eq!(last.scans(), 2);
    }
}
