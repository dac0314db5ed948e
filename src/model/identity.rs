//! What names a site in Azure, as the code or an inventory export writes it, and where a
//! judged resource comes from (code, or what Azure reports as deployed): what matching code
//! to deployed sites (drift) reads.

use super::Value;

/// The names that identify a site or slot in Azure. Each field is as written and resolved
/// (a value may be [`super::Data::Unknown`]); `None` when the source does not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteIdentity {
    /// The full resource id (`/subscriptions/…/resourceGroups/…/providers/Microsoft.Web/sites/NAME`
    /// or `…/sites/NAME/slots/SLOT`), when the source determines it (an export always does).
    pub id: Option<Value>,
    /// The site's name; for a slot, the slot's own name (`staging`).
    pub name: Option<Value>,
    /// For a slot: the name of the site it belongs to.
    pub parent: Option<Value>,
    /// The resource group's name.
    pub resource_group: Option<Value>,
    /// The subscription id, when written.
    pub subscription: Option<Value>,
}

/// Where a judged resource comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Source {
    /// Infrastructure code (Terraform, plan JSON, ARM, Bicep, Terragrunt).
    #[default]
    Code,
    /// An inventory export of deployed sites: the values Azure reports.
    Deployed(ExportShape),
}

/// Which export a deployed site was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportShape {
    /// `az webapp list`, `az functionapp list`, `az webapp show`, `az webapp deployment slot
    /// list`: flattened site objects.
    AzCli,
    /// Azure Resource Graph results (`az graph query`, `Search-AzGraph`): `properties.*`.
    ResourceGraph,
    /// `az resource show` / `az rest` GET of one site: the ARM shape with `properties`.
    ArmResource,
}
