//! The Azure Resource Graph query that exports every site and slot with the columns certgate
//! reads, and the commands that run it: what `certgate verify` prints for the user to copy.

/// The query: every site and slot, with the columns certgate reads.
pub(crate) const QUERY: &str = "resources | where type =~ 'microsoft.web/sites' or type =~ \
     'microsoft.web/sites/slots' | project id, name, type, kind, resourceGroup, subscriptionId, \
     tags, properties | order by id asc";

/// The query and the commands that export it, as `certgate verify` prints them.
pub(crate) fn instructions() -> String {
    format!(
        "Export the deployed sites and slots with Azure Resource Graph:\n\
         \n  az graph query -q \"{QUERY}\" --first 1000 -o json > sites.json\n\
         \nResource Graph returns at most 1000 rows per call: when the output's `skip_token` \
         is not null, run the command again with `--skip-token TOKEN` into another file, \
         until it is null, and pass every file. In PowerShell:\n\
         \n  (Search-AzGraph -Query \"{QUERY}\" -First 1000).Data | ConvertTo-Json -Depth 10 | Set-Content -Encoding utf8 sites.json\n"
    )
}
