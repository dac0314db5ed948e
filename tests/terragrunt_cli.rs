//! Terragrunt units scanned through the binary, from the unit's own directory and from above:
//! each site is reported once, named by its unit, whatever the path given.

mod common;

use common::{check, write};

const MODULE: &str = "variable \"on\" {\n  type    = bool\n  default = false\n}\n\
resource \"azurerm_linux_web_app\" \"a\" {\n  client_certificate_enabled = var.on\n  client_certificate_mode    = \"Required\"\n}\n";

#[test]
fn a_unit_scanned_as_dot_is_judged_once_with_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "u/main.tf", MODULE);
    write(
        dir.path(),
        "u/terragrunt.hcl",
        "inputs = {\n  on = true\n}\n",
    );
    for (cwd, path) in [(dir.path().to_path_buf(), "."), (dir.path().join("u"), ".")] {
        let output = check(&cwd).arg(path).arg("--format=json").output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let resources = json["resources"].as_array().unwrap();
        assert_eq!(resources.len(), 1, "{cwd:?}: {json}");
        assert_eq!(resources[0]["verdict"], "pass", "{cwd:?}: {json}");
        let scenario = resources[0]["scenario"].as_str().unwrap();
        assert!(scenario.starts_with("terragrunt "), "{scenario}");
        assert!(!scenario.contains("./"), "{scenario}");
        assert_eq!(output.status.code(), Some(0));
    }
}

#[test]
fn find_in_parent_folders_never_leaves_the_project_root() {
    let dir = tempfile::tempdir().unwrap();
    // A parent configuration above the scanned directory is outside the project root.
    write(dir.path(), "terragrunt.hcl", "inputs = {\n  on = true\n}\n");
    write(dir.path(), "repo/.git/HEAD", "ref: refs/heads/main\n");
    write(dir.path(), "repo/m/main.tf", MODULE);
    write(
        dir.path(),
        "repo/u/terragrunt.hcl",
        "include \"root\" {\n  path = find_in_parent_folders()\n}\nterraform {\n  source = \"../m\"\n}\n",
    );
    let output = check(&dir.path().join("repo"))
        .arg(".")
        .arg("--format=json")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = json["errors"].to_string();
    assert!(errors.contains("find_in_parent_folders"), "{json}");
    // The include was not read: the unit is judged with the module's defaults.
    assert_eq!(
        json["resources"][0]["verdict"], "client-cert-disabled",
        "{json}"
    );
}
