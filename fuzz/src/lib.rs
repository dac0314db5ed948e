//! Structure-aware inputs for the fuzz targets: small Terraform, ARM and Bicep projects generated
//! from a grammar with `arbitrary`, so the fuzzer reaches the evaluators (variables, locals,
//! parameters, modules, loops) instead of stopping at syntax errors.
//!
//! Names come from short menus so that references usually resolve and sometimes form cycles;
//! nesting is bounded by an explicit depth, never by the input's length.

pub mod arm;
pub mod bicep;
pub mod terraform;

use arbitrary::{Result, Unstructured};
use certgate::harness::File;

/// Which generated project a structure-aware input stands for.
pub fn project(u: &mut Unstructured) -> Result<Vec<File>> {
    match u.int_in_range(0..=2u8)? {
        0 => terraform::project(u),
        1 => arm::project(u),
        _ => bicep::project(u),
    }
}

/// The fix target's input: one raw file when the bytes start with `R` and a digit naming its
/// kind (how `run.sh` seeds the fix fixtures, whose style variety — BOM, CRLF, tabs, comments
/// — the grammar does not have), else a generated project.
pub fn fix_input(bytes: &[u8]) -> Result<Vec<File>> {
    if let [b'R', kind @ b'0'..=b'3', text @ ..] = bytes {
        let name =
            ["main.tf", "main.tf.json", "azuredeploy.json", "main.bicep"][usize::from(kind - b'0')];
        return Ok(vec![File::new(name, String::from_utf8_lossy(text))]);
    }
    project(&mut Unstructured::new(bytes))
}

/// Some of a file's style choices: line endings and a byte order mark.
pub fn styled(u: &mut Unstructured, text: String) -> Result<String> {
    let text = if u.ratio(1, 6)? {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    Ok(if u.ratio(1, 10)? {
        format!("\u{feff}{text}")
    } else {
        text
    })
}

/// Up to `max` items made by `item`.
pub fn some<T>(
    u: &mut Unstructured,
    max: usize,
    mut item: impl FnMut(&mut Unstructured) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    let mut items = Vec::with_capacity(n);
    for _ in 0..n {
        items.push(item(u)?);
    }
    Ok(items)
}

/// Text that is one of `choices`.
pub fn pick(u: &mut Unstructured, choices: &[&str]) -> Result<String> {
    Ok(u.choose(choices)?.to_string())
}

/// A small integer as text, sometimes negative or large.
pub fn number(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => "-1".into(),
        1 => "1000000".into(),
        2 => "1.5".into(),
        n => (n - 3).to_string(),
    })
}
