//! `certgate completions` and `certgate man`: shell completion scripts and the roff man page,
//! both generated from the clap definition in `cli` so they never drift from the real flags.

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use crate::cli::Cli;

/// The completion script for `shell`, as the shell sources it.
pub fn completions(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "certgate", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The man page: without `subcommand`, certgate(1) with a section per subcommand (its synopsis,
/// description and options); with one, that subcommand's own page, certgate-NAME(1), which the
/// main page's SUBCOMMANDS list refers to. An unknown name is an error listing the known ones.
pub fn man_page(subcommand: Option<&str>) -> Result<String, String> {
    let mut command = Cli::command();
    // Built, the subcommands know their display names (`certgate-check`) and full synopses.
    command.build();
    let mut page = Vec::new();
    match subcommand {
        None => {
            render(&Man::new(command.clone()).title("CERTGATE"), &mut page);
            for sub in visible_subcommands(&command) {
                append_subcommand_section(sub, &mut page);
            }
        }
        Some(name) => {
            let Some(sub) = visible_subcommands(&command).find(|sub| sub.get_name() == name) else {
                let known: Vec<&str> = visible_subcommands(&command)
                    .map(|s| s.get_name())
                    .collect();
                return Err(format!(
                    "unknown subcommand `{name}` for `certgate man`; known: {}",
                    known.join(", ")
                ));
            };
            let title = format!("CERTGATE-{}", name.to_uppercase());
            // A subcommand has no version of its own: name the release as the main page does.
            let source = format!("certgate {}", env!("CARGO_PKG_VERSION"));
            render(
                &Man::new(sub.clone()).title(title).source(source),
                &mut page,
            );
        }
    }
    Ok(ascii_only(&String::from_utf8_lossy(&page)))
}

/// Writes every non-ASCII character (the help texts' `…`) as the roff escape `\[uXXXX]`, so
/// groff renders the page without a preprocessor and in any locale.
fn ascii_only(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

/// The subcommands a user can run (clap's own `help` is left out: `--help` covers it).
fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// One `.SH "certgate NAME"` section: the subcommand's synopsis, description and options, their
/// own headings demoted to `.SS` so they nest under it.
fn append_subcommand_section(sub: &clap::Command, page: &mut Vec<u8>) {
    let man = Man::new(sub.clone());
    let mut body = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render_synopsis_section(&mut body);
    let _ = man.render_description_section(&mut body);
    let _ = man.render_options_section(&mut body);
    let body = String::from_utf8_lossy(&body);
    page.extend_from_slice(
        format!(".SH \"CERTGATE {}\"\n", sub.get_name().to_uppercase()).as_bytes(),
    );
    // Each fragment repeats the page's `Aq` string definition; the one at the top suffices.
    let lines = body
        .lines()
        .filter(|line| !line.starts_with(".ie \\n(.g .ds Aq") && !line.starts_with(".el .ds Aq"));
    for line in lines {
        let line = match line.strip_prefix(".SH ") {
            Some(heading) => format!(".SS {heading}"),
            None => line.to_owned(),
        };
        page.extend_from_slice(line.as_bytes());
        page.push(b'\n');
    }
}

/// Renders a whole page; writing into a Vec cannot fail.
fn render(man: &Man, page: &mut Vec<u8>) {
    let _ = man.render(page);
}
