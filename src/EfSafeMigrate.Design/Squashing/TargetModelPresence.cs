using System.Reflection;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Whether a migration has a target model. EF Core's <see cref="Migration.TargetModel"/> is never
/// null: a migration whose class does not override <c>BuildTargetModel</c> (no designer file, or a
/// designer without it) gets an empty model, which would read as "no tables".
/// </summary>
public static class TargetModelPresence
{
    /// <summary>True when the migration's class (or a base class other than EF Core's) overrides <c>BuildTargetModel</c>.</summary>
    public static bool HasTargetModel(Migration migration)
        => migration.GetType().GetMethod("BuildTargetModel", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ModelBuilder)])?.DeclaringType is { } declaring
           && declaring != typeof(Migration);
}
