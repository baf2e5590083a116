using Microsoft.EntityFrameworkCore;

namespace Catalog;

/// <summary>
/// The context the catalog's migrations belong to. It maps no entities: the migrations are hand-written
/// (one per lint rule) and only their operations matter.
/// </summary>
public class CatalogContext(DbContextOptions<CatalogContext> options) : DbContext(options);
