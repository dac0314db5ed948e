//! The table of front ends: the one place that lists them. Adding a format is a folder with an
//! `impl FrontEnd` (see [`crate::front`]) and one row here.
//!
//! Order matters twice: a file interests only the first row whose search says so (a JSON plan
//! naming Terraform types is not also offered to ARM), and the rows' resources are concatenated
//! in this order.

use super::Settings;
use crate::front::Row;

/// Every front end, configured with the scan's settings (and Terraform with its memo).
pub fn rows<'a>(
    settings: &'a Settings,
    terraform: &'a crate::terraform::Slot<'a>,
) -> Vec<Box<dyn Row + 'a>> {
    vec![
        Box::new(crate::terraform::Terraform {
            inputs: &settings.terraform,
            memo: terraform,
        }),
        Box::new(crate::plan::Plan),
        // Before ARM: an export is JSON full of `Microsoft.Web/sites` ids.
        Box::new(crate::inventory::Inventory),
        Box::new(crate::arm::Arm {
            scenarios: &settings.scenarios,
        }),
        Box::new(crate::bicep::Bicep {
            scenarios: &settings.scenarios,
        }),
        Box::new(crate::terragrunt::Terragrunt {
            inputs: &settings.terraform,
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
    fn the_table_lists_each_front_end_once_with_plans_and_exports_before_arm() {
        let settings = Settings::default();
        let ids: Vec<FrontEndId> = rows(&settings, &Default::default())
            .iter()
            .map(|row| row.id())
            .collect();
        assert_eq!(
            ids,
            [
                FrontEndId::Terraform,
                FrontEndId::Plan,
                FrontEndId::Inventory,
                FrontEndId::Arm,
                FrontEndId::Bicep,
                FrontEndId::Terragrunt
            ]
        );
    }

    #[test]
    fn every_row_takes_back_the_notes_its_search_made_and_scans_its_sample() {
        let site_tf =
            "resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = false\n}\n";
        let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {"root_module": {"resources": [{"address": "azurerm_linux_web_app.a",
            "mode": "managed", "type": "azurerm_linux_web_app", "name": "a",
            "values": {"client_certificate_enabled": false}}]}}}"#;
        let export = r#"[{"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/a",
            "clientCertEnabled": false}]"#;
        let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "resources": [{"type": "Microsoft.Web/sites",
            "apiVersion": "2022-03-01", "name": "a", "properties": {}}]}"#;
        let bicep =
            "resource a 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'a'\n  properties: {}\n}\n";
        let samples = [
            (FileKind::Terraform, "/p/tf/main.tf", site_tf),
            (FileKind::Json, "/p/plan/plan.json", plan),
            (FileKind::Json, "/p/estate/sites.json", export),
            (FileKind::Json, "/p/arm/azuredeploy.json", template),
            (FileKind::Bicep, "/p/bicep/main.bicep", bicep),
            // A unit calling the Terraform sample's directory, which it claims.
            (
                FileKind::Terragrunt,
                "/p/tg/terragrunt.hcl",
                "terraform {\n  source = \"../tf\"\n}\n",
            ),
        ];
        let fs = crate::fs::MemoryFs::new(
            samples
                .iter()
                .map(|(_, path, text)| (PathBuf::from(path), text.to_string())),
        );
        let settings = Settings::default();
        let sources = crate::source::SourceMap::default();
        let loader = crate::load::Loader::new(&sources).on(&fs);
        let memo = crate::terraform::Slot::default();
        for (row, (kind, path, text)) in rows(&settings, &memo).iter().zip(samples) {
            let sniffed = row.sniff(kind, text.as_bytes()).expect("its business");
            assert!(sniffed.interesting, "{:?}", row.id());
            let candidate = Candidate {
                path: PathBuf::from(path),
                kind,
                interesting: true,
                outline: sniffed.outline,
            };
            let claims = row.claims(&loader, std::slice::from_ref(&candidate));
            let claimed = matches!(row.id(), FrontEndId::Plan | FrontEndId::Bicep);
            let dir = Path::new(path).parent().unwrap().to_path_buf();
            let mut expected: Vec<PathBuf> = claimed.then_some(dir).into_iter().collect();
            if row.id() == FrontEndId::Terragrunt {
                expected.push(PathBuf::from("/p/tf"));
            }
            assert_eq!(claims.into_iter().collect::<Vec<_>>(), expected);
            // The note goes back to the row that made it, which scans its sample's site.
            let scan = row.run(&loader, vec![candidate], &crate::front::Claims::default());
            assert_eq!(scan.resources.len(), 1, "{:?}: {:?}", row.id(), scan.errors);
            // An export's address is the resource id.
            assert_eq!(
                scan.resources[0].address.rsplit(['.', '/']).next(),
                Some("a")
            );
        }
    }
}
