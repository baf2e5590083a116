using EfSafeMigrate.Footprint;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>An object both branches of a fork act on, with one migration and operation of each that does.</summary>
/// <param name="Object">The object.</param>
/// <param name="MigrationA">The migration of branch A.</param>
/// <param name="OperationA">What that migration does to it (e.g. <c>rename column Customers.FullName → Name</c>).</param>
/// <param name="MigrationB">The migration of branch B.</param>
/// <param name="OperationB">What that migration does to it.</param>
internal sealed record SharedObject(SchemaObject Object, string MigrationA, string OperationA, string MigrationB, string OperationB)
{
    /// <summary>Branch A's operation itself (to find where it is written), when known.</summary>
    public MigrationOperation? UpOperationA { get; init; }

    /// <summary>Branch B's operation itself, when known.</summary>
    public MigrationOperation? UpOperationB { get; init; }

    /// <summary>One line for messages: the object, then each migration with its operation.</summary>
    public string Describe() => $"{Object.Describe()}: '{MigrationA}' ({OperationA}) and '{MigrationB}' ({OperationB})";
}
