//! The comment lines both script languages share (both comment with `#`): what the script
//! does, the sites it leaves alone, and each batch's sites and owners. Every value from an
//! export passes through [`shell::comment`] so it cannot end its line.

use super::shell;
use super::target::{Block, Script, Skipped, Target};

/// The opening comment: where the sites come from, how many, and how the script behaves.
pub fn header(script: &Script) -> Vec<String> {
    let exports: Vec<String> = script
        .exports
        .iter()
        .map(|p| crate::paths::path_text(p).to_string())
        .collect();
    let sites: usize = script.blocks.iter().map(|b| b.targets.len()).sum();
    let scope = match script.blocks.as_slice() {
        [only] if script.batch_count > 1 || sites == 0 => {
            format!("batch {} of {}", only.number, script.batch_count)
        }
        _ => plural(script.batch_count, "batch", "batches"),
    };
    let mut lines = vec![
        "certgate remediate: make the deployed sites below require client certificates".to_string(),
        "(clientCertEnabled = true, clientCertMode = Required, no exclusion paths).".to_string(),
        format!("Read from: {}.", exports.join(", ")),
        format!(
            "{} in {scope} (batches of {}, numbered as `certgate plan` numbers them).",
            plural(sites, "site", "sites"),
            script.batch_size.max(1)
        ),
        "Each command sets absolute values, so running the script again is harmless.".to_string(),
        "The script stops at the first command that fails.".to_string(),
    ];
    if sites == 0 {
        lines.push("Nothing to do: no failing deployed site outside the exceptions.".to_string());
    }
    lines.into_iter().map(|l| shell::comment(&l)).collect()
}

/// The sites left alone, under a heading each (nothing when there are none).
pub fn skipped(script: &Script) -> Vec<String> {
    let mut lines = Vec::new();
    let mut section = |title: &str, list: &[Skipped]| {
        if list.is_empty() {
            return;
        }
        lines.push(format!("{title} ({}):", list.len()));
        for s in list {
            lines.push(shell::comment(&format!("  {}: {}", s.id, s.why)));
        }
    };
    section(
        "Left alone: an active exception covers them",
        &script.excepted,
    );
    section(
        "Not scripted: no command can fix them",
        &script.not_scripted,
    );
    lines
}

/// A batch's heading: its number, risk class, sites and owners.
pub fn block(block: &Block, batch_count: usize) -> Vec<String> {
    let mut lines = vec![format!(
        "Batch {} of {batch_count}: {}, {}",
        block.number,
        block.class.title(),
        plural(block.targets.len(), "site", "sites")
    )];
    for target in &block.targets {
        lines.push(shell::comment(&format!(
            "  {} ({}); owners: {}",
            name(target),
            kind(target),
            owners(target)
        )));
    }
    lines
}

/// The comment before a target's command, and the warning when the code reverts the fix.
pub fn target(target: &Target) -> Vec<String> {
    let mut lines = vec![shell::comment(&format!(
        "{}: {} ({}:{})",
        target.id,
        target.verdict,
        crate::paths::path_text(&target.path),
        target.line
    ))];
    if let Some(why) = &target.reverted_by {
        lines.push(shell::comment(&format!("WARNING: {why}")));
    }
    lines
}

/// `site` or `site/slot`.
fn name(target: &Target) -> String {
    match &target.parts.slot {
        Some(slot) => format!("{}/{slot}", target.parts.site),
        None => target.parts.site.clone(),
    }
}

fn kind(target: &Target) -> String {
    let kind = target.kind.label();
    if target.parts.slot.is_some() {
        format!("{kind} slot")
    } else {
        kind.to_string()
    }
}

fn owners(target: &Target) -> String {
    if target.owners.is_empty() {
        "none known".to_string()
    } else {
        target.owners.join(", ")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One `# ` comment line (both languages comment alike).
pub fn comment(out: &mut String, line: &str) {
    out.push_str("# ");
    out.push_str(line);
    out.push('\n');
}

/// What follows each language's preamble: the skipped sites, then each batch's comment and,
/// per site, its comment and `command`.
pub fn body(out: &mut String, script: &Script, command: fn(&Target) -> String) {
    let skipped = skipped(script);
    if !skipped.is_empty() {
        out.push('\n');
        for line in skipped {
            comment(out, &line);
        }
    }
    for block in &script.blocks {
        out.push('\n');
        for line in self::block(block, script.batch_count) {
            comment(out, &line);
        }
        for target in &block.targets {
            for line in self::target(target) {
                comment(out, &line);
            }
            out.push_str(&command(target));
            out.push('\n');
        }
    }
}
