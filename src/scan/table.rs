//! The table of front ends: the one place that lists them. Adding a format is a folder with an
//! `impl FrontEnd` (see [`crate::front`]) and one row here.
//!
//! Order matters twice: a file interests only the first row whose search says so (a JSON plan
//! naming Terraform types is not also offered to ARM), and the rows' resources are concatenated
//! in this order.

use super::Settings;
use crate::front::Row;

/// Every front end, configured with the scan's settings.
pub fn rows(settings: &Settings) -> Vec<Box<dyn Row + '_>> {
    vec![
        Box::new(crate::terraform::Terraform {
            inputs: &settings.terraform,
        }),
        Box::new(crate::plan::Plan),
        Box::new(crate::arm::Arm {
            scenarios: &settings.scenarios,
        }),
        Box::new(crate::bicep::Bicep {
            scenarios: &settings.scenarios,
        }),
    ]
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::file_kind::FileKind;
    use crate::front::{Candidate, FrontEndId};

    #[test]
    fn the_table_lists_each_front_end_once_with_plans_before_arm() {
        let settings = Settings::default();
        let ids: Vec<FrontEndId> = rows(&settings).iter().map(|row| row.id()).collect();
        assert_eq!(
            ids,
            [
                FrontEndId::Terraform,
                FrontEndId::Plan,
                FrontEndId::Arm,
                FrontEndId::Bicep
            ]
        );
    }

    #[test]
    fn every_row_takes_back_the_notes_its_search_made() {
        let settings = Settings::default();
        let samples = [
            (
                FileKind::Terraform,
                "main.tf",
                "resource \"azurerm_linux_web_app\" \"a\" {}",
            ),
            (
                FileKind::Json,
                "plan.json",
                "{\"format_version\": \"1.2\", \"type\": \"azurerm_linux_web_app\"}",
            ),
            (
                FileKind::Json,
                "azuredeploy.json",
                "{\"type\": \"Microsoft.Web/sites\"}",
            ),
            (
                FileKind::Bicep,
                "main.bicep",
                "resource s 'Microsoft.Web/sites@2023-12-01' = {}",
            ),
        ];
        for (row, (kind, name, text)) in rows(&settings).iter().zip(samples) {
            let sniffed = row.sniff(kind, text.as_bytes()).expect("its business");
            assert!(sniffed.interesting, "{:?}", row.id());
            let candidate = Candidate {
                path: Path::new("d").join(name),
                kind,
                interesting: true,
                outline: sniffed.outline,
            };
            // Claims see the typed outline: the note is turned back without a panic.
            let claims = row.claims(&[candidate]);
            let claimed = matches!(row.id(), FrontEndId::Plan | FrontEndId::Bicep);
            let expected: Vec<PathBuf> = claimed.then(|| PathBuf::from("d")).into_iter().collect();
            assert_eq!(claims.into_iter().collect::<Vec<_>>(), expected);
        }
    }
}
