//! The certgate extension for Zed: starts `certgate lsp` for the languages in `extension.toml`.
//!
//! The binary is `lsp.certgate.binary.path` from Zed's settings when set, else `certgate` on
//! the worktree's PATH. The extension downloads nothing: certgate must be installed.

use zed_extension_api::{
    self as zed, EnvVars, LanguageServerId, Result, settings::CommandSettings,
};

/// The extension; it keeps no state.
struct Certgate;

/// What the user sees when there is no binary to start.
const NOT_FOUND: &str = "certgate is not on PATH: install it (see the certgate README) or set \
                         \"lsp\": {\"certgate\": {\"binary\": {\"path\": \"/path/to/certgate\"}}} \
                         in Zed's settings";

/// The command that starts the server, from the user's `binary` settings (path, arguments,
/// environment), the `certgate` found on PATH, and the worktree's shell environment.
fn server_command(
    binary: Option<CommandSettings>,
    on_path: Option<String>,
    shell_env: EnvVars,
) -> Result<zed::Command> {
    let (path, arguments, env) = match binary {
        Some(settings) => (settings.path, settings.arguments, settings.env),
        None => (None, None, None),
    };
    let command = path.or(on_path).ok_or_else(|| NOT_FOUND.to_string())?;
    let args = arguments.unwrap_or_else(|| vec!["lsp".to_string()]);
    // The user's variables win over the shell's: they are applied after it.
    let mut env_vars = shell_env;
    if let Some(extra) = env {
        let mut extra: Vec<(String, String)> = extra.into_iter().collect();
        extra.sort();
        env_vars.retain(|(name, _)| !extra.iter().any(|(extra_name, _)| extra_name == name));
        env_vars.extend(extra);
    }
    Ok(zed::Command {
        command,
        args,
        env: env_vars,
    })
}

impl zed::Extension for Certgate {
    fn new() -> Self {
        Certgate
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary =
            zed::settings::LspSettings::for_worktree(language_server_id.as_ref(), worktree)
                .ok()
                .and_then(|settings| settings.binary);
        server_command(binary, worktree.which("certgate"), worktree.shell_env())
    }
}

zed::register_extension!(Certgate);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> EnvVars {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn certgate_on_path_is_started_with_lsp_and_the_shell_environment() {
        let command = server_command(
            None,
            Some("/usr/local/bin/certgate".into()),
            env(&[("PATH", "/usr/bin")]),
        )
        .unwrap();
        assert_eq!(command.command, "/usr/local/bin/certgate");
        assert_eq!(command.args, ["lsp"]);
        assert_eq!(command.env, env(&[("PATH", "/usr/bin")]));
    }

    #[test]
    fn settings_path_arguments_and_env_override_the_defaults() {
        let settings = CommandSettings {
            path: Some("/opt/certgate".into()),
            arguments: Some(vec![
                "lsp".into(),
                "--config".into(),
                "ci/certgate.toml".into(),
            ]),
            env: Some(HashMap::from([("NO_COLOR".to_string(), "1".to_string())])),
        };
        let command = server_command(
            Some(settings),
            Some("/usr/local/bin/certgate".into()),
            env(&[("NO_COLOR", "0"), ("PATH", "/usr/bin")]),
        )
        .unwrap();
        assert_eq!(command.command, "/opt/certgate");
        assert_eq!(command.args, ["lsp", "--config", "ci/certgate.toml"]);
        assert_eq!(command.env, env(&[("PATH", "/usr/bin"), ("NO_COLOR", "1")]));
    }

    #[test]
    fn no_binary_anywhere_is_an_error_saying_how_to_fix_it() {
        let error = server_command(None, None, Vec::new()).unwrap_err();
        assert!(error.contains("not on PATH"), "{error}");
        assert!(error.contains("binary"), "{error}");
    }
}
