//! certgate: finds Azure App Service sites and slots in infrastructure-as-code and checks that
//! they require incoming client certificates (mutual TLS).

pub mod error;
pub mod json;
pub mod model;
pub mod source;
