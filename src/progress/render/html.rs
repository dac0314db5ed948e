//! `certgate progress --format html`: one self-contained page (inline CSS, a few lines of
//! inline script to sort tables, the chart as inline SVG; nothing fetched), every string from
//! a report escaped. Its Content-Security-Policy forbids every load, so even a missed escape
//! could not reach the network.

use std::fmt::Write;

use super::chart::{self, Point};
use super::{NO_DRIFT, day, drift_rows, run_cells, site_name, state_title};
use crate::progress::history::History;
use crate::progress::latest::Latest;

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #61707d; --line: #d9e2ec; --bg: #f5f7fa; --card: #fff;
  --bad: #c92a2a; --good: #2b8a3e; --warn: #e67700; --accent: #1c5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { background: #102a43; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 0; color: #bcccdc; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 32px 40px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .n { font-size: 28px; font-weight: 650; }
.card .label { color: var(--muted); }
.bad { color: var(--bad); } .good { color: var(--good); } .warn { color: var(--warn); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 18px; margin-bottom: 16px; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 12px 0 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th:hover { color: var(--accent); }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
td.nw { white-space: nowrap; }
small { color: var(--muted); }
.empty { color: var(--muted); font-style: italic; margin: 0; }
.state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; }
.state-in-step { background: #d3f9d8; } .state-both-failing { background: #ffe3e3; }
.state-code-fixed-deployment-not, .state-deployment-fixed-code-not { background: #fff3bf; }
.state-unmanaged, .state-not-deployed { background: #e7f5ff; }
svg.burndown { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .tick, svg .date { fill: var(--muted); font-size: 12px; }
svg .value { fill: var(--bad); font-size: 12px; font-weight: 600; }
svg .area { fill: rgba(201, 42, 42, 0.08); stroke: none; }
svg .failing { fill: none; stroke: var(--bad); stroke-width: 2.5; }
svg .excepted { fill: none; stroke: var(--warn); stroke-width: 2; stroke-dasharray: 6 4; }
svg .point { fill: #fff; stroke: var(--bad); stroke-width: 2.5; }
.legend { color: var(--muted); margin: 6px 0 0; }
.legend span { display: inline-block; width: 18px; height: 0; border-top: 2.5px solid var(--bad);
  vertical-align: middle; margin: 0 4px 0 12px; }
.legend span.dash { border-top: 2px dashed var(--warn); }
footer { color: var(--muted); text-align: center; font-size: 12px; }
"#;

/// Sorts a table by the clicked header: numerically when both cells are numbers.
const SCRIPT: &str = r#"
document.querySelectorAll("table.sortable th").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
      var numbers = x !== "" && y !== "" && !isNaN(x) && !isNaN(y);
      var order = numbers ? Number(x) - Number(y) : x.localeCompare(y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"#;

/// Renders the page.
pub fn render(history: &History, latest: &Latest) -> String {
    let runs = &history.runs;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>certgate progress: client certificates (mTLS)</title>\n<style>",
    );
    out.push_str(STYLE);
    out.push_str(
        "</style>\n</head>\n<body>\n<header>\n<h1>Client certificates (mTLS): progress</h1>\n",
    );
    match (runs.first(), runs.last()) {
        (Some(first), Some(last)) => {
            let _ = writeln!(
                out,
                "<p>{} run{} from {} to {}; latest: <code>{}</code></p>",
                runs.len(),
                if runs.len() == 1 { "" } else { "s" },
                day(Some(first.date)),
                day(Some(last.date)),
                escape(&last.source)
            );
        }
        _ => out.push_str("<p>No runs.</p>\n"),
    }
    out.push_str("</header>\n<main>\n");
    cards(&mut out, history);

    out.push_str("<section id=\"burndown\">\n<h2>Burndown</h2>\n");
    let points: Vec<Point> = runs
        .iter()
        .map(|r| Point {
            date: r.date,
            failing: r.failing,
            excepted: r.excepted,
        })
        .collect();
    out.push_str(&chart::burndown(&points));
    out.push_str(
        "\n<p class=\"legend\"><span></span>failing sites<span class=\"dash\"></span>excepted \
         sites</p>\n</section>\n",
    );

    runs_table(&mut out, history);
    batches(&mut out, latest);
    drift(&mut out, latest);
    exceptions(&mut out, history, latest);

    out.push_str(
        "</main>\n<footer><p>Written by <code>certgate progress</code> from saved \
         <code>certgate check --format json</code> reports and baselines.</p></footer>\n<script>",
    );
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn cards(out: &mut String, history: &History) {
    let runs = &history.runs;
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return;
    };
    let fixed: usize = runs.iter().map(|r| r.fixed.len()).sum();
    let _ = writeln!(
        out,
        "<div class=\"cards\">\
         <div class=\"card\"><div class=\"n bad\">{}</div><div class=\"label\">failing now \
         (was {})</div></div>\
         <div class=\"card\"><div class=\"n good\">{fixed}</div><div class=\"label\">fixed \
         since {}</div></div>\
         <div class=\"card\"><div class=\"n warn\">{}</div><div class=\"label\">excepted \
         now</div></div>\
         <div class=\"card\"><div class=\"n warn\">{}</div><div class=\"label\">exceptions \
         expiring within {} days</div></div></div>",
        last.failing,
        first.failing,
        day(Some(first.date)),
        last.excepted,
        last.expiring.len(),
        history.soon
    );
}

fn runs_table(out: &mut String, history: &History) {
    out.push_str(
        "<section id=\"runs\">\n<h2>Runs</h2>\n<table class=\"sortable\"><thead><tr>\
         <th>Date</th><th class=\"num\">Failing</th><th class=\"num\">Warnings</th>\
         <th class=\"num\">Excepted</th><th class=\"num\">Passing</th><th class=\"num\">New</th>\
         <th class=\"num\">Fixed</th><th class=\"num\">Expiring</th><th>Run</th>\
         </tr></thead><tbody>\n",
    );
    for run in &history.runs {
        let [date, counts @ ..] = run_cells(run);
        let _ = write!(out, "<tr><td class=\"nw\">{date}</td>");
        for count in counts {
            let _ = write!(out, "<td class=\"num\">{count}</td>");
        }
        let _ = writeln!(out, "<td><code>{}</code></td></tr>", escape(&run.source));
    }
    out.push_str("</tbody></table>\n");
    let changes: Vec<String> = history
        .runs
        .iter()
        .flat_map(|run| {
            [("new", &run.new, "bad"), ("fixed", &run.fixed, "good")]
                .into_iter()
                .flat_map(move |(what, keys, class)| {
                    keys.iter().map(move |key| {
                        format!(
                            "<tr><td class=\"nw\">{}</td><td class=\"{class}\">{what}</td><td><code>{}</code>\
                             </td><td><code>{}</code></td></tr>",
                            day(Some(run.date)),
                            escape(&site_name(key)),
                            escape(&key.path)
                        )
                    })
                })
        })
        .collect();
    if !changes.is_empty() {
        out.push_str(
            "<h3>Changes</h3>\n<table class=\"sortable\"><thead><tr><th>Date</th><th>Change</th>\
             <th>Site</th><th>Path</th></tr></thead><tbody>\n",
        );
        for line in changes {
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

fn batches(out: &mut String, latest: &Latest) {
    out.push_str("<section id=\"batches\">\n<h2>Current batches</h2>\n");
    if latest.batches.is_empty() {
        out.push_str("<p class=\"empty\">No failing site: nothing to batch.</p>\n");
    }
    for batch in &latest.batches {
        let _ = writeln!(
            out,
            "<h3>Batch {}: {}</h3>\n<table class=\"sortable\"><thead><tr><th>Site</th>\
             <th>Path</th><th class=\"num\">Line</th><th>Verdict</th><th>Exposure</th>\
             <th>Environment</th></tr></thead><tbody>",
            batch.number,
            batch.class.title()
        );
        for site in &batch.sites {
            let name = match &site.scenario {
                Some(s) => format!("{} [{s}]", site.address),
                None => site.address.clone(),
            };
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td class=\"num\">{}</td>\
                 {}<td>{}</td><td>{}</td></tr>",
                escape(&name),
                escape(&crate::paths::path_text(&site.path)),
                site.line,
                verdict(site.verdict),
                site.exposure.as_str(),
                site.environment.as_str()
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

fn drift(out: &mut String, latest: &Latest) {
    out.push_str("<section id=\"drift\">\n<h2>Drift between code and deployment</h2>\n");
    match &latest.drift {
        None => {
            let _ = writeln!(out, "<p class=\"empty\">{}</p>", escape(NO_DRIFT));
        }
        Some(rows) if rows.is_empty() => {
            out.push_str("<p class=\"empty\">The export and the code have no sites.</p>\n")
        }
        Some(rows) => {
            out.push_str(
                "<table class=\"sortable\"><thead><tr><th>State</th><th>Matched by</th>\
                 <th>Code</th><th>Verdict</th><th>Deployed</th><th>Verdict</th></tr></thead>\
                 <tbody>\n",
            );
            for row in drift_rows(rows) {
                // The class is built from the state only when it is one of ours.
                let known = [
                    "in-step",
                    "code-fixed-deployment-not",
                    "deployment-fixed-code-not",
                    "both-failing",
                    "unmanaged",
                    "not-deployed",
                ]
                .contains(&row.state.as_str());
                let class = if known { row.state.as_str() } else { "other" };
                let _ = writeln!(
                    out,
                    "<tr><td><span class=\"state state-{class}\">{}</span></td>\
                     <td>{}</td>{}{}{}{}</tr>",
                    escape(state_title(&row.state)),
                    escape(&row.matched_by),
                    side(&row.code, &row.code_at),
                    verdict(&row.code_verdict),
                    side(&row.deployed, &row.deployed_at),
                    verdict(&row.deployed_verdict)
                );
            }
            out.push_str("</tbody></table>\n");
        }
    }
    out.push_str("</section>\n");
}

fn exceptions(out: &mut String, history: &History, latest: &Latest) {
    out.push_str("<section id=\"exceptions\">\n<h2>Exceptions by owner and expiry</h2>\n");
    if latest.exceptions.is_empty() {
        out.push_str("<p class=\"empty\">No active exception in the latest run.</p>\n");
    } else {
        let soon: Vec<_> = history
            .runs
            .last()
            .map(|r| r.expiring.clone())
            .unwrap_or_default();
        out.push_str(
            "<table class=\"sortable\"><thead><tr><th>Owner</th><th>Expires</th><th>Site</th>\
             <th>Path</th><th>Rule</th><th>Reason</th></tr></thead><tbody>\n",
        );
        for e in &latest.exceptions {
            let class = if soon.contains(e) { "nw warn" } else { "nw" };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"{class}\">{}</td><td><code>{}</code></td><td><code>{}</code>\
                 </td><td>{}</td><td>{}</td></tr>",
                escape(e.owner.as_deref().unwrap_or("(no owner)")),
                day(e.expires),
                escape(&site_name(&e.site)),
                escape(&e.site.path),
                escape(&e.rule),
                escape(e.reason.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// A drift side's cell: what it names and, under it, where; a dash when the side is missing.
fn side(name: &str, at: &str) -> String {
    if name == "-" {
        return "<td>&ndash;</td>".to_string();
    }
    format!(
        "<td><code>{}</code><br><small>{}</small></td>",
        breakable(name),
        escape(at)
    )
}

/// A verdict's cell: green when it passes, red when it names a rule.
fn verdict(text: &str) -> String {
    let class = match text {
        "pass" => "nw good",
        "-" => "nw",
        _ => "nw bad",
    };
    format!("<td class=\"{class}\">{}</td>", escape(text))
}

/// A resource id or address escaped, with line-break opportunities after each `/` and `.`,
/// so a long id wraps at its segments rather than mid-word.
fn breakable(text: &str) -> String {
    escape(text).replace('/', "/<wbr>").replace('.', ".<wbr>")
}

/// Text as HTML: the five characters that can end an element or attribute replaced, so a
/// hostile address stays text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_character_that_opens_markup_or_ends_an_attribute() {
        let text = escape(r#"<script>alert("x")</script>' onload='x' &amp;"#);
        assert!(!text.contains(['<', '>', '"', '\'']), "{text}");
        assert_eq!(
            escape("a<b&c"),
            "a&lt;b&amp;c",
            "an ampersand is escaped too, so entities in reports stay as written"
        );
    }
}
