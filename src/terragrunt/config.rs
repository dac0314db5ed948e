//! One `terragrunt.hcl` as written: the blocks and attributes certgate reads (`terraform`'s
//! `source`, `inputs`, `locals`, `include`, `dependency`), with their expressions kept for
//! the evaluator. Every other block (`remote_state`, `generate`, hooks) is ignored.

use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body};

use crate::error::FileError;
use crate::source::{FileId, SourceFile, Span};
use crate::terraform::hcl;
use crate::terraform::syntax::Attribute;

/// A parsed `terragrunt.hcl` (or a file it includes or reads).
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The directory holding it: relative paths in it start here.
    pub dir: PathBuf,
    pub locals: Vec<Attribute>,
    pub includes: Vec<Include>,
    pub dependencies: Vec<Dependency>,
    /// `terraform { source = … }`.
    pub source: Option<Attribute>,
    /// The `terraform` block's header, when there is one.
    pub terraform: Option<Span>,
    pub inputs: Option<Attribute>,
}

/// `include "NAME" { path, expose, merge_strategy }` (the legacy unlabelled `include` is named "").
#[derive(Debug, Clone)]
pub struct Include {
    pub name: String,
    pub header: Span,
    pub attributes: Vec<Attribute>,
}

/// `dependency "NAME" { config_path, mock_outputs, … }`.
#[derive(Debug, Clone)]
pub struct Dependency {
    pub name: String,
    pub attributes: Vec<Attribute>,
}

impl Include {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

impl Dependency {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

impl Config {
    /// Parses `source` (file `file`, at `path`).
    pub fn parse(file: FileId, source: &SourceFile, path: &Path) -> Result<Config, FileError> {
        let body = hcl::parse(file, source).map_err(|mut error| {
            error.message = error.message.replacen(
                "invalid Terraform syntax",
                "invalid Terragrunt (HCL) syntax",
                1,
            );
            error
        })?;
        Ok(Config::of_body(file, body, path))
    }

    fn of_body(file: FileId, body: Body, path: &Path) -> Config {
        let mut config = Config {
            path: path.to_path_buf(),
            dir: path
                .parent()
                .map(crate::paths::normalize)
                .unwrap_or_default(),
            locals: Vec::new(),
            includes: Vec::new(),
            dependencies: Vec::new(),
            source: None,
            terraform: None,
            inputs: None,
        };
        let mut blocks = Vec::new();
        let mut attributes = Vec::new();
        for structure in body.into_iter() {
            match structure {
                hcl_edit::structure::Structure::Block(block) => blocks.push(block),
                hcl_edit::structure::Structure::Attribute(attribute) => attributes.push(attribute),
            }
        }
        let top: Body = attributes.into_iter().collect();
        config.inputs = hcl::attributes(file, top)
            .into_iter()
            .find(|a| a.name == "inputs");
        for block in blocks {
            let header = header(file, &block);
            let label = block.labels.first().map(|l| l.as_str().to_string());
            match block.ident.as_str() {
                "locals" => config.locals.extend(hcl::attributes(file, block.body)),
                "terraform" => {
                    config.terraform = Some(header);
                    config.source = hcl::attributes(file, block.body)
                        .into_iter()
                        .find(|a| a.name == "source");
                }
                "include" => config.includes.push(Include {
                    name: label.unwrap_or_default(),
                    header,
                    attributes: hcl::attributes(file, block.body),
                }),
                "dependency" => {
                    if let Some(name) = label {
                        config.dependencies.push(Dependency {
                            name,
                            attributes: hcl::attributes(file, block.body),
                        })
                    }
                }
                _ => {}
            }
        }
        config
    }

    pub fn local(&self, name: &str) -> Option<&Attribute> {
        self.locals.iter().find(|a| a.name == name)
    }
}

/// From the block's keyword through its last label.
fn header(file: FileId, block: &Block) -> Span {
    let start = block.ident.span().map_or(0, |s| s.start);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map_or(start, |s| s.end);
    Span::new(file, start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configuration_directory_is_normalised_so_claims_match_terraform_directories() {
        let path = Path::new("./live/app/terragrunt.hcl");
        let source = SourceFile::new(path.to_path_buf(), "inputs = {}\n".to_string());
        let config = Config::parse(0, &source, path).unwrap();
        assert_eq!(config.dir, PathBuf::from("live/app"));
        assert!(config.inputs.is_some());
    }

    #[test]
    fn blocks_certgate_does_not_read_are_ignored() {
        let text = "remote_state {\n  backend = \"azurerm\"\n}\ngenerate \"p\" {\n  path = \"p.tf\"\n}\n\
                    terraform {\n  source = \"../m\"\n  extra_arguments \"x\" {\n    commands = []\n  }\n}\n\
                    dependency \"d\" {\n  config_path = \"../d\"\n}\ninclude {\n  path = \"../x.hcl\"\n}\n";
        let path = Path::new("u/terragrunt.hcl");
        let source = SourceFile::new(path.to_path_buf(), text.to_string());
        let config = Config::parse(0, &source, path).unwrap();
        assert!(config.source.is_some());
        assert_eq!(config.dependencies.len(), 1);
        // The legacy unlabelled `include` is named "".
        assert_eq!(config.includes[0].name, "");
        assert!(config.inputs.is_none());
    }
}
