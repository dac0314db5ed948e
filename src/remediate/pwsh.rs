//! The script as PowerShell with the Az module: one `Invoke-AzRestMethod` PATCH of each site's
//! or slot's resource id. `Set-AzWebApp` has no client-certificate parameters in many Az
//! versions and `Set-AzResource` rewrites the whole resource; a PATCH of the three properties
//! works the same for web apps, function apps, logic apps and their slots.

use super::layout;
use super::shell::pwsh as q;
use super::target::{Script, Target};

/// The Microsoft.Web API version of the PATCH (it knows all three properties).
pub const API_VERSION: &str = "2022-03-01";

/// The PowerShell script.
pub fn render(script: &Script) -> String {
    let mut out = String::new();
    for line in layout::header(script) {
        layout::comment(&mut out, &line);
    }
    out.push_str("$ErrorActionPreference = 'Stop'\nSet-StrictMode -Version Latest\n\n");
    // Invoke-AzRestMethod returns HTTP errors instead of throwing them: the function turns
    // them into terminating errors so the script stops at the first one.
    out.push_str(&format!(
        "# PATCHes one site or slot; stops the script on any HTTP error.\n\
         function Set-CertgateClientCert {{\n\
         \x20   param([Parameter(Mandatory)] [string] $Id, [Parameter(Mandatory)] [string] $Payload)\n\
         \x20   $response = Invoke-AzRestMethod -Method PATCH -Path ($Id + '?api-version={API_VERSION}') -Payload $Payload\n\
         \x20   if ($response.StatusCode -lt 200 -or $response.StatusCode -ge 300) {{\n\
         \x20       throw ('certgate: PATCH ' + $Id + ' failed with HTTP ' + $response.StatusCode + ': ' + $response.Content)\n\
         \x20   }}\n\
         }}\n"
    ));
    layout::body(&mut out, script, command);
    out
}

/// The one command that fixes `target`: the payload is fixed text, the id is quoted.
pub fn command(target: &Target) -> String {
    let exclusion = if target.clear_exclusion_paths {
        r#","clientCertExclusionPaths":"""#
    } else {
        ""
    };
    let payload = format!(
        r#"{{"properties":{{"clientCertEnabled":true,"clientCertMode":"Required"{exclusion}}}}}"#
    );
    format!(
        "Set-CertgateClientCert -Id {} -Payload {}",
        q(&target.id),
        q(&payload)
    )
}
