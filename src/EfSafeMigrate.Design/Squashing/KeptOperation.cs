using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>A custom operation of the range that the squashed migration keeps.</summary>
/// <param name="MigrationId">The migration it comes from.</param>
/// <param name="Direction"><c>Up</c> or <c>Down</c>.</param>
/// <param name="Index">Its 0-based position in that migration's method.</param>
/// <param name="Operation">The operation.</param>
public sealed record KeptOperation(string MigrationId, string Direction, int Index, MigrationOperation Operation)
{
    /// <summary>E.g. <c>20240101000000_Seed Up operation 1 (sql "INSERT ...")</c>.</summary>
    public override string ToString() => $"{MigrationId} {OperationText.Describe(Direction, Index, Operation)}";
}
