//! `certgate guardrail`: the command line's arguments turned into the generator's, with the
//! scope validated.

use super::generate::{self, Effect, Format, Target};
use crate::cli::{GuardrailArgs, GuardrailEffect, GuardrailFormat};

/// The generated code, or why the scope is not one certgate can assign at.
pub fn run(args: &GuardrailArgs) -> Result<String, String> {
    let target = Target::parse(&args.scope).map_err(|e| format!("--scope: {e}"))?;
    let format = match args.format {
        GuardrailFormat::Terraform => Format::Terraform,
        GuardrailFormat::Bicep => Format::Bicep,
        GuardrailFormat::Arm => Format::Arm,
    };
    let effect = match args.effect {
        GuardrailEffect::Audit => Effect::Audit,
        GuardrailEffect::Deny => Effect::Deny,
    };
    Ok(generate::generate(&target, format, effect))
}
