use civic_catalog::CatalogStore;
use civic_qr::{LookupError, ProcedureLookup};
use civic_types::catalog::Procedure;

/// The catalog answering the QR component's lookups.
#[derive(Debug, Clone, Copy)]
pub struct CatalogLookup<'a>(pub &'a CatalogStore);

impl ProcedureLookup for CatalogLookup<'_> {
    fn procedure(&self, code: &str) -> Result<Option<Procedure>, LookupError> {
        self.0.get(code).map_err(LookupError::new)
    }

    fn code_for_portal_id(&self, id: &str) -> Result<Option<String>, LookupError> {
        self.0.code_for_portal_id(id).map_err(LookupError::new)
    }
}
