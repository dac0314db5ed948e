//! The `Dockerfile`, the crates.io metadata and the release configuration hold their promises:
//! a multi-stage build on a pinned base, a distroless or scratch final stage run as a non-root
//! user, a manifest that crates.io accepts, release targets that the README and the install
//! scripts list, and install examples that name this version's tag. No container engine and no
//! network here, so the files' structure is asserted.

use std::path::Path;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // A Windows checkout may have CRLF line ends; the assertions are about lines.
    text.replace("\r\n", "\n")
}

/// The Dockerfile's instructions, one per entry as (KEYWORD, arguments), with comments dropped
/// and `\` continuations joined.
fn instructions() -> Vec<(String, String)> {
    let text = read("Dockerfile");
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && pending.is_empty()) {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let (keyword, args) = pending.split_once(' ').unwrap_or((&pending, ""));
        out.push((keyword.to_uppercase(), args.trim().to_string()));
        pending.clear();
    }
    out
}

/// The image names of the `FROM` lines, in order.
fn from_images(instructions: &[(String, String)]) -> Vec<String> {
    instructions
        .iter()
        .filter(|(k, _)| k == "FROM")
        .map(|(_, a)| a.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn dockerfile_is_multi_stage_with_every_base_pinned_to_a_tag() {
    let ins = instructions();
    let images = from_images(&ins);
    assert!(images.len() >= 2, "not multi-stage: {images:?}");
    for image in &images {
        let tag = image.rsplit_once(':').map(|(_, t)| t);
        assert!(
            image == "scratch" || matches!(tag, Some(t) if t != "latest" && !t.contains('/')),
            "base image without a fixed tag: {image}"
        );
    }
    assert!(
        images[0].starts_with("rust:") && images[0].contains("alpine"),
        "the build stage should be Rust on Alpine (musl): {}",
        images[0]
    );
}

#[test]
fn dockerfile_final_stage_is_distroless_static_or_scratch_and_non_root() {
    let ins = instructions();
    let last_from = ins.iter().rposition(|(k, _)| k == "FROM").unwrap();
    let final_image = &from_images(&ins).pop().unwrap();
    assert!(
        final_image == "scratch" || final_image.starts_with("gcr.io/distroless/static"),
        "final stage: {final_image}"
    );
    let final_stage = &ins[last_from + 1..];
    let user = |k: &str| {
        final_stage
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, a)| a.as_str())
    };
    assert_eq!(user("USER"), Some("65532:65532"));
    assert_eq!(user("WORKDIR"), Some("/src"));
    assert_eq!(user("ENTRYPOINT"), Some(r#"["certgate"]"#));
    assert_eq!(user("CMD"), Some(r#"["check", "."]"#));
    // The final stage gets the binary from the build stage and nothing else runs in it (no shell).
    assert!(
        final_stage.iter().all(|(k, _)| k != "RUN"),
        "{final_stage:?}"
    );
    let copy = user("COPY").expect("the final stage copies the binary");
    assert!(
        copy.starts_with("--from=") && copy.ends_with("/usr/local/bin/certgate"),
        "{copy}"
    );
}

#[test]
fn dockerfile_build_stage_copies_only_paths_the_dockerignore_keeps() {
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('/').to_string())
        .collect();
    for required in ["target", ".git"] {
        assert!(
            ignored.iter().any(|i| i == required),
            "{required} not in .dockerignore"
        );
    }
    let ins = instructions();
    let copies = ins
        .iter()
        .filter(|(k, a)| k == "COPY" && !a.starts_with("--from="));
    let mut sources = 0;
    for (_, args) in copies {
        let words: Vec<&str> = args.split_whitespace().collect();
        for source in &words[..words.len() - 1] {
            sources += 1;
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(source).exists(),
                "COPY source missing: {source}"
            );
            assert!(
                !ignored.iter().any(|i| i == source),
                "COPY source ignored: {source}"
            );
        }
    }
    assert!(
        sources >= 3,
        "expected Cargo.toml, Cargo.lock and src to be copied"
    );
    assert!(
        ins.iter()
            .any(|(k, a)| k == "RUN" && a.contains("cargo build --release --locked")),
        "the build must use the lock file"
    );
}

#[test]
fn cargo_manifest_has_the_metadata_crates_io_needs() {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let package = manifest["package"].as_table().unwrap();
    for key in ["description", "license", "readme", "rust-version"] {
        let value = package.get(key).and_then(|v| v.as_str()).unwrap_or("");
        assert!(!value.is_empty(), "package.{key} missing");
    }
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(!read(file).is_empty(), "{file} empty");
    }
    // crates.io: at most 5 keywords of at most 20 ASCII characters, and known category slugs.
    let keywords = package["keywords"].as_array().unwrap();
    assert!(!keywords.is_empty() && keywords.len() <= 5, "{keywords:?}");
    for k in keywords {
        let k = k.as_str().unwrap();
        assert!(k.len() <= 20 && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
    let known = ["command-line-utilities", "development-tools"];
    for c in package["categories"].as_array().unwrap() {
        assert!(known.contains(&c.as_str().unwrap()), "unknown category {c}");
    }
    // The allow-list ships the sources and the licenses, never the tests' fixtures.
    let include: Vec<&str> = package["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for needed in ["/src/**", "/Cargo.lock", "/LICENSE-MIT", "/LICENSE-APACHE"] {
        assert!(include.contains(&needed), "{needed} not packaged");
    }
    assert!(
        !include
            .iter()
            .any(|i| i.starts_with("/fixtures") || i.starts_with("/tests"))
    );
}

/// The tag of this version, `vX.Y.Z`: what every install example names.
fn tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

/// Each `text` occurrence of `prefix`, with what follows it up to the next space, quote,
/// backtick, slash or line end.
fn after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'`/|".contains(c))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn readme_pre_commit_example_names_the_repository_and_this_version_s_tag() {
    let readme = read("README.md");
    let block = readme
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.starts_with("repos:"))
        .expect("README has a pre-commit example (```yaml starting with repos:)");
    assert!(
        block.contains(&format!("- repo: {}\n", env!("CARGO_PKG_REPOSITORY"))),
        "{block}"
    );
    assert!(block.contains(&format!("rev: {}\n", tag())), "{block}");
    // The hooks it names are the ones the repository ships.
    let hooks = read(".pre-commit-hooks.yaml");
    for id in after(block, "- id: ") {
        assert!(hooks.contains(&format!("- id: {id}\n")), "hook {id}");
    }
}

#[test]
fn readme_and_example_workflow_name_this_version_for_the_action_and_the_releases() {
    let readme = read("README.md");
    let example = read(".github/workflows/example.yml");
    let uses: Vec<&str> = after(&readme, "uses: certgate/certgate@");
    assert!(
        uses.len() >= 2,
        "README: Install and CI use the action: {uses:?}"
    );
    for text in [&readme, &example] {
        for named in after(text, "certgate/certgate@") {
            assert_eq!(named, tag(), "uses: certgate/certgate@{named}");
        }
    }
    for (prefix, min) in [
        ("releases/download/", 3),
        ("--tag ", 2),
        ("version: v", 2),
        ("rev: v", 2),
    ] {
        let found = after(&readme, prefix);
        assert!(found.len() >= min, "README: {prefix} {found:?}");
        for named in found {
            // `version: v` and `rev: v` end in the tag's own `v`.
            let named = if prefix.ends_with('v') {
                format!("v{named}")
            } else {
                named.to_string()
            };
            assert_eq!(named, tag(), "README: {prefix}…");
        }
    }
    // The repository the examples name is the package's.
    assert_eq!(
        env!("CARGO_PKG_REPOSITORY"),
        "https://github.com/certgate/certgate"
    );
    let raw = "https://raw.githubusercontent.com/certgate/certgate/";
    for named in after(&readme, raw) {
        assert_eq!(named, tag(), "{raw}{named}");
    }
}

#[test]
fn readme_rust_version_is_the_manifest_s() {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let msrv = manifest["package"]["rust-version"].as_str().unwrap();
    let readme = read("README.md");
    assert!(
        readme.contains(&format!(
            "Rust {msrv} or newer (`rust-version` in `Cargo.toml`)"
        )),
        "README names another minimum Rust than {msrv}"
    );
    let named = after(&readme, "Rust 1.");
    assert!(!named.is_empty());
    for minor in named {
        let minor = minor.trim_end_matches(|c: char| !c.is_ascii_digit());
        assert_eq!(format!("1.{minor}"), msrv, "README: Rust 1.{minor}");
    }
}

/// The release targets: `targets` in `dist-workspace.toml`, which the release workflow builds.
fn release_targets() -> Vec<String> {
    let config: toml::Table = read("dist-workspace.toml").parse().unwrap();
    let dist = config["dist"]
        .as_table()
        .expect("[dist] in dist-workspace.toml");
    dist["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

/// The rows of the README's table under "### Prebuilt binaries", as (target, archive).
fn readme_binaries() -> Vec<(String, String)> {
    let readme = read("README.md");
    let section = readme
        .split("\n### Prebuilt binaries\n")
        .nth(1)
        .expect("README has ### Prebuilt binaries");
    let section = section.split("\n#").next().unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("`"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(|c| c.trim().trim_matches('`')).collect();
            (cells[2].to_string(), cells[3].to_string())
        })
        .collect()
}

#[test]
fn release_targets_are_the_readme_s_table_of_prebuilt_binaries() {
    let mut targets = release_targets();
    let rows = readme_binaries();
    let mut listed: Vec<String> = rows.iter().map(|(t, _)| t.clone()).collect();
    targets.sort();
    listed.sort();
    assert_eq!(targets, listed);
    for expected in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.iter().any(|t| t == expected), "{expected}");
    }
    // cargo-dist's archive names: .zip on Windows, .tar.xz elsewhere.
    for (target, archive) in rows {
        let ext = if target.contains("windows") {
            "zip"
        } else {
            "tar.xz"
        };
        assert_eq!(archive, format!("certgate-{target}.{ext}"));
    }
}

#[test]
fn install_scripts_know_every_release_target_and_no_other() {
    let mut targets = release_targets();
    targets.sort();
    for template in ["action.yml", "ci/azure-pipelines/certgate.yml"] {
        let text = read(template);
        let mut known: Vec<String> = text
            .split(") target=")
            .skip(1)
            .map(|rest| rest.split_whitespace().next().unwrap().to_string())
            .collect();
        known.sort();
        known.dedup();
        assert_eq!(known, targets, "{template}");
    }
}

#[test]
fn release_config_builds_installers_and_sha256_checksums_on_github() {
    let config: toml::Table = read("dist-workspace.toml").parse().unwrap();
    let dist = config["dist"].as_table().unwrap();
    assert_eq!(dist["ci"].as_str(), Some("github"));
    assert_eq!(dist["checksum"].as_str(), Some("sha256"));
    let installers: Vec<&str> = dist["installers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(installers, ["shell", "powershell"]);
    // The workflow `dist generate` writes; `.ci/run` checks it matches this config.
    let workflow = read(".github/workflows/release.yml");
    let pinned = dist["cargo-dist-version"].as_str().unwrap();
    assert!(
        workflow.contains(&format!("cargo-dist/releases/download/v{pinned}/")),
        "release.yml installs another cargo-dist than {pinned}"
    );
    assert!(read(".ci/run").contains(&format!("cargo install cargo-dist@{pinned} --locked")));
}

#[test]
fn changelog_has_a_dated_section_for_this_version() {
    // cargo-dist takes the release notes from this section.
    let changelog = read("CHANGELOG.md");
    let heading = format!("\n## [{}] - ", env!("CARGO_PKG_VERSION"));
    let at = changelog
        .find(&heading)
        .expect("a section for this version");
    let date = &changelog[at + heading.len()..][..10];
    assert!(
        date.len() == 10 && date.chars().all(|c| c.is_ascii_digit() || c == '-'),
        "{date}"
    );
    assert!(changelog.contains(&format!(
        "[{}]: https://github.com/certgate/certgate/releases/tag/v{}",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_VERSION")
    )));
}
